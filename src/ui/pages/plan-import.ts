import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { IsoDate, Slug, Year } from '../../domain/common';
import { ROLE_LABELS } from '../../domain/roles';
import { Problem } from '../../services/problem';
import { finishImportJob, openImportJob, readImportJob, recordProgress } from '../../services/plans/import-jobs';
import { checkImportKpis, confirmImport, MAX_IMPORT_ITEMS, MAX_REVIEW_BYTES, previewImport, requireImporter, type ImportItem, type ImportPreview } from '../../services/plans/plan-import';
import { KpiRefused } from '../../services/people/org-data';
import { issueText } from './kpis';
import { membersOf } from '../../services/people/members';
import { parseOr400 } from '../../services/validate';
import { addFlash, redirectSaved } from '../session';
import { formAction, principalOf, problemText, type UiKit } from '../kit';
import { toProblem } from '../../http/error-handler';

/**
 * "Importera plan": upload last year's review, check and edit what was found, confirm the KPI
 * candidates, start the plan. The preview lives in the person's session (bounded by the
 * service's limits), never in the plan; the uploaded bytes are read in memory and dropped. A
 * confirmation runs in the background and its page refreshes itself (no script) until done.
 */

/** keepKpis: the figures ticked to be saved; confirmKpis: the outliers ticked as checked. */
type Draft = ImportPreview & { keepKpis: boolean[]; confirmKpis?: boolean[] };

const draftOf = (req: Request, orgId: string): Draft | undefined => {
  const d = (req.session as unknown as { planImport?: Draft }).planImport;
  return d?.orgId === orgId ? d : undefined;
};
const setDraft = (req: Request, d: Draft | undefined) => {
  (req.session as unknown as { planImport?: Draft }).planImport = d;
};

const OrgQuery = z.object({ org: Slug });
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const ItemForm = z.object({
  title: z.string().trim().min(1).max(400),
  area: Slug,
  owner: z.enum(Object.keys(ROLE_LABELS) as [keyof typeof ROLE_LABELS]),
  ownerUserId: z.preprocess(blank, z.string().max(100).optional()),
  startDate: z.preprocess(blank, IsoDate.optional()),
  dueDate: z.preprocess(blank, IsoDate.optional()),
  priority: z.enum(['hög', 'medel', 'låg']),
});

/** The edited items and KPI choices of the preview form (flat names: item.3.title, kpi.2). */
function applyForm(draft: Draft, body: Record<string, unknown>): Draft {
  const field = (i: number | string, name: string) => body[`item.${i}.${name}`];
  const items: ImportItem[] = [];
  draft.items.forEach((item, i) => {
    if (field(i, 'keep') !== 'on') return;
    const edited = parseOr400(ItemForm, { title: field(i, 'title'), area: field(i, 'area'), owner: field(i, 'owner'), ownerUserId: field(i, 'ownerUserId'), startDate: field(i, 'startDate'), dueDate: field(i, 'dueDate'), priority: field(i, 'priority') }, 'body');
    const { startDate: _s, dueDate: _d, ownerUserId: _o, ...rest } = item;
    items.push({ ...rest, ...edited });
  });
  if (typeof field('new', 'title') === 'string' && (field('new', 'title') as string).trim() !== '') {
    if (items.length >= MAX_IMPORT_ITEMS) throw Problem.badRequest([{ field: 'body.items', message: `at most ${MAX_IMPORT_ITEMS} items` }]);
    const year = parseOr400(z.coerce.number().pipe(Year), field('new', 'year'), 'body');
    const added = parseOr400(ItemForm, { title: field('new', 'title'), area: field('new', 'area'), owner: field('new', 'owner'), ownerUserId: field('new', 'ownerUserId'), startDate: field('new', 'startDate'), dueDate: field('new', 'dueDate'), priority: field('new', 'priority') }, 'body');
    items.push({ year, section: 'manuell', ...added, ...(added.startDate ? {} : { startDate: undefined }), ...(added.dueDate ? {} : { dueDate: undefined }) });
  }
  items.sort((a, b) => a.year - b.year);
  return {
    ...draft,
    items: items.map((i) => JSON.parse(JSON.stringify(i)) as ImportItem),
    keepKpis: draft.kpis.map((_, k) => body[`kpi.${k}`] === 'on'),
    confirmKpis: draft.kpis.map((_, k) => body[`kpi.${k}.confirm`] === 'on'),
  };
}

/** A multipart/form-data body's one file: its name and bytes (the body is bounded by the raw parser). */
function uploadedFile(req: Request): { name: string; content: Buffer } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/iu.exec(req.get('content-type') ?? '');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!boundary) throw Problem.badRequest([{ field: 'body.file', message: 'send the form as multipart/form-data' }]);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  for (let at = body.indexOf(delimiter); at >= 0; ) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(at + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /filename\*?="?([^"\r\n]*)"?/iu.exec(headers)?.[1];
    if (/name="file"/u.test(headers) && name) return { name: name.split(/[\\/]/u).pop()!, content: part.subarray(headerEnd + 4) };
    at = next;
  }
  throw Problem.badRequest([{ field: 'body.file', message: 'choose a file' }]);
}

export function planImportPages(kit: UiKit): Router {
  const router = Router();
  const { deps } = kit;

  router.get('/importera-plan', async (req, res) => {
    const p = principalOf(res);
    const orgId = typeof req.query.org === 'string' ? req.query.org : p.memberships.find((m) => m.roles.includes('security-coordinator'))?.orgId ?? '';
    requireImporter(p, orgId);
    const m = kit.messagesFor(req);
    const draft = draftOf(req, orgId);
    const roles = (Object.keys(ROLE_LABELS) as (keyof typeof ROLE_LABELS)[]).filter((r) => r !== 'viewer' && r !== 'admin').map((r) => ({ id: r, name: m.role(r) }));
    const years = draft ? [...new Set(draft.items.map((i) => i.year))].sort() : [];
    const members = draft ? await membersOf(deps.models, orgId) : [];
    const kpiIssue = (k: ImportPreview['kpis'][number]) => (k.issue ? issueText(m, { name: k.name, year: k.year, value: k.value, kind: k.kind }, k.issue) : undefined);
    kit.render(req, res, 'plan-import', { title: m.t('planImport.title'), orgId, draft, roles, members, years, kpiIssue, maxBytes: MAX_REVIEW_BYTES, newYear: years[0] ?? new Date().getFullYear() + 1 });
  });

  router.post(
    '/importera-plan/ladda-upp',
    express.raw({ type: 'multipart/form-data', limit: MAX_REVIEW_BYTES + 64 * 1024 }),
    async (req, res) => {
      const p = principalOf(res);
      const { org } = parseOr400(OrgQuery, req.query, 'query');
      try {
        const preview = await previewImport(deps.models, p, org, uploadedFile(req));
        setDraft(req, { ...preview, keepKpis: preview.kpis.map(() => false) });
      } catch (err) {
        const problem = toProblem(err);
        if (problem.status >= 500 || problem.status === 403) throw err;
        addFlash(req, 'error', problemText(problem, kit.messagesFor(req)));
      }
      await redirectSaved(req, res, `/importera-plan?org=${encodeURIComponent(org)}`);
    },
  );

  router.post(
    '/importera-plan/avbryt',
    formAction(kit, '/importera-plan', async (req, p, m) => {
      const { org } = parseOr400(OrgQuery, req.body, 'body');
      requireImporter(p, org);
      setDraft(req, undefined);
      return m.t('planImport.cancelled');
    }),
  );

  router.post('/importera-plan', async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    const p = principalOf(res);
    const { org } = parseOr400(OrgQuery, body, 'body');
    requireImporter(p, org);
    const draft = draftOf(req, org);
    const back = `/importera-plan?org=${encodeURIComponent(org)}`;
    if (!draft) return redirectSaved(req, res, back);
    let edited: Draft;
    try {
      edited = applyForm(draft, body);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500) return next(err);
      addFlash(req, 'error', problemText(problem, kit.messagesFor(req)));
      return redirectSaved(req, res, back);
    }
    setDraft(req, edited);
    const m = kit.messagesFor(req);
    if (body.action !== 'confirm') {
      addFlash(req, 'ok', m.t('planImport.saved'));
      return redirectSaved(req, res, back);
    }
    const kpis = edited.kpis.flatMap(({ name, year, value }, k) => (edited.keepKpis[k] ? [{ name, year, value, ...(edited.confirmKpis?.[k] ? { confirmOutlier: true } : {}) }] : []));
    // What the preview warned of, judged against the whole review (a year before that is not being
    // saved still shows a slip), is to be confirmed; the service then checks against the store, as
    // the import runs after this answer and a refused figure must come back to the preview.
    const unconfirmed = edited.kpis.find((k, i) => edited.keepKpis[i] && k.issue && !(k.issue.rule === 'outlier' && edited.confirmKpis?.[i]));
    try {
      if (unconfirmed?.issue) throw new KpiRefused({ name: unconfirmed.name, year: unconfirmed.year, value: unconfirmed.value, kind: unconfirmed.kind }, unconfirmed.issue);
      await checkImportKpis(deps.models, org, kpis);
    } catch (err) {
      if (!(err instanceof KpiRefused)) throw err;
      addFlash(req, 'error', issueText(m, err.figure, err.issue));
      return redirectSaved(req, res, back);
    }
    const job = await openImportJob(deps.models, org, p.userId, edited.items.length);
    const request = { source: edited.source, items: edited.items, kpis };
    confirmImport({ client: deps.client, taskQueue: deps.config.temporal.taskQueue, models: deps.models, timeZone: deps.config.planTimeZone }, p, org, request, (done, total) => recordProgress(deps.models, job._id, done, total))
      .then((s) => ({ result: m.t('planImport.done', { started: s.started, existing: s.existing, kpis: s.kpisSaved }) }))
      .catch((err: unknown) => ({ error: m.t('planImport.failed', { reason: problemText(toProblem(err), m) }) }))
      .then((outcome) => finishImportJob(deps.models, job._id, outcome))
      .catch((err: unknown) => deps.logger.error({ err, orgId: org }, 'plan import outcome not saved'));
    setDraft(req, undefined);
    await redirectSaved(req, res, `/importera-plan/status/${job._id}`);
  });

  router.get('/importera-plan/status/:job', async (req, res) => {
    const p = principalOf(res);
    const job = await readImportJob(deps.models, String(req.params.job), p.userId);
    if (!job) throw Problem.notFound('Ingen sådan import.');
    const m = kit.messagesFor(req);
    if (job.result !== undefined || job.error !== undefined) {
      addFlash(req, job.error !== undefined ? 'error' : 'ok', (job.error ?? job.result)!);
      return redirectSaved(req, res, job.error !== undefined ? `/importera-plan?org=${job.orgId}` : `/planoversikt?org=${job.orgId}`);
    }
    kit.render(req, res, 'plan-import-progress', { title: m.t('planImport.progress'), job });
  });

  return router;
}
