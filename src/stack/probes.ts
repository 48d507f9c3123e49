import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';

/** Resolves when a Temporal frontend at `address` serves `namespace`. */
export async function probeTemporal(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

/** Resolves when a MongoDB-compatible server at `uri` answers a ping. */
export async function probeStore(uri: string): Promise<void> {
  const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_500 });
  try {
    await conn.asPromise();
    await conn.db!.admin().ping();
  } finally {
    await conn.close(true);
  }
}
