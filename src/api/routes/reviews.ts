import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Year } from '../../domain/common';
import { INCIDENT_CATEGORY_IDS } from '../../domain/incidents';
import { REVIEW_STATUSES } from '../../domain/review';
import { ReviewState } from '../../domain/review-schema';
import { dateInZone } from '../../domain/deadlines';
import { CONTENT_TYPES, EXPORT_FORMATS, exportFileName, renderReview } from '../../reports';
import { citySummary } from '../../services/reviews/city-summary';
import { adoptedSnapshots } from '../../services/reviews/adoption';
import { incidentCountsOf, recordIncidentCounts } from '../../services/reviews/incidents';
import { organisationIds, requireOrganisation } from '../../services/organisations/directory';
import { REVIEW_COMMANDS, REVIEW_COMMAND_TYPES, reviewCommandRequest, toReviewCommand } from '../../services/reviews/command-table';
import { changeReview, documentOfReview, findReview, reviewVersions, startReview, type ReviewTemporal } from '../../services/reviews/service';
import { COORDINATOR, actorFor, readableOrgIds, requireRead, requireRole } from '../../services/people/access';
import type { ApiDeps } from '../../http/deps';
import { withIdempotency } from '../idempotency';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../../services/problem';
import { OrgParams } from '../schemas';
import { updateProblem } from '../../services/activities/update-problem';
import { idempotencyKeyOf, parseIfMatch } from '../update-headers';

/**
 * The year-end review (Ledningens genomgång) of an organisation: start it, read it, let the
 * coordinator write and submit it and the förvaltningschef send it back or adopt it, export it,
 * and correct an adopted one with a new version. Incident counts feed its incident chapter.
 */

const ReviewParams = OrgParams.extend({ year: z.coerce.number().pipe(Year) });
const VersionQuery = z.object({ version: z.coerce.number().int().min(1).max(1000).optional() }).strict();

const ReviewSchema = ReviewState.extend({ status: z.enum(REVIEW_STATUSES) }).openapi('Review');
const ReviewOverview = z
  .object({
    review: ReviewSchema,
    versions: z.array(z.object({ version: z.number().int(), status: z.enum(REVIEW_STATUSES), contentHash: z.string().optional(), adoptedAt: z.string().optional() })),
  })
  .openapi('ReviewOverview');
const ReviewChangeResponse = z.object({ revision: z.number().int(), duplicate: z.boolean(), state: ReviewSchema }).openapi('ReviewChangeResult');
const ReviewDocumentSchema = z.record(z.string(), z.unknown()).openapi('ReviewDocument', { description: 'The compiled review: sections with paragraphs, tables and chart specifications' });
const IncidentCounts = z
  .object({ year: z.number().int(), counts: z.record(z.enum(INCIDENT_CATEGORY_IDS), z.number().int().min(0).max(100_000)) })
  .openapi('IncidentCounts');
const CitySummarySchema = z
  .object({
    year: z.number().int(),
    organisations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        total: z.number().int(),
        byStatus: z.record(z.string(), z.number().int()),
        late: z.array(z.object({ id: z.string(), title: z.string(), dueDate: z.string(), owner: z.string() })),
      }),
    ),
  })
  .openapi('CitySummary');

const IfMatchHeaders = z.object({
  'if-match': z.string().max(20).optional().openapi({ description: 'The draft revision you edited, e.g. "4"' }),
  'idempotency-key': z.string().max(100).optional(),
});

const BASE = '/organisations/:orgId/reviews/:year';
const TAGS = ['Ledningens genomgång'];

export function reviewRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const temporal: ReviewTemporal = { client: deps.client, taskQueue: deps.config.temporal.taskQueue, updateTimeoutMs: deps.config.temporal.updateTimeoutMs, timeZone: deps.config.planTimeZone };
  reviewVersionRoutes(routes, deps, temporal);
  reviewDocumentRoutes(routes, deps);
  reviewChangeRoutes(routes, deps, temporal);
  incidentRoutes(routes, deps);
  citySummaryRoute(routes, deps);
}

/** Start the year's review, read its versions, and correct an adopted one with a new version. */
function reviewVersionRoutes(routes: ApiRoutes, deps: ApiDeps, temporal: ReviewTemporal): void {
  const { models } = deps;
  routes.add(
    {
      method: 'post',
      path: BASE,
      summary: 'Påbörja årets ledningens genomgång (samordnaren); finns den redan returneras den',
      tags: TAGS,
      params: ReviewParams,
      body: z.object({ diaryNumber: z.string().min(1).max(60).optional() }).strict(),
      responses: { 201: { description: 'Påbörjad', schema: ReviewSchema }, 200: { description: 'Fanns redan', schema: ReviewSchema } },
    },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      await requireOrganisation(deps.models, params.orgId);
      const { state, started } = await startReview(temporal, models, { orgId: params.orgId, year: params.year, ...(body.diaryNumber ? { diaryNumber: body.diaryNumber } : {}) });
      return { status: started ? 201 : 200, body: state, headers: { ETag: `"${state.revision}"` } };
    },
  );

  routes.add(
    { method: 'get', path: BASE, summary: 'Årets genomgång: den senaste versionen och alla versioner', tags: TAGS, params: ReviewParams, responses: { 200: { description: 'Genomgången', schema: ReviewOverview } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      const versions = await reviewVersions(models, params.orgId, params.year);
      if (versions.length === 0) throw Problem.notFound(`Ledningens genomgång ${params.year} är inte påbörjad.`);
      const snapshots = await adoptedSnapshots(models, params.orgId, params.year);
      return {
        body: {
          review: versions[0],
          versions: versions.map((v) => {
            const s = snapshots.find((x) => x.version === v.version);
            return { version: v.version, status: v.status, ...(s ? { contentHash: s.contentHash, adoptedAt: s.adoptedAt } : {}) };
          }),
        },
        headers: { ETag: `"${versions[0]!.revision}"` },
      };
    },
  );

  routes.add(
    {
      method: 'post',
      path: `${BASE}/corrections`,
      summary: 'Rätta en antagen genomgång: en ny version som hänvisar till den antagna (samordnaren)',
      tags: TAGS,
      params: ReviewParams,
      body: z.object({}).strict(),
      responses: { 201: { description: 'Den nya versionen', schema: ReviewSchema } },
    },
    async ({ params, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      const { state } = await startReview(temporal, models, { orgId: params.orgId, year: params.year, correction: true });
      return { status: 201, body: state, headers: { ETag: `"${state.revision}"` } };
    },
  );
}

/** The review's content: as data, and exported as a file. */
function reviewDocumentRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'get',
      path: `${BASE}/document`,
      summary: 'Genomgångens innehåll: den frysta versionen när den är antagen, annars ett utkast från aktuella uppgifter',
      tags: TAGS,
      params: ReviewParams,
      query: VersionQuery,
      responses: { 200: { description: 'Dokumentet', schema: ReviewDocumentSchema } },
    },
    async ({ params, query, principal }) => {
      requireRead(principal, params.orgId);
      const { document, contentHash } = await documentOfReview(deps.models, params.orgId, params.year, query.version, deps.config.planTimeZone);
      return { body: document, ...(contentHash ? { headers: { 'X-Content-Hash': contentHash } } : {}) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: `${BASE}/export/:format`,
      summary: 'Exportera genomgången (docx, pdf, md, html, json; csv och xlsx för aktivitetstabellen)',
      tags: TAGS,
      params: ReviewParams.extend({ format: z.enum(EXPORT_FORMATS) }),
      query: VersionQuery,
      responses: { 200: { description: 'Filen' } },
    },
    async ({ params, query, principal, res }) => {
      requireRead(principal, params.orgId);
      const { document, contentHash } = await documentOfReview(deps.models, params.orgId, params.year, query.version, deps.config.planTimeZone);
      const file = await renderReview(document, params.format);
      res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(document, params.format)}"`);
      if (contentHash) res.setHeader('X-Content-Hash', contentHash);
      // An HTML export is a document to save, not a page of this site: no scripts, no styles from elsewhere.
      if (params.format === 'html') res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      res.type(CONTENT_TYPES[params.format]).send(file);
      return { sent: true };
    },
  );
}

/** One route per review command, from the command table: each is an Update of the review's workflow. */
function reviewChangeRoutes(routes: ApiRoutes, deps: ApiDeps, temporal: ReviewTemporal): void {
  const { models } = deps;
  for (const type of REVIEW_COMMAND_TYPES) {
    const { method, api, summary } = REVIEW_COMMANDS[type];
    const request = reviewCommandRequest(type);
    routes.add(
      {
        method,
        path: `${BASE}${api}`,
        summary,
        tags: TAGS,
        params: ReviewParams.extend(request.ids),
        body: request.body,
        headers: IfMatchHeaders,
        responses: { 200: { description: 'Genomgången efter ändringen', schema: ReviewChangeResponse } },
      },
      async ({ params, body, principal, req }) => {
        const { orgId, year, ...ids } = params;
        const actor = await actorFor(models, principal, orgId, deps.config.planTimeZone);
        const command = toReviewCommand(type, ids, body);
        const review = await findReview(models, orgId, year);
        const idempotencyKey = idempotencyKeyOf(req);
        const expectedRevision = parseIfMatch(req, '"4"');
        return withIdempotency(models, { userId: principal.userId, idempotencyKey, method: req.method, path: req.path, body }, async () => {
          const requestId = idempotencyKey ? `${principal.userId}:${idempotencyKey}` : randomUUID();
          try {
            const result = await changeReview(temporal, models, review, { requestId, actor, command, ...(expectedRevision ? { expectedRevision } : {}) });
            return { status: 200, body: result, headers: { ETag: `"${result.revision}"` } };
          } catch (err) {
            throw updateProblem(err, `Genomgången ${review.id}`) ?? err;
          }
        });
      },
    );
  }
}

/** The year's incident counts per category, which feed the review's incident chapter. */
function incidentRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    { method: 'get', path: '/organisations/:orgId/incidents/:year', summary: 'Antal incidenter per kategori ett år', tags: TAGS, params: ReviewParams, responses: { 200: { description: 'Antal', schema: IncidentCounts } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      return { body: await incidentCountsOf(deps.models, params.orgId, params.year) };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/organisations/:orgId/incidents/:year',
      summary: 'Registrera antal incidenter per kategori ett år (samordnaren)',
      tags: TAGS,
      params: ReviewParams,
      body: z.object({ counts: z.partialRecord(z.enum(INCIDENT_CATEGORY_IDS), z.number().int().min(0).max(100_000)) }).strict(),
      responses: { 200: { description: 'Sparat', schema: IncidentCounts } },
    },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      await requireOrganisation(deps.models, params.orgId);
      await recordIncidentCounts(deps.models, params.orgId, params.year, body.counts);
      return { body: await incidentCountsOf(deps.models, params.orgId, params.year) };
    },
  );
}

/** Every organisation the reader may see, side by side, for the city's own review. */
function citySummaryRoute(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/city/summary',
      summary: 'Stadsövergripande sammanställning: per organisation antal aktiviteter per status och de försenade',
      tags: TAGS,
      query: z.object({ year: z.coerce.number().pipe(Year).optional() }).strict(),
      responses: { 200: { description: 'Sammanställningen', schema: CitySummarySchema } },
    },
    async ({ query, principal }) => {
      const all = await organisationIds(deps.models);
      const year = query.year ?? Number(dateInZone(Date.now(), deps.config.planTimeZone).slice(0, 4));
      return { body: await citySummary(deps.models, readableOrgIds(principal, all), year, new Date()) };
    },
  );
}
