import { workflowInfo } from '@temporalio/workflow';
import { isForeign } from './messages/payload-origin';

/**
 * Why a change request must be refused whatever it asks, or undefined when it came from lisplan
 * for this workflow. Its actor is whatever the sender wrote; only lisplan's API, CLI and
 * Activities authenticate it, and they seal their payloads with the payload key. A change not
 * sealed came past them (straight to Temporal, or from a client without the key). A sealed one
 * names the workflow it was sent to, so one copied out of another workflow's history and sent
 * here is refused too (a request without that name is not one lisplan sends).
 *
 * Asked by the Update validators, first, before the duplicate check (whose answer may carry the
 * state). No patched(): a validator does not run on replay, and a refused Update leaves nothing
 * in the history.
 */
export function refusedOrigin(request: unknown): string | undefined {
  if (isForeign(request)) return 'the change did not come from lisplan (its payload is not sealed with the payload key)';
  const target = (request as { workflowId?: unknown } | null | undefined)?.workflowId;
  if (target !== workflowInfo().workflowId) return `the change was not sent for this workflow (it names ${typeof target === 'string' ? target : 'none'})`;
  return undefined;
}
