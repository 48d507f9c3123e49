import { Client, Connection } from '@temporalio/client';
import type { Config } from '../platform/config';

/**
 * A lazy connection: the API starts even while Temporal is away, and its requests get 503
 * until it is back, instead of the process refusing to start.
 */
export function createTemporalClient(temporal: Config['temporal']): { client: Client; connection: Connection } {
  const connection = Connection.lazy({ address: temporal.address, connectTimeout: 5_000 });
  const client = new Client({ connection, namespace: temporal.namespace });
  return { client, connection };
}
