import type { Client } from '@temporalio/client';
import type { Models } from '../../src/store/models';
import { eventually } from './eventually';

/** What `projected` reads: the store's models, and Temporal's client to explain a timeout. */
export interface ProjectionSource {
  models: Models;
  env?: { client: Client };
}

/**
 * Waits until the read model holds activity `id` at `version` or later, and returns that
 * document: reads come from the projection, which follows the workflow's changes on its own
 * time. When it never gets there, the error says why, as far as Temporal and the store can
 * tell (the projection's attempts and last failure, what is stored and audited, the history's
 * tail): "not reached" alone leaves a flaky run undiagnosable.
 */
export async function projected(source: ProjectionSource, id: string, version: number) {
  try {
    return await eventually(async () => {
      const doc = await source.models.activities.findById(id).lean();
      return doc && doc.version >= version ? doc : undefined;
    }, `projection of ${id} at v${version}`);
  } catch (err) {
    throw new Error(`${(err as Error).message}; ${await whyNotProjected(source, id)}`, { cause: err });
  }
}

async function whyNotProjected(source: ProjectionSource, id: string): Promise<string> {
  const stored = (await source.models.activities.findById(id).lean())?.version;
  const audited = (await source.models.auditEvents.find({ activityId: id }).lean()).map((e) => e.version);
  const facts = [`stored v${stored ?? 'none'}`, `audit ${audited.join(',') || 'none'}`];
  if (!source.env) return facts.join('; ');
  const handle = source.env.client.workflow.getHandle(id);
  const described = await handle.describe().catch(() => undefined);
  if (!described) return [...facts, 'no such workflow'].join('; ');
  const pending = (described.raw.pendingActivities ?? []).map((p) => `${p.activityType?.name} attempt ${p.attempt}: ${p.lastFailure?.message ?? 'no failure'}`);
  const history = (await handle.fetchHistory()).events!.map((e) => String(e.eventType).replace('EVENT_TYPE_', '')).slice(-25);
  return [
    ...facts,
    `pending: ${pending.join('; ') || 'none'}`,
    `children ${JSON.stringify(described.raw.pendingChildren)}`,
    `status ${described.status.name}`,
    `history tail: ${history.join(' ')}`,
  ].join('; ');
}
