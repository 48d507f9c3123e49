import type { ActivityState, ActivityStatus, Actor } from '../../src/domain/activity';
import { decide, type Command, type Decision } from '../../src/domain/changes';
import { newActivityState } from '../../src/domain/new-activity';
import type { TemplateId } from '../../src/domain/template-ids';
import { coordinator, delegate, head, infoOwner, owner, viewer } from '../support/actors';

const TZ = 'Europe/Stockholm';
const JUNE = '2026-06-15T10:00:00.000Z';

function activity(template?: TemplateId, patch: Partial<ActivityState> = {}): ActivityState {
  const s = newActivityState(
    { orgId: 'sodermalm', key: 'test', year: 2026, title: 'Testaktivitet', area: 'ai', owner: { role: 'it-coordinator' }, template },
    '2026-01-01T00:00:00.000Z',
  );
  return { ...s, ...patch };
}

let seq = 0;
function act(state: ActivityState, actor: Actor, command: Command, now = JUNE): Decision {
  return decide(state, { requestId: `r-${++seq}`, actor, command }, { now, timeZone: TZ });
}
function ok(d: Decision): ActivityState {
  if (!d.ok) throw new Error(`refused: ${d.rejection.kind}: ${d.rejection.reason}`);
  return d.state;
}
function refused(d: Decision) {
  if (d.ok) throw new Error('expected a refusal');
  return d.rejection;
}
function completeAll(state: ActivityState, milestoneId: string): ActivityState {
  return state.tasks
    .filter((t) => t.milestoneId === milestoneId)
    .reduce((s, t) => ok(act(s, owner, { type: 'complete-task', taskId: t.id })), state);
}
function toDone(state: ActivityState): ActivityState {
  const final = state.milestones.find((m) => m.final)!;
  const submitted = ok(act(completeAll(state, final.id), owner, { type: 'submit-milestone', milestoneId: final.id }));
  return ok(act(submitted, head, { type: 'approve-milestone', milestoneId: final.id }));
}

describe('the status machine', () => {
  const statuses: ActivityStatus[] = ['planned', 'in-progress', 'awaiting-approval', 'changes-requested', 'done', 'verified', 'blocked', 'deferred', 'cancelled'];
  const simple: { command: Command; actor: Actor; legalFrom: ActivityStatus[]; to: ActivityStatus | 'back' }[] = [
    { command: { type: 'start' }, actor: owner, legalFrom: ['planned'], to: 'in-progress' },
    { command: { type: 'block', reason: 'Väntar på upphandling' }, actor: owner, legalFrom: ['planned', 'in-progress', 'changes-requested'], to: 'blocked' },
    { command: { type: 'unblock' }, actor: owner, legalFrom: ['blocked'], to: 'back' },
    { command: { type: 'defer', reason: 'Resurser saknas' }, actor: coordinator, legalFrom: ['planned', 'in-progress', 'blocked', 'changes-requested'], to: 'deferred' },
    { command: { type: 'cancel', reason: 'Ersatt av annan aktivitet' }, actor: head, legalFrom: ['planned', 'in-progress', 'blocked', 'changes-requested', 'awaiting-approval'], to: 'cancelled' },
    { command: { type: 'verify', comment: 'Effekten följd upp i internkontrollen' }, actor: coordinator, legalFrom: ['done'], to: 'verified' },
  ];

  for (const { command, actor, legalFrom, to } of simple) {
    for (const from of statuses) {
      const legal = legalFrom.includes(from);
      it(`${command.type} from ${from} is ${legal ? 'legal' : 'refused'}`, () => {
        const state = activity(undefined, { status: from, ...(from === 'blocked' ? { statusBeforeBlock: 'in-progress' } : {}) });
        const d = act(state, actor, command);
        if (legal) {
          const next = ok(d);
          expect(next.status).toBe(to === 'back' ? 'in-progress' : to);
          expect(next.version).toBe(state.version + 1);
        } else {
          expect(refused(d).kind).toBe('illegal-transition');
          expect(refused(d).reason).toMatch(/^(Det går inte att|Aktiviteten är)/);
        }
      });
    }
  }

  it('walks the main path planned → in progress → awaiting approval → done → verified', () => {
    let s = activity();
    s = ok(act(s, owner, { type: 'complete-task', taskId: 'genomfor' }));
    expect(s.status).toBe('in-progress');
    s = ok(act(s, owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    expect(s.status).toBe('awaiting-approval');
    s = ok(act(s, head, { type: 'approve-milestone', milestoneId: 'slutford', comment: 'Bra' }));
    expect(s.status).toBe('done');
    s = ok(act(s, coordinator, { type: 'verify', comment: 'Verifierad' }));
    expect(s.status).toBe('verified');
    expect(s.version).toBe(5);
  });

  it('goes from awaiting approval to changes requested and back', () => {
    let s = ok(act(ok(act(activity(), owner, { type: 'complete-task', taskId: 'genomfor' })), owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    s = ok(act(s, head, { type: 'reject-milestone', milestoneId: 'slutford', comment: 'Underlag saknas' }));
    expect(s.status).toBe('changes-requested');
    expect(s.milestones[0]!.status).toBe('rejected');
    s = ok(act(s, owner, { type: 'add-evidence', link: 'https://intranat.stockholm.se/rutin.pdf' }));
    s = ok(act(s, owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    expect(s.status).toBe('awaiting-approval');
    expect(s.milestones[0]!.round).toBe(2);
    expect(ok(act(s, head, { type: 'approve-milestone', milestoneId: 'slutford' })).status).toBe('done');
  });

  it('refuses every change once the activity is terminal, and returns to the pre-block status', () => {
    for (const status of ['verified', 'deferred', 'cancelled'] as const) {
      expect(refused(act(activity(undefined, { status }), coordinator, { type: 'add-comment', text: 'x' })).kind).toBe('illegal-transition');
    }
    const blocked = ok(act(activity(undefined, { status: 'changes-requested' }), owner, { type: 'block', reason: 'väntar' }));
    expect(ok(act(blocked, owner, { type: 'unblock' })).status).toBe('changes-requested');
  });
});

describe('rights', () => {
  it('lets only the owner or a coordinator work on the activity', () => {
    for (const actor of [viewer, head, infoOwner]) {
      expect(refused(act(activity(), actor, { type: 'complete-task', taskId: 'genomfor' })).kind).toBe('forbidden');
    }
    expect(ok(act(activity(), coordinator, { type: 'complete-task', taskId: 'genomfor' })).tasks[0]!.doneBy).toEqual({ userId: 'cecilia', name: 'Cecilia Samordnare' });
  });

  it('lets an assigned owner act, and no longer every holder of the role', () => {
    const assigned = ok(act(activity(), coordinator, { type: 'assign-owner', userId: 'otto', name: 'Otto' }));
    expect(refused(act(assigned, owner, { type: 'start' })).kind).toBe('forbidden');
    expect(ok(act(assigned, { userId: 'otto', name: 'Otto', roles: [], delegations: [] }, { type: 'start' })).status).toBe('in-progress');
    expect(refused(act(activity(), owner, { type: 'assign-owner', userId: 'x', name: 'X' })).kind).toBe('forbidden');
  });

  it('refuses approval by a non-approver, the owner included', () => {
    const s = ok(act(ok(act(activity(), owner, { type: 'complete-task', taskId: 'genomfor' })), owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    for (const actor of [owner, coordinator, viewer, infoOwner]) {
      const r = refused(act(s, actor, { type: 'approve-milestone', milestoneId: 'slutford' }));
      expect(r).toEqual({ kind: 'forbidden', reason: 'Du är inte godkännare för detta steg och har ingen delegation för det.' });
    }
  });

  it('accepts a delegate inside the delegation dates and records on whose behalf', () => {
    const s = ok(act(ok(act(activity(), owner, { type: 'complete-task', taskId: 'genomfor' })), owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    const approved = ok(act(s, delegate, { type: 'approve-milestone', milestoneId: 'slutford' }, '2026-06-30T21:00:00.000Z'));
    expect(approved.status).toBe('done');
    expect(approved.milestones[0]!.decisions[0]).toMatchObject({
      decision: 'approved',
      by: { userId: 'dina' },
      onBehalfOf: { userId: 'hans', delegationId: 'del-1' },
    });
  });

  it('refuses a delegate outside the delegation dates, by the local date in Stockholm', () => {
    const s = ok(act(ok(act(activity(), owner, { type: 'complete-task', taskId: 'genomfor' })), owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    // 22:30 UTC on 30 June is already 1 July in Stockholm.
    for (const now of ['2026-05-31T12:00:00.000Z', '2026-06-30T22:30:00.000Z']) {
      const r = refused(act(s, delegate, { type: 'reject-milestone', milestoneId: 'slutford', comment: 'nej' }, now));
      expect(r.kind).toBe('forbidden');
      expect(r.reason).toMatch(/^Delegationen från Hans Förvaltningschef gäller 2026-06-01–2026-06-30, inte 2026-0(5-31|7-01)\.$/);
    }
  });

  it('lets only the förvaltningschef or a coordinator defer, cancel or decide extensions', () => {
    for (const type of ['defer', 'cancel'] as const) {
      expect(refused(act(activity(), owner, { type, reason: 'x' })).kind).toBe('forbidden');
    }
    const requested = ok(act(activity(), owner, { type: 'request-extension', proposedDueDate: '2027-03-31', reason: 'Upphandlingen dröjer' }));
    expect(refused(act(requested, owner, { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant' })).kind).toBe('forbidden');
  });
});

describe('an approval chain', () => {
  it('needs each approver in order, and a rejection sends it back to the start', () => {
    let s = activity('risk-analysis');
    s = completeAll(s, 'analys');
    s = ok(act(s, owner, { type: 'submit-milestone', milestoneId: 'analys' }));
    s = ok(act(s, head, { type: 'approve-milestone', milestoneId: 'analys' }));
    expect(s.status).toBe('in-progress');
    s = completeAll(s, 'slutford');
    s = ok(act(s, owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    expect(s.status).toBe('awaiting-approval');

    // Step 1 is the informationsägare: the förvaltningschef may not skip ahead.
    expect(refused(act(s, head, { type: 'approve-milestone', milestoneId: 'slutford' })).kind).toBe('forbidden');
    s = ok(act(s, infoOwner, { type: 'approve-milestone', milestoneId: 'slutford' }));
    expect(s.status).toBe('awaiting-approval');
    expect(refused(act(s, infoOwner, { type: 'approve-milestone', milestoneId: 'slutford' })).kind).toBe('forbidden');

    s = ok(act(s, head, { type: 'reject-milestone', milestoneId: 'slutford', comment: 'Komplettera åtgärdsplanen' }));
    expect(s.status).toBe('changes-requested');
    s = ok(act(s, owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    expect(refused(act(s, head, { type: 'approve-milestone', milestoneId: 'slutford' })).kind).toBe('forbidden');
    s = ok(act(s, infoOwner, { type: 'approve-milestone', milestoneId: 'slutford' }));
    s = ok(act(s, head, { type: 'approve-milestone', milestoneId: 'slutford' }));
    expect(s.status).toBe('done');
    expect(s.milestones[1]!.decisions.map((d) => [d.round, d.step, d.decision, d.by.userId])).toEqual([
      [1, 0, 'approved', 'ingrid'],
      [1, 1, 'rejected', 'hans'],
      [2, 0, 'approved', 'ingrid'],
      [2, 1, 'approved', 'hans'],
    ]);
  });

  it('refuses to submit a milestone with open tasks, or the final one before the others are approved', () => {
    const s = activity('risk-analysis');
    expect(refused(act(s, owner, { type: 'submit-milestone', milestoneId: 'analys' })).reason).toMatch(/^3 uppgift\(er\) i milstolpen är inte klara/);
    const finalReady = completeAll(s, 'slutford');
    expect(refused(act(finalReady, owner, { type: 'submit-milestone', milestoneId: 'slutford' })).reason).toBe(
      'Milstolparna före den sista måste vara godkända: Riskanalys genomförd.',
    );
  });

  it('locks the tasks of a submitted milestone', () => {
    const s = ok(act(completeAll(activity('ai-routines'), 'slutford'), owner, { type: 'submit-milestone', milestoneId: 'slutford' }));
    expect(refused(act(s, owner, { type: 'reopen-task', taskId: 'rutin-anvandning' })).kind).toBe('illegal-transition');
  });
});

describe('deadline extensions', () => {
  it('moves the deadline when granted, and records the history', () => {
    let s = ok(act(activity(), owner, { type: 'request-extension', proposedDueDate: '2027-03-31', reason: 'Upphandlingen dröjer' }));
    expect(refused(act(s, owner, { type: 'request-extension', proposedDueDate: '2027-04-30', reason: 'igen' })).reason).toBe('Det finns redan en obesvarad begäran om mer tid.');
    s = ok(act(s, head, { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant', comment: 'Beviljas' }));
    expect(s.dueDate).toBe('2027-03-31');
    expect(s.deadlineHistory).toEqual([{ from: '2026-12-31', to: '2027-03-31', at: JUNE, by: { userId: 'hans', name: 'Hans Förvaltningschef' }, extensionId: 'forlangning-1' }]);
    expect(s.extensions[0]).toMatchObject({ status: 'granted', decidedBy: { userId: 'hans' } });
  });

  it('keeps the deadline when refused, refuses an earlier date and self-decision', () => {
    const s = ok(act(activity(), coordinator, { type: 'request-extension', proposedDueDate: '2027-01-31', reason: 'x' }));
    expect(refused(act(s, coordinator, { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant' })).kind).toBe('forbidden');
    expect(ok(act(s, head, { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'refuse' })).dueDate).toBe('2026-12-31');
    expect(refused(act(activity(), owner, { type: 'request-extension', proposedDueDate: '2026-12-31', reason: 'x' })).kind).toBe('invalid');
  });
});

describe('a new activity', () => {
  it('takes its fields from the plan item, with 31 December as the default due date', () => {
    const s = newActivityState(
      { orgId: 'fastighetskontoret', key: 'riskanalys', year: 2027, title: 'Uppdatera riskanalysen', area: 'riskanalys', owner: { role: 'security-coordinator' }, resources: 'Konsultstöd 80 timmar', estimatedCost: 120000, goal: 'g', expectedResult: 'Riskanalys fastställd', priority: 'hög', nis2Measures: ['21.2.a'], annexAControls: ['5.7'], secrecy: 'osl-18-8', dependsOn: ['klassning'] },
      '2026-11-01T00:00:00.000Z',
    );
    expect(s).toMatchObject({
      id: 'fastighetskontoret.2027.riskanalys',
      dueDate: '2027-12-31',
      resources: 'Konsultstöd 80 timmar',
      estimatedCost: 120000,
      priority: 'hög',
      secrecy: 'osl-18-8',
      dependsOn: ['fastighetskontoret.2027.klassning'],
      status: 'planned',
      version: 1,
    });
    expect(s.milestones).toHaveLength(1);
  });
});

describe('optimistic concurrency', () => {
  it('refuses a change based on a version that is no longer current', () => {
    const s = activity();
    const stale = decide(s, { requestId: 'x', actor: owner, command: { type: 'start' }, expectedVersion: 2 }, { now: JUNE, timeZone: TZ });
    expect(refused(stale)).toEqual({ kind: 'stale', reason: 'Aktiviteten har ändrats (version 1, inte 2). Läs om den och försök igen.' });
    expect(ok(decide(s, { requestId: 'y', actor: owner, command: { type: 'start' }, expectedVersion: 1 }, { now: JUNE, timeZone: TZ })).version).toBe(2);
  });
});

describe('input checks', () => {
  it('refuses malformed commands with the field named', () => {
    const r = refused(act(activity(), owner, { type: 'add-comment', text: 'a\u0000b' }));
    expect(r).toEqual({ kind: 'invalid', reason: 'command.text: must not contain NUL characters' });
    expect(refused(act(activity(), owner, { type: 'add-evidence', text: 'inget' })).kind).toBe('invalid');
    expect(refused(act(activity(), owner, { type: 'complete-task', taskId: 'finns-inte' })).kind).toBe('not-found');
  });

  it('keeps a comment’s text or its store reference, as the command carries it, and never both', () => {
    const ref = { id: 'text-1', sha256: 'a'.repeat(64), length: 12 };
    const at = { by: { userId: owner.userId, name: owner.name }, at: JUNE };
    expect(ok(act(activity(), owner, { type: 'add-comment', textRef: ref })).entries).toEqual([{ id: 'kommentar-1', kind: 'comment', textRef: ref, ...at }]);
    // The form recorded histories carry: the same state, key for key, as before the texts moved.
    expect(JSON.stringify(ok(act(activity(), owner, { type: 'add-comment', text: 'Inline' })).entries)).toBe(JSON.stringify([{ id: 'kommentar-1', kind: 'comment', text: 'Inline', ...at }]));
    expect(refused(act(activity(), owner, { type: 'add-comment', text: 'Båda', textRef: ref })).kind).toBe('invalid');
    expect(refused(act(activity(), owner, { type: 'add-comment' })).kind).toBe('invalid');
    expect(refused(act(activity(), owner, { type: 'add-evidence', text: 'Båda', textRef: ref, link: 'https://intranat.example/a.pdf' })).kind).toBe('invalid');
  });

  it('builds the NIS2 template with the ten Article 21 measures, the reporting steps and a final sign-off', () => {
    const s = activity('nis2');
    expect(s.tasks.filter((t) => t.milestoneId === 'atgarder-artikel-21')).toHaveLength(10);
    expect(s.tasks.filter((t) => t.milestoneId === 'incidentrapportering').map((t) => t.title)).toEqual([
      'Tidig varning inom 24 timmar',
      'Incidentanmälan inom 72 timmar',
      'Slutrapport inom en månad',
    ]);
    expect(s.milestones.map((m) => [m.id, m.final])).toEqual([['atgarder-artikel-21', false], ['incidentrapportering', false], ['slutford', true]]);
    let done = s;
    for (const m of ['atgarder-artikel-21', 'incidentrapportering']) {
      done = ok(act(completeAll(done, m), owner, { type: 'submit-milestone', milestoneId: m }));
      done = ok(act(done, head, { type: 'approve-milestone', milestoneId: m }));
      expect(done.status).toBe('in-progress');
    }
    expect(toDone(done).status).toBe('done');
  });
});
