import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { dateInZone } from '../domain/deadlines';
import { isoWeek } from '../domain/iso-week';
import { startDelivery } from './notify';

const { listDigestRecipients, recordDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface DigestInput {
  /** The zone whose calendar week names the digest (the schedule's zone). */
  timeZone: string;
}

/**
 * The weekly digest, started by its Temporal Schedule: one email per person with what waits
 * for them. A digest is identified by user and ISO week, so a second run in the same week
 * (a manual trigger, a retry) sends nothing new.
 */
export async function digestWorkflow(input: DigestInput): Promise<{ week: string; recipients: number; digests: number }> {
  const at = new Date().toISOString();
  const week = isoWeek(dateInZone(at, input.timeZone));
  const users = await listDigestRecipients();
  let digests = 0;
  for (const userId of users) {
    const id = await recordDigest({ userId, week, at });
    if (id === null) continue;
    await startDelivery(id);
    digests++;
  }
  return { week, recipients: users.length, digests };
}
