import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Year } from '../../domain/common';
import { INCIDENT_CATEGORIES, INCIDENT_CATEGORY_IDS } from '../../domain/incidents';
import { MAX_CARRY_OVER_CHOICES, REVIEW_STATUSES } from '../../domain/review';
import { CarryOverChoice, ReviewCommand, ReviewConclusion, ReviewDecisionItem, ReviewState, type ReviewCommand as Command } from '../../domain/review-schema';
import { dateInZone } from '../../domain/deadlines';
import { CONTENT_TYPES, EXPORT_FORMATS, exportFileName, renderReview } from '../../reports';
import { citySummary } from '../../services/reviews/city-summary';
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

/** The review's changes: one route each, so that each has its own rights in the matrix. */
const CHANGES: { path: string; summary: string; params?: z.ZodObject; body: z.ZodType; command: (params: Record<string, string>, body: never) => Command }[] = [
  {
    path: '/sections/:sectionId',
    summary: 'Skriv texten i ett avsnitt (samordnaren)',
    params: z.object({ sectionId: z.string().max(120) }),
    body: z.object({ text: z.string().max(20_000) }).strict(),
    command: (p, b: { text: string }) => ({ type: 'edit-section', sectionId: p.sectionId!, text: b.text }),
  },
  { path: '/diary-number', summary: 'Ange diarienummer (samordnaren)', body: z.object({ diaryNumber: z.string().min(1).max(60) }).strict(), command: (_p, b: { diaryNumber: string }) => ({ type: 'set-diary-number', diaryNumber: b.diaryNumber }) },
  {
    path: '/sections/:sectionId/nothing-to-report',
    summary: 'Markera ett avsnitt "inget att redovisa" eller ta bort markeringen (samordnaren)',
    params: z.object({ sectionId: z.string().max(120) }),
    body: z.object({ value: z.boolean() }).strict(),
    command: (p, b: { value: boolean }) => ({ type: 'set-nothing-to-report', sectionId: p.sectionId!, value: b.value }),
  },
  {
    path: '/carry-over',
    summary: 'Välj för ej avslutade aktiviteter: för över (ny titel och nytt slutdatum), avsluta som delvis genomförd eller stryk med skäl (samordnaren)',
    body: z.object({ choices: z.array(CarryOverChoice).min(1).max(MAX_CARRY_OVER_CHOICES) }).strict(),
    command: (_p, b: { choices: CarryOverChoice[] }) => ({ type: 'set-carry-over', choices: b.choices }),
  },
  { path: '/submit', summary: 'Lämna in för antagande (samordnaren)', body: z.object({}).strict(), command: () => ({ type: 'submit' }) },
  { path: '/request-changes', summary: 'Skicka tillbaka med kommentar (förvaltningschefen)', body: z.object({ comment: z.string().min(1).max(4000) }).strict(), command: (_p, b: { comment: string }) => ({ type: 'request-changes', comment: b.comment }) },
  {
    path: '/adopt',
    summary: 'Anta genomgången: slutsats och beslut; ett beslut med ansvarig och datum blir en aktivitet nästa år (förvaltningschefen)',
    body: z
      .object({
        decisions: z.array(z.union([z.string().min(1).max(2000), ReviewDecisionItem.omit({ activityId: true }).strict()])).min(1).max(50),
        conclusion: ReviewConclusion.optional(),
      })
      .strict(),
    command: (_p, b: Pick<Extract<Command, { type: 'adopt' }>, 'decisions' | 'conclusion'>) => ({ type: 'adopt', decisions: b.decisions, ...(b.conclusion ? { conclusion: b.conclusion } : {}) }),
  },
];

export function reviewRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;
  const temporal: ReviewTemporal = { client: deps.client, taskQueue: deps.config.temporal.taskQueue, updateTimeoutMs: deps.config.temporal.updateTimeoutMs, timeZone: deps.config.planTimeZone };
  const base = '/organisations/:orgId/reviews/:year';
  const tags = ['Ledningens genomgång'];

  routes.add(
    {
      method: 'post',
      path: base,
      summary: 'Påbörja årets ledningens genomgång (samordnaren); finns den redan returneras den',
      tags,
      params: ReviewParams,
      body: z.object({ diaryNumber: z.string().min(1).max(60).optional() }).strict(),
      responses: { 201: { description: 'Påbörjad', schema: ReviewSchema }, 200: { description: 'Fanns redan', schema: ReviewSchema } },
    },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      await requireOrganisation(deps, params.orgId);
      const { state, started } = await startReview(temporal, models, { orgId: params.orgId, year: params.year, ...(body.diaryNumber ? { diaryNumber: body.diaryNumber } : {}) });
      return { status: started ? 201 : 200, body: state, headers: { ETag: `"${state.revision}"` } };
    },
  );

  routes.add(
    { method: 'get', path: base, summary: 'Årets genomgång: den senaste versionen och alla versioner', tags, params: ReviewParams, responses: { 200: { description: 'Genomgången', schema: ReviewOverview } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      const versions = await reviewVersions(models, params.orgId, params.year);
      if (versions.length === 0) throw Problem.notFound(`Ledningens genomgång ${params.year} är inte påbörjad.`);
      const snapshots = await models.reviewSnapshots.find({ orgId: params.orgId, year: params.year }).select({ version: 1, contentHash: 1, adoptedAt: 1 }).lean();
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
      method: 'get',
      path: `${base}/document`,
      summary: 'Genomgångens innehåll: den frysta versionen när den är antagen, annars ett utkast från aktuella uppgifter',
      tags,
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
      path: `${base}/export/:format`,
      summary: 'Exportera genomgången (docx, pdf, md, html, json; csv och xlsx för aktivitetstabellen)',
      tags,
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

  routes.add(
    {
      method: 'post',
      path: `${base}/corrections`,
      summary: 'Rätta en antagen genomgång: en ny version som hänvisar till den antagna (samordnaren)',
      tags,
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

  for (const change of CHANGES) {
    routes.add(
      {
        method: change.path === '/sections/:sectionId' || change.path === '/diary-number' ? 'put' : 'post',
        path: `${base}${change.path}`,
        summary: change.summary,
        tags,
        params: ReviewParams.extend(change.params?.shape ?? {}),
        body: change.body,
        headers: IfMatchHeaders,
        responses: { 200: { description: 'Genomgången efter ändringen', schema: ReviewChangeResponse } },
      },
      async ({ params, body, principal, req }) => {
        const { orgId, year, ...rest } = params as { orgId: string; year: number } & Record<string, string>;
        const actor = await actorFor(models, principal, orgId, deps.config.planTimeZone);
        const command = ReviewCommand.safeParse(change.command(rest, body as never));
        if (!command.success) throw Problem.badRequest(command.error.issues.map((i) => ({ field: ['body', ...i.path.slice(1)].join('.'), message: i.message })));
        const review = await findReview(models, orgId, year);
        const idempotencyKey = idempotencyKeyOf(req);
        const expectedRevision = parseIfMatch(req, '"4"');
        return withIdempotency(models, { userId: principal.userId, idempotencyKey, method: req.method, path: req.path, body }, async () => {
          const requestId = idempotencyKey ? `${principal.userId}:${idempotencyKey}` : randomUUID();
          try {
            const result = await changeReview(temporal, models, review, { requestId, actor, command: command.data, ...(expectedRevision ? { expectedRevision } : {}) });
            return { status: 200, body: result, headers: { ETag: `"${result.revision}"` } };
          } catch (err) {
            throw updateProblem(err, `Genomgången ${review.id}`) ?? err;
          }
        });
      },
    );
  }

  routes.add(
    { method: 'get', path: '/organisations/:orgId/incidents/:year', summary: 'Antal incidenter per kategori ett år', tags, params: ReviewParams, responses: { 200: { description: 'Antal', schema: IncidentCounts } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      return { body: await incidentCounts(deps, params.orgId, params.year) };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/organisations/:orgId/incidents/:year',
      summary: 'Registrera antal incidenter per kategori ett år (samordnaren)',
      tags,
      params: ReviewParams,
      body: z.object({ counts: z.partialRecord(z.enum(INCIDENT_CATEGORY_IDS), z.number().int().min(0).max(100_000)) }).strict(),
      responses: { 200: { description: 'Sparat', schema: IncidentCounts } },
    },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      await requireOrganisation(deps, params.orgId);
      const now = new Date();
      for (const [category, count] of Object.entries(body.counts)) {
        await models.incidentCounts.replaceOne(
          { _id: `${params.orgId}.${params.year}.${category}` },
          { orgId: params.orgId, year: params.year, category, count: count, updatedAt: now },
          { upsert: true },
        );
      }
      return { body: await incidentCounts(deps, params.orgId, params.year) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/city/summary',
      summary: 'Stadsövergripande sammanställning: per organisation antal aktiviteter per status och de försenade',
      tags,
      query: z.object({ year: z.coerce.number().pipe(Year).optional() }).strict(),
      responses: { 200: { description: 'Sammanställningen', schema: CitySummarySchema } },
    },
    async ({ query, principal }) => {
      const all = await models.organisations.find().select({ _id: 1 }).lean();
      const year = query.year ?? Number(dateInZone(Date.now(), deps.config.planTimeZone).slice(0, 4));
      return { body: await citySummary(models, readableOrgIds(principal, all.map((o) => o._id)), year, new Date()) };
    },
  );
}

/** Every category's count for the year, 0 where none was entered. */
async function incidentCounts(deps: ApiDeps, orgId: string, year: number) {
  const docs = await deps.models.incidentCounts.find({ orgId, year }).lean();
  return { year, counts: Object.fromEntries(INCIDENT_CATEGORIES.map((c) => [c.id, docs.find((d) => d.category === c.id)?.count ?? 0])) };
}

async function requireOrganisation(deps: ApiDeps, orgId: string): Promise<void> {
  if (!(await deps.models.organisations.exists({ _id: orgId }))) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
}
