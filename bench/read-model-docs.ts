import { toActivityDoc } from '../src/services/activities/projection';
import type { ActivityDoc } from '../src/store/models/activity';
import type { ActivityState } from '../src/domain/activity';
import { newActivityState } from '../src/domain/new-activity';

export const AREAS = ['area-1', 'area-2', 'area-3', 'area-4', 'area-5', 'area-6'];
const OWNER_ROLES = ['activity-owner', 'it-coordinator', 'information-owner', 'security-coordinator'] as const;
const STATUSES = ['planned', 'in-progress', 'in-progress', 'done'] as const;
/** The person who owns every tenth activity by name: the "/me" of the list benchmarks. */
export const LISTER = { userId: 'bench-lister', name: 'Lisa Lista' };

/**
 * Read-model document number `i`, as a projected activity looks: reproducible, with
 * independent picks per attribute so that no two attributes correlate.
 */
export function benchActivityDoc(i: number, orgId: string, timeZone: string, createdAt: string): ActivityDoc {
  const pick = (salt: number, n: number) => Number((BigInt(i + 1) * 2654435761n + BigInt(salt) * 40503n) % 1000003n) % n;
  const year = 2026 + pick(1, 3);
  const dueDate = `${year}-${String(1 + pick(2, 12)).padStart(2, '0')}-${String(1 + pick(3, 28)).padStart(2, '0')}`;
  const state: ActivityState = {
    ...newActivityState(
      {
        orgId,
        key: `a-${i}`,
        year,
        title: `Aktivitet ${i}`,
        area: AREAS[pick(4, AREAS.length)]!,
        owner: { role: OWNER_ROLES[pick(5, OWNER_ROLES.length)]! },
        dueDate,
        template: pick(6, 2) ? 'ai-routines' : undefined,
      } as never,
      createdAt,
    ),
    status: STATUSES[pick(7, STATUSES.length)]!,
  };
  if (pick(8, 10) === 0) state.owner = { ...state.owner, ...LISTER };
  // One in 25 has its milestone handed in for sign-off, one in 50 a request for more time.
  const milestone = state.milestones[0];
  if (milestone && pick(9, 25) === 0) state.milestones = [{ ...milestone, status: 'submitted', submittedAt: createdAt }, ...state.milestones.slice(1)];
  if (pick(10, 50) === 0) {
    state.extensions = [
      { id: 'forlangning-1', currentDueDate: dueDate, proposedDueDate: `${year}-12-31`, reason: 'Mer tid', requestedBy: { userId: 'bench-owner', name: 'Ägare' }, requestedAt: createdAt, status: 'pending' },
    ];
  }
  return toActivityDoc(state, timeZone);
}
