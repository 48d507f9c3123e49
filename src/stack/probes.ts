import { Connection, type TLSConfig } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import mongoose from 'mongoose';
import { storeRuntime } from '../store/connection';

/** Resolves when a Temporal frontend at `address` serves `namespace` (over TLS when `tls` is given). */
export async function probeTemporal(address: string, namespace: string, tls?: TLSConfig): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000, ...(tls ? { tls } : {}) });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

/** Resolves when a MongoDB-compatible server at `uri` answers a ping. */
export async function probeStore(uri: string): Promise<void> {
  const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_500, ...storeRuntime });
  try {
    await conn.asPromise();
    await conn.db!.admin().ping();
  } finally {
    await conn.close(true);
  }
}

/** Resolves when at least one worker polls `taskQueue` for workflow tasks. */
export async function probeWorkerPolling(address: string, namespace: string, taskQueue: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (!res.pollers?.length) throw new Error(`no worker polls ${taskQueue} yet`);
  } finally {
    await connection.close();
  }
}
