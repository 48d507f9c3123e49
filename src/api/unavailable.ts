// gRPC status codes (google.rpc.Code) that mean "the server is not there right now".
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;

/**
 * Whether an error means a backing server (Temporal or the store) is out of reach, as
 * opposed to a bug. Those become 503 with Retry-After, never 500.
 */
export function backendUnavailable(err: unknown): 'temporal' | 'store' | 'identity-provider' | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: string }).name ?? '';
    const code = (e as { code?: unknown }).code;
    if (name === 'OidcUnavailableError') return 'identity-provider';
    if (/^Mongo(Server|Network|ServerSelection|NotConnected|Topology)/.test(name) || name === 'MongooseServerSelectionError') {
      return 'store';
    }
    if (name === 'MongooseError' && /not connected|buffering|connection/i.test(String((e as Error).message))) {
      return 'store';
    }
    if (name === 'ServiceError' || name === 'TransportError' || name === 'ConnectionError') {
      const c = (e as { cause?: { code?: number } }).cause?.code;
      if (c === undefined || c === GRPC_UNAVAILABLE || c === GRPC_DEADLINE_EXCEEDED) return 'temporal';
    }
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return 'temporal';
  }
  return undefined;
}

/**
 * Whether Temporal refused a call because too much is in flight, e.g. its limit of ten
 * concurrent Updates on one workflow when many people change one activity at once. That is
 * a moment's congestion, not a fault: the client should try again shortly.
 */
export function engineBusy(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === GRPC_RESOURCE_EXHAUSTED) return true;
  }
  return false;
}
