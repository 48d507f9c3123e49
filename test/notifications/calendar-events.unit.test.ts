import type { ActivityDoc } from '../../src/store/models/activity';
import { milestoneEvents, reviewEvent, type ReviewOfYear } from '../../src/services/notifications/calendar-events';
import { milestoneUid, reviewUid } from '../../src/services/notifications/ical';

const ctx = { publicUrl: 'https://lisplan.example.se', timeZone: 'Europe/Stockholm' };
const head = { userId: 'demo-johan', name: 'Johan Wikström' };

function activity(milestones: Partial<ActivityDoc['milestones'][number]>[], secrecy?: 'osl-18-8'): ActivityDoc {
  return {
    _id: 'sodermalm.2026.riskanalys',
    title: 'Riskanalys av e-tjänsterna',
    version: 7,
    updatedAt: '2026-06-02T10:00:00Z',
    ...(secrecy ? { secrecy } : {}),
    milestones: milestones.map((m, i) => ({
      id: `ms-${i}`,
      title: `Milstolpe ${i}`,
      final: false,
      approvers: [{ role: 'information-owner' }, { role: 'head-of-administration', name: 'Johan Wikström' }],
      status: 'open',
      round: 1,
      decisions: [],
      ...m,
    })),
  } as unknown as ActivityDoc;
}

describe('milestone events', () => {
  it('dates a milestone by its sending in, then by the approval of its current round, in the plan’s zone', () => {
    const events = milestoneEvents(
      activity([
        { status: 'open' },
        { status: 'submitted', submittedAt: '2026-05-31T22:30:00Z' },
        {
          status: 'approved',
          final: true,
          round: 2,
          submittedAt: '2026-05-01T08:00:00Z',
          decisions: [
            { round: 1, step: 0, decision: 'rejected', by: head, at: '2026-04-01T08:00:00Z' },
            { round: 2, step: 0, decision: 'approved', by: head, at: '2026-05-10T08:00:00Z' },
            { round: 2, step: 1, decision: 'approved', by: head, at: '2026-05-12T08:00:00Z' },
          ],
        },
        { status: 'rejected', submittedAt: '2026-05-01T08:00:00Z' },
      ]),
      ctx,
    );
    expect(events.map((e) => ({ uid: e.uid, date: e.date, summary: e.summary, version: e.version }))).toEqual([
      // 22:30 UTC on 31 May is 1 June in Stockholm.
      { uid: milestoneUid('sodermalm.2026.riskanalys', 'ms-1'), date: '2026-06-01', summary: 'Väntar på godkännande: Milstolpe 1 (Riskanalys av e-tjänsterna)', version: 7 },
      { uid: milestoneUid('sodermalm.2026.riskanalys', 'ms-2'), date: '2026-05-12', summary: 'Milstolpe godkänd: Milstolpe 2 (Riskanalys av e-tjänsterna)', version: 7 },
    ]);
    expect(events[0]!.description).toBe('Inskickad för godkännande av information-owner, sedan Johan Wikström.');
    expect(events[1]!.description).toBe('Milstolpen är godkänd och aktiviteten genomförd.');
  });

  it('does not name a confidential activity', () => {
    const [e] = milestoneEvents(activity([{ status: 'submitted', submittedAt: '2026-05-02T08:00:00Z' }], 'osl-18-8'), ctx);
    expect(e!.summary).toBe('Väntar på godkännande: Milstolpe 0 (sekretessmarkerad aktivitet)');
  });
});

describe('review events', () => {
  const org = { _id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning' };
  const base: ReviewOfYear = {
    orgId: 'sodermalm',
    year: 2026,
    status: 'draft',
    revision: 3,
    submissions: [],
    changeRequests: [],
    createdAt: '2026-11-01T05:00:00Z',
    updatedAt: '2026-11-20T05:00:00Z',
  };

  it('is planned on the schedule’s date until the review starts, and none without a schedule', () => {
    expect(reviewEvent(org, 2027, undefined, { ...ctx, reviewStart: { month: 11, day: 1 } })).toMatchObject({
      uid: reviewUid('sodermalm', 2027),
      summary: 'Ledningens genomgång 2027 startar',
      date: '2027-11-01',
      version: 0,
      url: 'https://lisplan.example.se/arsrapport/sodermalm/2027',
    });
    expect(reviewEvent(org, 2027, undefined, ctx)).toBeUndefined();
  });

  it('moves to the day it was handed in and then adopted, its sequence growing at each step', () => {
    const draft = reviewEvent(org, 2026, base, ctx)!;
    const submittedReview = { ...base, status: 'submitted' as const, submissions: [{ by: head, at: '2026-12-01T09:00:00Z', revision: 3 }] };
    const submitted = reviewEvent(org, 2026, submittedReview, ctx)!;
    const sentBack = reviewEvent(org, 2026, { ...submittedReview, status: 'changes-requested', changeRequests: [{ by: head, at: '2026-12-02T09:00:00Z', comment: 'Mer om risker', revision: 3 }] }, ctx)!;
    const adopted = reviewEvent(
      org,
      2026,
      { ...submittedReview, status: 'adopted', revision: 4, changeRequests: [{ by: head, at: '2026-12-02T09:00:00Z', comment: 'Mer om risker', revision: 3 }], adoption: { by: head, at: '2026-12-10T14:00:00Z', decisions: ['Planen antas'], revision: 4 } },
      ctx,
    )!;
    expect([draft, submitted, sentBack, adopted].map((e) => [e.summary, e.date])).toEqual([
      ['Ledningens genomgång 2026 pågår', '2026-11-01'],
      ['Ledningens genomgång 2026 väntar på antagande', '2026-12-01'],
      ['Ledningens genomgång 2026 pågår', '2026-11-01'],
      ['Ledningens genomgång 2026 antagen', '2026-12-10'],
    ]);
    const versions = [draft, submitted, sentBack, adopted].map((e) => e.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(4);
    expect(new Set([draft, submitted, sentBack, adopted].map((e) => e.uid))).toEqual(new Set([reviewUid('sodermalm', 2026)]));
  });
});
