import { AppCluster } from '../../../src/stack/app-cluster';
import { startFaultRig, type FaultRig } from '../../fault/rig';

/**
 * The fault rig of test/fault/rig.ts on the cluster's servers: its own SMTP server, database and
 * task queue, served by two worker processes and two API processes; its requests go to the two
 * APIs in turn.
 */
export function startClusterRig(name: string, opts: { owners?: number } = {}): Promise<FaultRig<AppCluster>> {
  return startFaultRig(name, {
    ...opts,
    start: (dir, env) =>
      AppCluster.start({
        dir,
        temporalAddress: process.env.LISPLAN_TEST_TEMPORAL_ADDRESS!,
        storeUri: process.env.LISPLAN_TEST_MONGODB_URI!,
        env: { ...env, MONGODB_DB: `cluster_${name}`, TEMPORAL_TASK_QUEUE: `cluster-${name}` },
      }),
  });
}

/** How many activity Updates each API process sent, from its own /metrics. */
export async function updatesPerApi(cluster: AppCluster): Promise<number[]> {
  return Promise.all(
    cluster.apiUrls.map(async (url) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const counts = [...text.matchAll(/^lisplan_temporal_update_duration_seconds_count\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
      return counts.reduce((a, b) => a + b, 0);
    }),
  );
}

/** The process ids of the workers that ran the workflow tasks of `ids`, from their histories. */
export async function workflowWorkerPids(rig: FaultRig<AppCluster>, ids: string[]): Promise<number[]> {
  const pids = new Set<number>();
  for (const id of ids) {
    for (const event of (await rig.client.workflow.getHandle(id).fetchHistory()).events ?? []) {
      const identity = event.workflowTaskStartedEventAttributes?.identity;
      if (identity) pids.add(Number(identity.split('@')[0]));
    }
  }
  return [...pids].sort((a, b) => a - b);
}
