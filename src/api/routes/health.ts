import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Connection as StoreConnection } from 'mongoose';
import { pingStore, withTimeout } from '../../store/connection';

const CHECK_TIMEOUT_MS = 2_000;

/** Liveness says the process runs; readiness says Temporal and the store both answer. */
export function healthRoutes(deps: { client: Client; store: StoreConnection; namespace: string }): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [temporal, store] = await Promise.all([
      check(() =>
        withTimeout(
          deps.client.workflowService.describeNamespace({ namespace: deps.namespace }),
          CHECK_TIMEOUT_MS,
          'Temporal did not answer in time',
          (m) => new Error(m),
        ),
      ),
      check(() => pingStore(deps.store, CHECK_TIMEOUT_MS)),
    ]);
    const down = [...(temporal ? [] : ['temporal']), ...(store ? [] : ['store'])];
    if (down.length > 0) res.setHeader('Retry-After', '5');
    res.status(down.length ? 503 : 200).json({
      status: down.length ? 'unavailable' : 'ready',
      checks: { temporal: temporal ? 'up' : 'down', store: store ? 'up' : 'down' },
      ...(down.length ? { down } : {}),
    });
  });

  return router;
}

async function check(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch {
    return false;
  }
}
