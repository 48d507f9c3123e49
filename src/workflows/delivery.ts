import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // The activity heartbeats while it sends: a worker that dies mid-send is noticed this soon.
  heartbeatTimeout: '30 seconds',
  // The activity itself gives up after MAIL_MAX_ATTEMPTS temporary failures and marks the
  // notification failed; until then Temporal retries with backoff, across worker restarts.
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/**
 * Delivers one notification. Its workflow id is the notification's id, so a notification is
 * delivered by one workflow however often its timer fires or its activity workflow replays.
 */
export async function deliveryWorkflow(notificationId: string): Promise<void> {
  await deliverNotification(notificationId);
}
