import { Client, Connection } from '@temporalio/client';
import type { Config } from '../platform/config';
import { clientDataConverter, connectionOptions } from './connection';

/**
 * A lazy connection: the API starts even while Temporal is away, and its requests get 503
 * until it is back, instead of the process refusing to start.
 */
export function createTemporalClient(temporal: Config['temporal']): { client: Client; connection: Connection } {
  const connection = Connection.lazy({ ...connectionOptions(temporal), connectTimeout: 5_000 });
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter: clientDataConverter(temporal) });
  return { client, connection };
}
