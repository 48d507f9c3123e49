import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<number, [number]>('ping');
export const finishSignal = defineSignal('finish');

/**
 * The benchmarks' engine floor: an Update that does nothing but answer, so its round trip is
 * what Temporal itself costs on this server. No activity, no store.
 */
export async function benchFloorWorkflow(): Promise<void> {
  let finished = false;
  setHandler(pingUpdate, (n) => n);
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
}
