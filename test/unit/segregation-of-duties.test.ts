import type { ActivityState, Actor } from '../../src/domain/activity';
import { decide, type Command, type Decision } from '../../src/domain/changes';
import { newActivityState } from '../../src/domain/new-activity';
import { coordinator, head, owner } from '../support/actors';

const TZ = 'Europe/Stockholm';
const JUNE = '2026-06-15T10:00:00.000Z';
const RULE = /^Åtskilda arbetsuppgifter \(A 5\.3\): /;

/** The head who also works as owner, and the owner who signs for the head by delegation. */
const headAsOwner: Actor = { ...head, roles: ['head-of-administration', 'it-coordinator'] };
const ownerWithDelegation: Actor = {
  ...owner,
  delegations: [{ id: 'del-1', from: { userId: head.userId, name: head.name }, role: 'head-of-administration', validFrom: '2026-06-01', validTo: '2026-06-30' }],
};
const coordinatorAndHead: Actor = { ...coordinator, roles: ['security-coordinator', 'head-of-administration'] };

function act(state: ActivityState, actor: Actor, command: Command, separateDuties?: boolean): Decision {
  return decide(state, { requestId: `r-${state.version}-${actor.userId}`, actor, command }, { now: JUNE, timeZone: TZ, ...(separateDuties === undefined ? {} : { separateDuties }) });
}
function ok(d: Decision): ActivityState {
  if (!d.ok) throw new Error(`refused: ${d.rejection.reason}`);
  return d.state;
}

/** A blank activity with its final milestone submitted by `submitter`, owned by `ownerId` if given. */
function submitted(submitter: Actor, ownerId?: string): ActivityState {
  let s = newActivityState({ orgId: 'sodermalm', key: 'sod', year: 2026, title: 'Aktivitet', area: 'ai', owner: { role: 'it-coordinator' } }, '2026-01-01T00:00:00.000Z');
  if (ownerId) s = { ...s, owner: { ...s.owner, userId: ownerId, name: ownerId } };
  for (const t of s.tasks) s = ok(act(s, submitter, { type: 'complete-task', taskId: t.id }));
  return ok(act(s, submitter, { type: 'submit-milestone', milestoneId: 'slutford' }));
}
const approve: Command = { type: 'approve-milestone', milestoneId: 'slutford' };

describe('segregation of duties on milestone approval', () => {
  it.each([
    ['an owner approving her own submission under a delegation from the head', submitted(owner, owner.userId), ownerWithDelegation, 'den som skickat in milstolpen'],
    ['the head approving a milestone of an activity he owns', submitted(coordinator, head.userId), headAsOwner, 'aktivitetsansvarig kan inte godkänna'],
    ['a coordinator who also holds the head role approving what she submitted', submitted(coordinatorAndHead), coordinatorAndHead, 'den som skickat in milstolpen'],
  ])('refuses %s, naming the rule', (_what, state, actor, words) => {
    const d = act(state, actor, approve);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.rejection.kind).toBe('forbidden');
    expect(d.rejection.reason).toMatch(RULE);
    expect(d.rejection.reason).toContain(words);
  });

  it('lets someone else approve, and the submitter may still withdraw it by rejecting', () => {
    const s = submitted(coordinatorAndHead, owner.userId);
    expect(ok(act(s, head, approve)).status).toBe('done');
    expect(ok(act(s, coordinatorAndHead, { type: 'reject-milestone', milestoneId: 'slutford', comment: 'Fel bilaga' })).status).toBe('changes-requested');
  });

  it('decides as before for a workflow run that began before the rule', () => {
    expect(ok(act(submitted(coordinatorAndHead), coordinatorAndHead, approve, false)).status).toBe('done');
  });
});
