import { z } from 'zod';
import { IsoDate, Text } from './common';
import { RoleName } from './roles';

/**
 * A delegation (delegationsordning): `toUserId` may sign as `fromUserId` in `role` from
 * `validFrom` through `validTo`. It stands in for someone for a period; it is not a way to give
 * a role for good, which is the administrator's membership change and shows as one. So it goes
 * to someone else, and for at most a year (a longer stand-in is renewed, and so looked at again).
 * That the receiver is a member of the organisation, and that the same delegation is not
 * already in force, needs the store: the service checks those.
 */

export const DelegationFields = z.object({ fromUserId: Text(100), toUserId: Text(100), role: RoleName, validFrom: IsoDate, validTo: IsoDate });
export type DelegationFields = z.infer<typeof DelegationFields>;

/** The rules that need nothing but the request; each names the field it is about. */
export function delegationRuleIssues(d: DelegationFields): { field: keyof DelegationFields; message: string }[] {
  const issues: { field: keyof DelegationFields; message: string }[] = [];
  if (d.toUserId === d.fromUserId) issues.push({ field: 'toUserId', message: 'must be someone other than fromUserId: a person cannot delegate to themselves' });
  // zod runs this refinement even when a date failed its own check: compare real dates only.
  if (!IsoDate.safeParse(d.validFrom).success || !IsoDate.safeParse(d.validTo).success) return issues;
  if (d.validTo < d.validFrom) issues.push({ field: 'validTo', message: 'must not be before validFrom' });
  else if (d.validTo > oneYearAfter(d.validFrom)) issues.push({ field: 'validTo', message: `must be at most one year after validFrom (${oneYearAfter(d.validFrom)})` });
  return issues;
}

/** The request body of POST …/delegations; the UI's form extends DelegationFields with the same rules. */
export const DelegationRequest = DelegationFields.strict().superRefine(checkDelegationRules);

export function checkDelegationRules(d: DelegationFields, ctx: z.RefinementCtx): void {
  for (const issue of delegationRuleIssues(d)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
}

/** The same day a year later (YYYY-MM-DD); 29 February gives 28 February. */
export function oneYearAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}
