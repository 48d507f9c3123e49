import fs from 'node:fs';
import type { DataConverter } from '@temporalio/common';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../platform/config';
import { SealingPayloadCodec } from './payload-codec';

/**
 * How every lisplan process reaches Temporal (the API, the worker, the CLI, the stacks' probes):
 * the same address, TLS settings and payload key, so none of them talks to it in the clear or
 * writes a payload the others cannot read.
 */

type TemporalConfig = Pick<Config['temporal'], 'address' | 'payloadKey' | 'tls'>;

/** The worker's payload converter: marks what was not sealed with the app's key (payload-origin.ts). */
export const PAYLOAD_CONVERTER_PATH = require.resolve('../workflows/messages/payload-origin');

/** Address and TLS, for Connection.connect/lazy and NativeConnection.connect. */
export function connectionOptions(temporal: TemporalConfig): { address: string; tls?: TLSConfig } {
  return { address: temporal.address, ...(temporal.tls ? { tls: tlsConfig(temporal.tls) } : {}) };
}

/** A client's data converter: payloads sealed with the app's key when one is configured. */
export function clientDataConverter(temporal: TemporalConfig): DataConverter {
  return temporal.payloadKey ? { payloadCodecs: [new SealingPayloadCodec(temporal.payloadKey)] } : {};
}

/**
 * The worker's: the client's codec, and the converter that tells a workflow which payloads were
 * not sealed. A workflow bundle built ahead (bundleWorkflowCode) must be given the same
 * PAYLOAD_CONVERTER_PATH, or its workflows see no marks.
 */
export function workerDataConverter(temporal: TemporalConfig): DataConverter {
  return { ...clientDataConverter(temporal), payloadConverterPath: PAYLOAD_CONVERTER_PATH };
}

function tlsConfig(tls: NonNullable<Config['temporal']['tls']>): TLSConfig {
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caFile ? { serverRootCACertificate: fs.readFileSync(tls.caFile) } : {}),
    ...(tls.certFile && tls.keyFile ? { clientCertPair: { crt: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) } } : {}),
  };
}
