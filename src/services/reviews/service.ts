import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { awaitProjection } from '../../store/await-projection';
import type { ReviewChangeRequest, ReviewCommand, ReviewState, SubmittedFigures } from '../../domain/review';
import type { Models } from '../../store/models';
import type { ReviewDoc } from '../../store/models/review';
import type { reviewWorkflow } from '../../workflows/review';
import { REVIEW_WORKFLOW, reviewChangeUpdate, reviewStateQuery, reviewWorkflowId, type ReviewChangeResult } from '../../workflows/messages/review';
import { carryOverItems, undecided, type CarryOverItem } from './carry-over';
import { compileReview } from './compile';
import { reviewFigures } from './figures';
import type { ReviewDocument, ReviewInputs } from './document';
import { factsOfVersion } from './gather';
import { Problem } from '../problem';
import { sendUpdate } from '../unavailable';
import { stateAfterChange } from '../state-after-change';

/**
 * What the API, the web pages and the CLI do with reviews, in one place: find the current
 * version, start one, change it through its workflow, and get its document (the frozen
 * snapshot once adopted, else a draft compiled from the live facts).
 */

export interface ReviewTemporal {
  client: Client;
  taskQueue: string;
  /** The deadline of a change's Update; see applyChangeAs. */
  updateTimeoutMs: number;
  /** The plan's zone: the day a submission's figures describe. */
  timeZone: string;
}

export function toReviewState(doc: ReviewDoc): ReviewState {
  const { _id, projectedAt: _projectedAt, ...rest } = doc;
  return { id: _id, ...rest };
}

/** Every version of the year's review, newest first. */
export async function reviewVersions(models: Models, orgId: string, year: number): Promise<ReviewState[]> {
  const docs = await models.reviews.find({ orgId, year }).sort({ version: -1 }).lean();
  return docs.map(toReviewState);
}

export async function currentReview(models: Models, orgId: string, year: number): Promise<ReviewState | undefined> {
  return (await reviewVersions(models, orgId, year))[0];
}

/** Starts the year's review, or a correction of its adopted version; waits for its first projection. */
export async function startReview(
  temporal: Omit<ReviewTemporal, 'updateTimeoutMs' | 'timeZone'>,
  models: Models,
  input: { orgId: string; year: number; diaryNumber?: string; correction?: boolean },
): Promise<{ state: ReviewState; started: boolean }> {
  const current = await currentReview(models, input.orgId, input.year);
  if (input.correction) {
    if (current?.status !== 'adopted') throw Problem.conflict('Bara en antagen genomgång kan rättas; den senaste versionen är inte antagen.');
  } else if (current) return { state: current, started: false };

  const version = (current?.version ?? 0) + 1;
  const workflowId = reviewWorkflowId(input.orgId, input.year, version);
  try {
    await temporal.client.workflow.start<typeof reviewWorkflow>(REVIEW_WORKFLOW, {
      workflowId,
      taskQueue: temporal.taskQueue,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [
        {
          orgId: input.orgId,
          year: input.year,
          version,
          ...(current
            ? {
                corrects: current.id,
                narrative: current.narrative,
                ...(current.nothingToReport?.length ? { nothingToReport: current.nothingToReport } : {}),
                ...(current.carryOver?.length ? { carryOver: current.carryOver } : {}),
              }
            : {}),
          ...((input.diaryNumber ?? current?.diaryNumber) ? { diaryNumber: input.diaryNumber ?? current?.diaryNumber } : {}),
        },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const id = `${input.orgId}.${input.year}.v${version}`;
  for (let waited = 0; waited < 60_000; waited += 100) {
    const doc = await models.reviews.findById(id).lean();
    if (doc) return { state: toReviewState(doc), started: true };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`review ${id} was started but not projected within a minute`);
}

/**
 * Answers once the read model has the change (bounded, as for activities), and after an
 * adoption once the frozen snapshot is there too, so that the next read or export is the one
 * the caller expects. The workflow answers without the state (its history keeps every answer);
 * the state is read back from the read model, or from the workflow while the store lags.
 */
export async function changeReview(temporal: ReviewTemporal, models: Models, review: ReviewState, request: ReviewChangeRequest): Promise<Required<ReviewChangeResult>> {
  if (request.command.type === 'submit') request = { ...request, command: await submission(models, review, temporal.timeZone) };
  const workflowId = reviewWorkflowId(review.orgId, review.year, review.version);
  const handle = temporal.client.workflow.getHandle(workflowId);
  const deadline = () => Date.now() + temporal.updateTimeoutMs;
  const message = { ...request, workflowId, withoutState: true };
  const { revision, duplicate } = await sendUpdate(temporal.client, deadline(), () => handle.executeUpdate(reviewChangeUpdate, { args: [message] }));
  const projected = await awaitProjection(() => models.reviews.findById(review.id).select({ revision: 1 }).lean().then((d) => d?.revision), revision);
  if (request.command.type === 'adopt') {
    // A snapshot is written once and never changes, so its presence is its version.
    await awaitProjection(() => models.reviewSnapshots.exists({ _id: review.id }).then((d) => (d ? 1 : 0)), 1);
  }
  // A duplicate's revision is the one its request made: the read model holds it or a later one.
  const fromStore = () => models.reviews.findById(review.id).lean().then((doc) => (doc && doc.revision >= revision ? toReviewState(doc) : undefined));
  const state = await stateAfterChange(temporal.client, { projected, fromStore, fromWorkflow: () => handle.query(reviewStateQuery), deadline: deadline() }, `The change to ${review.id} is applied (revision ${revision})`);
  return { revision, duplicate, state };
}

/**
 * A submission as the workflow records it: refused while an unfinished activity has no
 * carry-over choice (the first version only: a correction carries nothing over), and carrying
 * the figures the review is handed in with.
 */
async function submission(models: Models, review: ReviewState, timeZone: string): Promise<Extract<ReviewCommand, { type: 'submit' }>> {
  const { inputs, asOf } = await factsOfVersion(models, review, new Date().toISOString(), timeZone);
  if (review.version === 1) {
    const open = undecided(carryOverItems(inputs, review));
    if (open.length) {
      throw Problem.conflict(`Välj vad som ska hända med varje aktivitet som inte är avslutad innan genomgången lämnas in. Utan val: ${open.map((i) => i.activity.title).join('; ')}.`);
    }
  }
  return { type: 'submit', figures: submittedFigures(inputs, asOf) };
}

/** The summary figures of the facts, as a submission records them: the same function as the document's. */
function submittedFigures(inputs: ReviewInputs, asOf: string): SubmittedFigures {
  const f = reviewFigures(inputs, asOf);
  const { total, done, unfinished, deferred, cancelled } = f.activities;
  return { asOf: f.today, total, done, unfinished, deferred, cancelled, late: f.late.size, ...(f.forecast ? { forecast: f.forecast.size } : {}) };
}

/** The summary figures as they are now, to set beside those a submission recorded. */
export async function figuresNow(models: Models, review: ReviewState, timeZone: string): Promise<SubmittedFigures> {
  const { inputs, asOf } = await factsOfVersion(models, review, new Date().toISOString(), timeZone);
  return submittedFigures(inputs, asOf);
}

/** The document of one version: its frozen snapshot when adopted, else a draft from the live facts. */
export async function reviewDocument(models: Models, review: ReviewState, opts: { now: string; timeZone: string }): Promise<{ document: ReviewDocument; contentHash?: string }> {
  const snapshot = await models.reviewSnapshots.findById(review.id).lean();
  if (snapshot) return { document: JSON.parse(snapshot.document) as ReviewDocument, contentHash: snapshot.contentHash };
  if (review.status === 'adopted') throw Problem.conflict('Genomgången är antagen och fryses just nu; försök igen om en stund.');
  const { inputs, asOf } = await factsOfVersion(models, review, opts.now, opts.timeZone);
  return { document: compileReview(inputs, review, asOf) };
}

/** The year's unfinished activities with their suggestions and the choices so far: empty for a correction, which carries nothing over. */
export async function carryOverOfReview(models: Models, review: ReviewState, timeZone: string): Promise<CarryOverItem[]> {
  if (review.version !== 1) return [];
  const { inputs } = await factsOfVersion(models, review, new Date().toISOString(), timeZone);
  return carryOverItems(inputs, review);
}

/** Finds one version, or the current one. */
export async function findReview(models: Models, orgId: string, year: number, version?: number): Promise<ReviewState> {
  const found = version ? await models.reviews.findById(`${orgId}.${year}.v${version}`).lean().then((d) => (d ? toReviewState(d) : undefined)) : await currentReview(models, orgId, year);
  if (!found) throw Problem.notFound(`Det finns ingen ledningens genomgång ${year}${version ? ` version ${version}` : ''} för ${orgId}.`);
  return found;
}

/** A version's document, or the current version's, as the API and the web UI export and preview it. */
export async function documentOfReview(models: Models, orgId: string, year: number, version: number | undefined, timeZone: string): Promise<{ document: ReviewDocument; contentHash?: string }> {
  return reviewDocument(models, await findReview(models, orgId, year, version), { now: new Date().toISOString(), timeZone });
}
