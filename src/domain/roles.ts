import { z } from 'zod';

/**
 * The roles that the seed reports name, with their Swedish labels. Owners of activities
 * are given by role in a plan; a person is assigned later.
 */
export const ROLE_LABELS = {
  'activity-owner': 'aktivitetsansvarig',
  'security-coordinator': 'informationssäkerhetssamordnare',
  'head-of-administration': 'förvaltningschef',
  'data-protection-officer': 'dataskyddsombud',
  'information-owner': 'informationsägare',
  'system-object-manager': 'objektledare',
  'it-coordinator': 'it-samordnare',
  'procurement-officer': 'upphandlare',
  'protective-security-coordinator': 'säkerhetssamordnare',
  'it-strategist': 'it-strateg',
  'archivist': 'arkivarie',
  'business-developer': 'verksamhetsutvecklare',
  viewer: 'läsare',
  admin: 'administratör',
} as const;

export type RoleName = keyof typeof ROLE_LABELS;

/**
 * Who owns an activity, standing alone (a table cell): "Elin Söder (it-samordnare)", or the role
 * with a capital, "It-samordnare". `roleLabel` names the role in the reader's language.
 */
export function isRoleName(name: string): name is RoleName {
  return Object.hasOwn(ROLE_LABELS, name);
}

export function ownerText(owner: { role: RoleName; name?: string }, roleLabel: (role: RoleName) => string = (r) => ROLE_LABELS[r]): string {
  const role = roleLabel(owner.role);
  return owner.name ? `${owner.name} (${role})` : role.charAt(0).toUpperCase() + role.slice(1);
}
export const RoleName = z.enum(Object.keys(ROLE_LABELS) as [RoleName, ...RoleName[]]);
