import type { ActivityState } from '../../domain/activity';
import type { Models } from '../../store/models';
import type { EvidenceFileDoc } from '../../store/models/evidence-file';
import { isDuplicateKeyOn } from '../../store/errors';
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
 * Counting and then inserting let concurrent uploads all pass the count; so each file takes a
 * free place (slot) of its uploader's, and a unique index on (uploader, slot) lets only one
 * upload have each. The loser of a place reads again and takes another, or meets the cap.
 */
export async function storeUpload(models: Models, file: Omit<EvidenceFileDoc, 'uploadedAt' | 'unattachedUntil' | 'unattachedSlot'>, now = new Date()): Promise<void> {
  // Each lost place is one another upload took: after as many as the cap, the cap was met.
  for (let attempt = 0; attempt < MAX_UNATTACHED_PER_PERSON; attempt++) {
    // Files uploaded before the places existed have none and still count (for their last day).
    const waiting = await models.evidenceFiles.find({ uploadedBy: file.uploadedBy, unattachedUntil: { $exists: true } }, { unattachedSlot: 1 }).lean();
    const taken = new Set(waiting.map((f) => f.unattachedSlot));
    const free = Array.from({ length: MAX_UNATTACHED_PER_PERSON }, (_, slot) => slot).filter((slot) => !taken.has(slot));
    if (waiting.length >= MAX_UNATTACHED_PER_PERSON) break;
    // A random free place, so that uploads arriving together seldom want the same one.
    const unattachedSlot = free[Math.floor(Math.random() * free.length)]!;
    try {
      await models.evidenceFiles.create({ ...file, uploadedAt: now, unattachedUntil: new Date(now.getTime() + UNATTACHED_HOURS * 3_600_000), unattachedSlot });
      return;
    } catch (err) {
      if (!isDuplicateKeyOn(err, 'unattachedSlot')) throw err;
    }
  }
  throw Problem.limitReached(
    { name: 'unattached-uploads-per-person', max: MAX_UNATTACHED_PER_PERSON },
    `At most ${MAX_UNATTACHED_PER_PERSON} uploaded files may wait to be attached as evidence; attach them, or wait until they are removed ${UNATTACHED_HOURS} hours after upload.`,
  );
}

/** A file uploaded to the activity (attached as evidence or waiting to be), with its bytes. */
export function activityFile(models: Models, activityId: string, fileId: string) {
  return models.evidenceFiles.findOne({ _id: fileId, activityId }).lean();
}

/**
 * The activity's evidence now refers to these files: they are kept. Called with each projected
 * state, so a file counts as attached once the change that attached it is recorded, and an
 * attach that was refused leaves it to expire.
 */
export async function keepAttachedFiles(models: Models, state: Pick<ActivityState, 'id' | 'entries'>): Promise<void> {
  const ids = state.entries.flatMap((e) => (e.file ? [e.file.id] : []));
  if (ids.length === 0) return;
  await models.evidenceFiles.updateMany({ activityId: state.id, unattachedUntil: { $exists: true }, _id: { $in: ids } }, { $unset: { unattachedUntil: '', unattachedSlot: '' } });
}
