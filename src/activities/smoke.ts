import type { Models } from '../store/models';

export function createSmokeActivities(models: Models) {
  return {
    /** Idempotent by id: a retried activity writes the same note again, not a second one. */
    async recordSmokeNote(input: { id: string; message: string; recordedAt: string }): Promise<void> {
      await models.smokeNotes.updateOne(
        { _id: input.id },
        { $set: { message: input.message, recordedAt: new Date(input.recordedAt) } },
        { upsert: true },
      );
    },
  };
}
