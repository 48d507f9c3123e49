import { z } from 'zod';
import { Slug } from '../../domain/common';
import { RoleName } from '../../domain/roles';
import { ConfigError } from '../../platform/config';
import type { Membership } from '../../domain/principal';

/**
 * OIDC_ROLE_MAP: which roles a value of the provider's roles claim (a group or app role name)
 * gives. A value gives roles in organisations, or read access to the whole city:
 *
 *   { "lisplan-sodermalm-samordnare": [{ "orgId": "sodermalm", "role": "security-coordinator" }],
 *     "lisplan-stad-lasare": { "cityViewer": true } }
 *
 * Claim values that the map does not name give nothing.
 */
export const RoleGrant = z.strictObject({ orgId: Slug, role: RoleName });
export const OrgRolesEntry = z.array(RoleGrant);
export const CityViewerEntry = z.strictObject({ cityViewer: z.literal(true) });
export const RoleMapEntry = z.union([OrgRolesEntry, CityViewerEntry]);
export const RoleMap = z.record(z.string().min(1), RoleMapEntry);
export type RoleMap = z.infer<typeof RoleMap>;

export interface MappedRoles {
  memberships: Membership[];
  cityViewer: boolean;
}

/** Parses and checks OIDC_ROLE_MAP; the error names the entry that is wrong and why. */
export function parseRoleMap(json: string): RoleMap {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new ConfigError(`config: OIDC_ROLE_MAP is not JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config: OIDC_ROLE_MAP must be a JSON object of claim value → roles');
  }
  // Built with fromEntries so that a claim value such as "__proto__" stays an own entry.
  const entries: [string, RoleMap[string]][] = [];
  for (const [claimValue, value] of Object.entries(raw as Record<string, unknown>)) {
    if (claimValue === '') throw new ConfigError('config: OIDC_ROLE_MAP has an entry with an empty claim value');
    // Each shape is checked on its own, so that the message is about the shape that was meant.
    const schema = Array.isArray(value) ? OrgRolesEntry : CityViewerEntry;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const [first, ...more] = parsed.error.issues.map((i) => ({ at: formatPath(i.path), message: i.message }));
      const where = first!.at ? ` at ${first!.at}` : '';
      const also = more.slice(0, 2).map((i) => `; ${i.at ? `${i.at}: ` : ''}${i.message}`).join('');
      const expected = Array.isArray(value)
        ? '[{ "orgId": "<organisation>", "role": "<role>" }]'
        : '{ "cityViewer": true } or a list of { "orgId", "role" }';
      throw new ConfigError(
        `config: OIDC_ROLE_MAP entry "${claimValue}"${where}: ${first!.message}${also} (expected ${expected})`,
      );
    }
    entries.push([claimValue, parsed.data]);
  }
  return Object.fromEntries(entries);
}

/**
 * The roles that a caller's claim values give: roles merged per organisation in the order
 * they are first named, each role once; city viewer when any value gives it.
 */
export function mapRoles(claimValues: readonly string[], map: RoleMap): MappedRoles {
  const byOrg = new Map<string, RoleName[]>();
  let cityViewer = false;
  for (const value of new Set(claimValues)) {
    if (!Object.hasOwn(map, value)) continue;
    const entry = map[value]!;
    if (!Array.isArray(entry)) {
      cityViewer = true;
      continue;
    }
    for (const { orgId, role } of entry) {
      const roles = byOrg.get(orgId) ?? [];
      if (!roles.includes(role)) roles.push(role);
      byOrg.set(orgId, roles);
    }
  }
  return {
    memberships: [...byOrg].map(([orgId, roles]) => ({ orgId, roles })),
    cityViewer,
  };
}

/**
 * The values of the roles claim in a token's claims: a string or an array of strings
 * (other values are ignored). A dotted name such as `realm_access.roles` reaches into
 * nested objects when no claim has that exact name.
 */
export function rolesClaimValues(claims: Record<string, unknown>, claimName: string): string[] {
  let value: unknown = claims[claimName];
  if (value === undefined && claimName.includes('.')) {
    value = claimName.split('.').reduce<unknown>(
      (node, key) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined),
      claims,
    );
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}
