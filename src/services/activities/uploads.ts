import type { ActivityState } from '../../domain/activity';
import type { Models } from '../../store/models';
import type { EvidenceFileDoc } from '../../store/models/evidence-file';
import { Problem } from '../problem';

/** An upload not attached to evidence within this long is removed by the store (TTL index). */
export const UNATTACHED_HOURS = 24;

/**
 * Uploads a person may have waiting to be attached. Twenty files of at most 1 MiB each is more
 * than any evidence form needs at once, and bounds what one person can park in the store.
 */
export const MAX_UNATTACHED_PER_PERSON = 20;

/**
 * Stores an uploaded file as unattached, unless the person already has the most that may wait.
 * Count and insert are two steps: concurrent uploads can pass the cap by the number in flight,
 * which the rate limit bounds; the day's expiry removes them all the same.
 */
export async function storeUpload(models: Models, file: Omit<EvidenceFileDoc, 'uploadedAt' | 'unattachedUntil'>, now = new Date()): Promise<void> {
  const waiting = await models.evidenceFiles.countDocuments({ uploadedBy: file.uploadedBy, unattachedUntil: { $exists: true } });
  if (waiting >= MAX_UNATTACHED_PER_PERSON) {
    throw Problem.limitReached(
      { name: 'unattached-uploads-per-person', max: MAX_UNATTACHED_PER_PERSON },
      `At most ${MAX_UNATTACHED_PER_PERSON} uploaded files may wait to be attached as evidence; attach them, or wait until they are removed ${UNATTACHED_HOURS} hours after upload.`,
    );
  }
  await models.evidenceFiles.create({ ...file, uploadedAt: now, unattachedUntil: new Date(now.getTime() + UNATTACHED_HOURS * 3_600_000) });
}

/**
 * The activity's evidence now refers to these files: they are kept. Called with each projected
 * state, so a file counts as attached once the change that attached it is recorded, and an
 * attach that was refused leaves it to expire.
 */
export async function keepAttachedFiles(models: Models, state: Pick<ActivityState, 'id' | 'entries'>): Promise<void> {
  const ids = state.entries.flatMap((e) => (e.file ? [e.file.id] : []));
  if (ids.length === 0) return;
  await models.evidenceFiles.updateMany({ activityId: state.id, unattachedUntil: { $exists: true }, _id: { $in: ids } }, { $unset: { unattachedUntil: '' } });
}
