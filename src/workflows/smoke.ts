import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { recordSmokeNote } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export interface SmokeInput {
  message: string;
}

/** Proves the wiring end to end: API → Temporal → worker → activity → store → API. */
export async function smokeWorkflow(input: SmokeInput): Promise<{ id: string; recordedAt: string }> {
  const { workflowId, startTime } = workflowInfo();
  const recordedAt = startTime.toISOString();
  await recordSmokeNote({ id: workflowId, message: input.message, recordedAt });
  return { id: workflowId, recordedAt };
}
