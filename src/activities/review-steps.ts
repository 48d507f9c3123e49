import { createHash } from 'node:crypto';
import { Context, heartbeat } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ActivityState, Actor } from '../domain/activity';
import type { ChangeEvent } from '../domain/change-event';
import { carriedOverInstance, type NewActivity } from '../domain/new-activity';
import { reviewAuditSubject, type ReviewDecisionItem, type ReviewState } from '../domain/review';
import { appendAuditEvents } from '../services/audit/store';
import type { Models } from '../store/models';
import { startActivityWorkflow } from '../services/plans/start-activity';
import { inParallel } from '../platform/in-parallel';
import { carryOverChoices, freezeSnapshot, frozenContentHash, planKeys, projectReview, unfinishedActivities } from '../services/reviews/adoption';
import { advancePlanWindow, areasOf, organisationIds } from '../services/organisations/directory';
import { compileReview } from '../services/reviews/compile';
import { factsOfVersion, gatherReviewInputs } from '../services/reviews/gather';
import { prefillNarrative } from '../services/reviews/prefill';
import { changeUpdate } from '../workflows/messages/activity';

/** The review workflow's effects on the store and on the plan. Each is safe to retry. */
export function createReviewActivities(models: Models, opts: { timeZone: string }) {
  return {
    async prefillReview(input: { orgId: string; year: number }): Promise<Record<string, string>> {
      return prefillNarrative(await gatherReviewInputs(models, input.orgId, input.year, new Date().toISOString(), opts.timeZone));
    },

    /** Projects the review and appends its change to the organisation's audit chain. */
    async persistReview(input: { state: ReviewState; event?: Omit<ChangeEvent, 'activityId' | 'orgId'> }): Promise<void> {
      const { state } = input;
      await projectReview(models, state);
      if (input.event) await appendAuditEvents(models.auditEvents, [{ ...input.event, activityId: reviewAuditSubject(state.id), orgId: state.orgId }]);
    },

    /**
     * Freezes the adopted review: compiles it from the facts as they are now (a correction: as its
     * original was frozen with) and writes the snapshot once, with those facts. A retry finds the snapshot and returns its hash: it never rewrites it.
     */
    async freezeReview(input: { state: ReviewState }): Promise<{ contentHash: string }> {
      const { state } = input;
      const existing = await frozenContentHash(models, state.id);
      if (existing !== undefined) return { contentHash: existing };
      const adoption = state.adoption!;
      const { inputs, asOf } = await factsOfVersion(models, state, adoption.at, opts.timeZone);
      const document = JSON.stringify(compileReview(inputs, state, asOf));
      const contentHash = sha256(document);
      return {
        contentHash: await freezeSnapshot(models, {
          _id: state.id,
          orgId: state.orgId,
          year: state.year,
          version: state.version,
          ...(state.corrects ? { corrects: state.corrects } : {}),
          contentHash,
          adoptedBy: adoption.by,
          adoptedAt: adoption.at,
          document,
          inputs: JSON.stringify(inputs),
        }),
      };
    },

    /**
     * Does what the coordinator chose for each of the year's unfinished activities: carries it
     * over (a successor linked to it, under the chosen title and due date) and defers the original,
     * or closes it as done in part or dropped, with the reason. An activity with no choice (a
     * version from before the choices) is carried over unchanged. Deterministic ids and request
     * ids make a retry start and close nothing twice.
     */
    async carryOverPlan(input: { orgId: string; year: number; reviewId: string; adoptedBy: Actor }): Promise<{ carried: string[] }> {
      const { client, info } = Context.current();
      const unfinished = await unfinishedActivities(models, input.orgId, input.year);
      const nextYear = await planKeys(models, input.orgId, input.year + 1);
      const choices = new Map((await carryOverChoices(models, input.reviewId)).map((c) => [c.activityId, c]));
      const carried: string[] = [];
      // Several at a time: a whole year's plan may be unfinished, and each start and deferral waits for its workflow.
      await inParallel(unfinished, 8, async (doc) => {
        const state = { ...doc, id: doc._id };
        const choice = choices.get(state.id);
        if (choice && choice.choice !== 'carry') {
          await closeOrigin(client, state, input, 'cancel', choice.choice === 'drop' ? `Stryks vid ledningens genomgång ${input.year}: ${choice.reason}` : `Avslutad som delvis genomförd vid ledningens genomgång ${input.year}: ${choice.reason}`);
          heartbeat();
          return;
        }
        const successor = nextYear.find((a) => a.continues === state.id);
        const taken = nextYear.some((a) => a.key === state.key && a.continues !== state.id);
        if (!successor) {
          const key = taken ? `${state.key}-fran-${input.year}` : state.key;
          const activity = { ...carriedOverInstance(state, key), ...(choice ? { title: choice.title, dueDate: choice.due } : {}) };
          const started = await startActivityWorkflow(client, info.taskQueue, { activity, timeZone: opts.timeZone });
          carried.push(started.id);
        } else carried.push(`${input.orgId}.${input.year + 1}.${successor.key}`);
        await closeOrigin(client, state, input, 'defer', `Överförd till ${input.year + 1} när ledningens genomgång ${input.year} antogs.`);
        heartbeat();
      });
      return { carried };
    },

    /**
     * Each 9.3.3 decision with an owner and a due date becomes an activity of the next year's plan,
     * under the id the adoption gave it (a retry starts nothing twice), pointing back at the review.
     */
    async startDecisionActivities(input: { orgId: string; year: number; reviewId: string; decisions: NonNullable<ReviewState['adoption']>['decisions'] }): Promise<{ started: string[] }> {
      const { client, info } = Context.current();
      const areas = await areasOf(models, input.orgId);
      const area = areas.find((a) => a.id === 'ledningssystem')?.id ?? areas[0]?.id;
      const started: string[] = [];
      for (const d of input.decisions) {
        if (typeof d === 'string' || !d.activityId || !d.owner || !area) continue;
        await startActivityWorkflow(client, info.taskQueue, { activity: decisionActivity(input, d, area), timeZone: opts.timeZone });
        started.push(d.activityId);
        heartbeat();
      }
      return { started };
    },

    async organisationIds(): Promise<string[]> {
      return organisationIds(models);
    },

    /** The plan window moves on: the adopted review of `year` plans the three years after it. */
    async advancePlanWindow(input: { orgId: string; year: number }): Promise<void> {
      await advancePlanWindow(models, input.orgId, input.year);
    },
  };
}

/** Defers or cancels the original. A deferred activity stays as it is: it is already closed for the year. */
async function closeOrigin(client: Context['client'], state: ActivityState, input: { reviewId: string; adoptedBy: Actor }, type: 'defer' | 'cancel', reason: string): Promise<void> {
  if (state.status === 'deferred') return;
  try {
    await client.workflow.getHandle(state.id).executeUpdate(changeUpdate, {
      args: [{ workflowId: state.id, requestId: `carry-over:${input.reviewId}`, actor: input.adoptedBy, command: { type, reason }, withoutState: true }],
    });
  } catch (err) {
    // Closed meanwhile: the choice is carried out either way.
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
  }
}

/** A decision as a plan item: the title is the decision (shortened to fit), the description says where it was taken. */
export function decisionActivity(input: { orgId: string; year: number; reviewId: string }, d: ReviewDecisionItem, area: string): NewActivity {
  const title = d.text.length > 400 ? `${d.text.slice(0, 399)}…` : d.text;
  return {
    orgId: input.orgId,
    key: d.activityId!.split('.').pop()!,
    year: input.year + 1,
    title,
    description: `Beslut i ledningens genomgång ${input.year} (${input.reviewId}): ${d.text}`.slice(0, 4000),
    area,
    owner: { role: d.owner! },
    ...(d.due ? { dueDate: d.due } : {}),
    sourceSection: `LG ${input.year} 9.3.3`,
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
