import type { Client } from '@temporalio/client';
import { getGrpcStatusDetails, trimGrpcTypeUrl } from '@temporalio/client/lib/helpers';
import { isStoreFailure } from '../store/errors';

// gRPC status codes (google.rpc.Code) that mean "the server is not there right now".
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;

/**
 * Whether an error means a backing server (Temporal or the store) is out of reach, as
 * opposed to a bug. Those become 503 with Retry-After, never 500.
 */
export function backendUnavailable(err: unknown): 'temporal' | 'store' | 'identity-provider' | undefined {
  for (const e of causes(err)) {
    const name = (e as { name?: string }).name ?? '';
    const code = (e as { code?: unknown }).code;
    if (name === 'OidcUnavailableError') return 'identity-provider';
    if (isStoreFailure(e)) return 'store';
    // The Update's deadline passed, or its call was cancelled: the change may still be applied, once.
    if (name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return 'temporal';
    if (name === 'ServiceError' || name === 'TransportError' || name === 'ConnectionError') {
      const c = (e as { cause?: { code?: number } }).cause?.code;
      if (c === undefined || c === GRPC_UNAVAILABLE || c === GRPC_DEADLINE_EXCEEDED) return 'temporal';
    }
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED || workflowNotReady(e)) return 'temporal';
  }
  return undefined;
}

/**
 * Whether Temporal refused a call because too much is in flight, e.g. its limit of ten
 * concurrent Updates on one workflow when many people change one activity at once. That is
 * a moment's congestion, not a fault: the client should try again shortly.
 */
export function engineBusy(err: unknown): boolean {
  return causes(err).some((e) => (e as { code?: unknown }).code === GRPC_RESOURCE_EXHAUSTED);
}

/** Attempts at an Update whose workflow task failed under it, before the caller is told 503. */
const NOT_READY_ATTEMPTS = 4;

/**
 * Sends an Update, within the deadline. The server fails a workflow task that completes the run
 * (continue-as-new) while new events arrived meanwhile, such as a notification's child workflow
 * finishing, and aborts the Updates in that task as WorkflowNotReady. Such an Update was not
 * applied, and its request id makes it apply once, so it is sent again, after a short pause.
 */
export async function sendUpdate<T>(client: Client, deadline: number, send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.withDeadline(deadline, send);
    } catch (err) {
      const notReady = causes(err).some(workflowNotReady);
      if (!notReady || attempt >= NOT_READY_ATTEMPTS || Date.now() + 250 * attempt >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

/** The error and its causes, the five outermost: what the SDKs wrap a server's answer in. */
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * The server's WorkflowNotReady (FAILED_PRECONDITION with that detail): the workflow task that
 * was to take an Update failed, e.g. its worker was killed. The Update was not applied; the
 * same request, retried, is.
 */
function workflowNotReady(err: unknown): boolean {
  if ((err as { code?: unknown }).code !== GRPC_FAILED_PRECONDITION) return false;
  try {
    return (getGrpcStatusDetails(err as never) ?? []).some((d) => d.type_url && trimGrpcTypeUrl(d.type_url) === 'temporal.api.errordetails.v1.WorkflowNotReadyFailure');
  } catch {
    return false;
  }
}
