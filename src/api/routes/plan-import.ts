import express, { Router } from 'express';
import { z } from 'zod';
import { KpiKind } from '../../domain/kpi';
import type { ApiDeps } from '../../http/deps';
import { confirmImport, ImportRequest, MAX_REVIEW_BYTES, previewImport, requireImporter } from '../../services/plans/plan-import';
import { parseOr400 } from '../../services/validate';
import type { ApiRoutes } from '../openapi/route';
import { FileNameHeaders, OrgParams } from '../schemas';

const REVIEW_TYPES = ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf', 'text/plain'];

const Preview = z
  .object({
    orgId: z.string(),
    source: z.string(),
    items: z.array(z.object({ year: z.number().int(), title: z.string(), area: z.string(), section: z.string().optional(), owner: z.string(), ownerUserId: z.string().optional(), priority: z.string(), startDate: z.string().optional(), dueDate: z.string().optional() })),
    // kind and issue: what the key-figure rules say (an outlier must be sent back with confirmOutlier: true).
    kpis: z.array(
      z.object({
        name: z.string(),
        year: z.number().int(),
        value: z.number(),
        quote: z.string(),
        kind: KpiKind,
        issue: z.object({ rule: z.enum(['whole-number', 'not-negative', 'percent-range', 'outlier']), previousYear: z.number().int().optional(), previous: z.number().optional(), change: z.number().optional() }).optional(),
      }),
    ),
    areas: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .openapi('PlanImportPreview');

const Summary = z
  .object({ orgId: z.string(), activities: z.number().int(), started: z.number().int(), existing: z.number().int(), kpisSaved: z.number().int() })
  .openapi('PlanImportSummary');

/**
 * Plan import for coordinators: the preview reads an uploaded review (raw body, at most 5 MiB,
 * kept only in memory); the confirmation starts the items sent back, edited as the caller likes.
 * The same service as the web UI's "Importera plan".
 */
export function planImportRoutes(routes: ApiRoutes, deps: ApiDeps): Router {
  const path = '/organisations/:orgId/plan-import';
  routes.describe({
    method: 'post',
    path: `${path}/preview`,
    summary: 'Läs förra årets genomgång (Word, PDF eller text) och förhandsgranska planen (samordnare); inget sparas',
    tags: ['Planimport'],
    params: OrgParams,
    headers: FileNameHeaders,
    rawBody: { contentTypes: REVIEW_TYPES, description: 'The review file (not empty, at most 5 MiB)' },
    responses: { 200: { description: 'Det som hittades', schema: Preview } },
  });
  routes.add(
    {
      method: 'post',
      path,
      summary: 'Starta den bekräftade planen och spara bekräftade nyckeltal (samordnare); idempotent',
      tags: ['Planimport'],
      params: OrgParams,
      body: ImportRequest,
      responses: { 200: { description: 'Vad som startades', schema: Summary } },
    },
    async ({ params, body, principal }) => {
      const s = await confirmImport({ client: deps.client, taskQueue: deps.config.temporal.taskQueue, models: deps.models, timeZone: deps.config.planTimeZone }, principal, params.orgId, body);
      return { body: { orgId: s.orgId, activities: s.activities, started: s.started, existing: s.existing, kpisSaved: s.kpisSaved } };
    },
  );

  const router = Router();
  router.post(`/api/v1${path}/preview`, express.raw({ type: () => true, limit: MAX_REVIEW_BYTES }), async (req, res) => {
    const { orgId } = parseOr400(OrgParams, req.params, 'params');
    // Who may import comes before what was sent: a reader learns nothing from the refusal.
    requireImporter(res.locals.principal, orgId);
    let name = '';
    try {
      name = decodeURIComponent(req.get('x-filename') ?? '');
    } catch {
      // A malformed name is refused below like a missing one.
    }
    const fileName = parseOr400(z.string().min(1).max(200), name, 'params');
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.json(await previewImport(deps.models, res.locals.principal, orgId, { name: fileName, content }));
  });
  return router;
}
