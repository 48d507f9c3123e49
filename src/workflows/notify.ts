import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { deliveryWorkflow } from './delivery';
import { startOnce } from './start-once';

const { recordReviewNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Hands a recorded notification to its own delivery workflow, once. */
export function startDelivery(notificationId: string): Promise<void> {
  return startOnce(deliveryWorkflow, `notification.${notificationId}`, [notificationId]);
}

/**
 * For the review workflow: tells the förvaltningschef of `orgId` that the year's management
 * review waits for adoption, by email (per their preference) and in the app, once per
 * submission however often it is called.
 */
export async function notifyReviewAwaitingAdoption(input: { orgId: string; orgName?: string; year: number; version: number; submission: number }): Promise<void> {
  const id = await recordReviewNotification({ ...input, at: new Date().toISOString() });
  await startDelivery(id);
}
