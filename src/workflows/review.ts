import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Actor } from '../domain/activity';
import { dateInZone } from '../domain/deadlines';
import { REJECTION_TYPES } from './messages/activity';
import { refusedOrigin } from './change-origin';
import { notifyReviewAwaitingAdoption } from './notify';
import { startOnce } from './start-once';
import { isForeign } from './messages/payload-origin';
import { reviewChangeUpdate, reviewStateQuery, reviewWorkflowId, type ReviewEvent, type ReviewWorkflowInput } from './messages/review';
import { LEGACY_REVIEW_RULES, REVIEW_RULES, decideReview, newReviewState, type ReviewChangeRequest, type ReviewRejection, type ReviewState } from '../domain/review';
import { REVIEW_CHANGES_PER_RUN } from '../domain/review-limits';

/** Request ids remembered across continue-as-new, so a retried change is still applied once. */
const REMEMBERED_REQUESTS = 1_000;

/**
 * One version of one organisation's year-end review, from the first draft to adoption. Like an
 * activity, the workflow is the single writer: the coordinator's edits, the submission and the
 * förvaltningschef's decision are Updates checked by the review's rules. Adoption freezes the
 * snapshot, carries unfinished activities over and advances the plan window, then the run ends:
 * a correction is a new version, a new workflow.
 */

const { prefillReview, persistReview, freezeReview, carryOverPlan, startDecisionActivities, advancePlanWindow } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function reviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewState & { contentHash: string }> {
  // Started past lisplan (an input not sealed with the payload key): a carried state would be
  // persisted, audited, frozen and carried out as it stands, so the run ends before it does
  // anything. patched() only on that path, so every recorded history replays as it was.
  if (isForeign(input) && patched('sealed-input')) {
    throw ApplicationFailure.create({ message: 'the review was not started by lisplan (its input is not sealed with the payload key)', type: REJECTION_TYPES.forbidden, nonRetryable: true });
  }
  // Versions started before the adoption checks keep the rules they ran under, and adopt without
  // turning decisions into activities: their recorded histories replay unchanged.
  const adoptionChecks = patched('review-adoption-checks');
  // And later: the state is bounded (REVIEW_LIMITS) and the run continues as new every
  // REVIEW_CHANGES_PER_RUN changes, so neither it nor the history grows without end. Runs that
  // began before accept and keep what they recorded.
  const limits = patched('review-limits');
  const rules = adoptionChecks ? { ...REVIEW_RULES, limits } : LEGACY_REVIEW_RULES;
  const { carried } = input;
  let state = carried?.state ?? newReviewState({ ...input, narrative: input.narrative ?? (await prefillReview({ orgId: input.orgId, year: input.year })) }, workflowInfo().startTime.toISOString());
  const pending: ReviewEvent[] = carried?.pending ?? [
    { version: 1, action: 'review-created', actor: { userId: 'system', name: 'lisplan' }, at: state.createdAt, requestId: `created:${state.id}`, changes: [] },
  ];
  const applied = new Map<string, number>(carried?.applied);
  let adoptedBy: Actor | undefined;
  let changesThisRun = 0;

  // A limit's name and size travel as the failure's details, for the API's problem to name it.
  const refuse = ({ kind, reason, limit }: ReviewRejection) =>
    ApplicationFailure.create({ message: reason, type: REJECTION_TYPES[kind], nonRetryable: true, ...(limit ? { details: [limit] } : {}) });
  const decide = (request: ReviewChangeRequest) => decideReview(state, request, new Date().toISOString(), rules);

  setHandler(reviewStateQuery, () => state);
  setHandler(
    reviewChangeUpdate,
    (request) => {
      // The flag is part of the request and so of the history: replay answers as it answered.
      const withState = () => (request.withoutState ? {} : { state });
      const first = applied.get(request.requestId);
      if (first !== undefined) return { revision: first, duplicate: true, ...withState() };
      const decision = decide(request);
      if (!decision.ok) throw refuse(decision.rejection);
      const before = state;
      state = decision.state;
      if (request.command.type === 'adopt') adoptedBy = request.actor;
      applied.set(request.requestId, state.revision);
      changesThisRun++;
      pending.push({
        version: state.revision,
        action: `review-${request.command.type}`,
        actor: { userId: request.actor.userId, name: request.actor.name },
        at: state.updatedAt,
        requestId: request.requestId,
        changes: [{ field: 'status', before: JSON.stringify(before.status), after: JSON.stringify(state.status) }],
      });
      return { revision: state.revision, duplicate: false, ...withState() };
    },
    {
      validator: (request) => {
        const refused = refusedOrigin(request);
        if (refused) throw refuse({ kind: 'forbidden', reason: refused });
        if (applied.has(request?.requestId)) return;
        const decision = decide(request);
        if (!decision.ok) throw refuse(decision.rejection);
      },
    },
  );

  // An adoption is carried out by the run that accepted it.
  const runIsFull = () => limits && changesThisRun >= REVIEW_CHANGES_PER_RUN && state.status !== 'adopted';
  for (;;) {
    while (pending.length > 0) {
      // Checked before each event, with the events not yet persisted carried along: while changes
      // keep coming there is always one left. The Update handler is synchronous: none is in flight.
      if (runIsFull()) return continueAsNew<typeof reviewWorkflow>({ ...input, carried: { state, applied: [...applied].slice(-REMEMBERED_REQUESTS), pending } });
      const event = pending[0]!;
      await persistReview({ state, event });
      pending.shift();
      if (event.action === 'review-submit') {
        await notifyReviewAwaitingAdoption({ orgId: state.orgId, year: state.year, version: state.version, submission: state.submissions.length });
      }
    }
    if (state.status === 'adopted') break;
    const seen = state.revision;
    await condition(() => state.revision !== seen);
  }

  const { contentHash } = await freezeReview({ state });
  // A correction changes the text of an adopted review, not the plan it already carried over.
  if (state.version === 1) {
    await carryOverPlan({ orgId: state.orgId, year: state.year, reviewId: state.id, adoptedBy: adoptedBy! });
    if (adoptionChecks) await startDecisionActivities({ orgId: state.orgId, year: state.year, reviewId: state.id, decisions: state.adoption!.decisions });
    await advancePlanWindow({ orgId: state.orgId, year: state.year });
  }
  await condition(allHandlersFinished);
  return { ...state, contentHash };
}

const { organisationIds } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

/**
 * Started by the yearly Schedule: opens the year's review for every organisation. A review a
 * coordinator already started stands; the ids make a rerun start nothing twice.
 */
export async function yearlyReviewWorkflow(input: { timeZone: string }): Promise<{ year: number; organisations: string[] }> {
  const year = Number(dateInZone(Date.now(), input.timeZone).slice(0, 4));
  const organisations = await organisationIds();
  for (const orgId of organisations) await startOnce(reviewWorkflow, reviewWorkflowId(orgId, year, 1), [{ orgId, year, version: 1 }]);
  return { year, organisations };
}
