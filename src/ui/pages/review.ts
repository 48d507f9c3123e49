import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { COORDINATOR, HEAD, actorFor, requireRead, requireRole, rolesIn } from '../../services/people/access';
import type { Principal } from '../../domain/principal';
import { Problem } from '../../services/problem';
import { updateProblem } from '../../services/activities/update-problem';
import { parseOr400 } from '../../services/validate';
import { Slug, Year } from '../../domain/common';
import { dateInZone } from '../../domain/deadlines';
import { ReviewCommand } from '../../domain/review-schema';
import { CONTENT_TYPES, exportFileName, renderReview } from '../../reports';
import { chartSvg } from '../../reports/charts';
import { changeReview, documentOfReview, findReview, reviewVersions, startReview, type ReviewTemporal } from '../../services/reviews/service';
import { chooseOrg, formAction, principalOf, type UiKit } from '../kit';

const Params = z.object({ orgId: Slug, year: z.coerce.number().pipe(Year) });

/**
 * Årsrapport: the year's Ledningens genomgång. The coordinator starts it, writes the narrative
 * sections, previews and submits it; the förvaltningschef adopts it or sends it back; an adopted
 * version is shown frozen. Everything goes through the review service and workflow the API uses.
 */
export function reviewPages(kit: UiKit): Router {
  const { deps } = kit;
  const temporal: ReviewTemporal = { client: deps.client, taskQueue: deps.config.temporal.taskQueue, updateTimeoutMs: deps.config.temporal.updateTimeoutMs };
  const router = Router();
  const here = (p: { orgId: string; year: number }) => `/arsrapport/${p.orgId}/${p.year}`;

  router.get('/arsrapport', async (req, res) => {
    const { org } = await chooseOrg(deps, principalOf(res), req.query.org);
    if (!org) throw Problem.notFound('Ingen organisation.');
    res.redirect(303, here({ orgId: org._id, year: Number(dateInZone(Date.now(), deps.config.planTimeZone).slice(0, 4)) }));
  });

  /** The review and its document as the page shows it, charts drawn inline (no request leaves the page). */
  async function reviewView(req: Request, res: Response) {
    const p = principalOf(res);
    const params = parseOr400(Params, req.params, 'params');
    requireRead(p, params.orgId);
    const { org, orgs } = await chooseOrg(deps, p, params.orgId);
    const versions = await reviewVersions(deps.models, params.orgId, params.year);
    const review = versions[0];
    const roles = rolesIn(p, params.orgId);
    // Right after adoption the snapshot is still being frozen: the page says so instead of failing.
    const view = review
      ? await documentOfReview(deps.models, params.orgId, params.year, undefined, deps.config.planTimeZone).catch((err: unknown) => {
          if (err instanceof Problem && err.status === 409) return undefined;
          throw err;
        })
      : undefined;
    const charts = new Map<string, string>();
    for (const block of view?.document.sections.flatMap((s) => s.blocks) ?? []) {
      if (block.type === 'chart') charts.set(block.id, `data:image/svg+xml;base64,${Buffer.from(await chartSvg(block.spec)).toString('base64')}`);
    }
    const m = kit.messagesFor(req);
    return {
      title: `${m.t('nav.review')} ${params.year}`,
      org,
      orgs,
      year: params.year,
      review,
      versions,
      doc: view?.document,
      contentHash: view?.contentHash,
      charts,
      statusLabel: review ? m.reviewStatus(review.status) : '',
      isCoordinator: roles.includes(COORDINATOR),
      isHead: roles.includes(HEAD),
      here: here(params),
    };
  }

  router.get('/arsrapport/:orgId/:year', async (req, res) => kit.render(req, res, 'review', await reviewView(req, res)));

  router.get('/arsrapport/:orgId/:year/forhandsgranska', async (req, res) => {
    const data = await reviewView(req, res);
    if (!data.review) throw Problem.notFound(`Ingen genomgång ${data.year}.`);
    kit.render(req, res, 'review-preview', { ...data, title: `${kit.messagesFor(req).t('review.preview')}: ${data.title}` });
  });

  router.get('/arsrapport/:orgId/:year/export/:format', async (req, res) => {
    const p = principalOf(res);
    const params = parseOr400(Params.extend({ format: z.enum(['docx', 'pdf']) }), req.params, 'params');
    requireRead(p, params.orgId);
    const { document, contentHash } = await documentOfReview(deps.models, params.orgId, params.year, undefined, deps.config.planTimeZone);
    const file = await renderReview(document, params.format);
    res.attachment(exportFileName(document, params.format));
    if (contentHash) res.setHeader('X-Content-Hash', contentHash);
    res.type(CONTENT_TYPES[params.format]).send(file);
  });

  router.post(
    '/arsrapport/:orgId/:year/starta',
    formAction(kit, '/arsrapport', async (req, principal, m) => {
      const params = parseOr400(Params, req.params, 'params');
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      await startReview(temporal, deps.models, { orgId: params.orgId, year: params.year });
      return m.t('review.started');
    }),
  );

  const change = (path: string, command: (req: Request) => unknown, said: (m: Parameters<Parameters<typeof formAction>[2]>[2]) => string) =>
    router.post(
      `/arsrapport/:orgId/:year${path}`,
      formAction(kit, '/arsrapport', async (req, principal, m) => {
        const params = parseOr400(Params, req.params, 'params');
        await apply(principal, params, command(req));
        return said(m);
      }),
    );

  change('/avsnitt', (req) => ({ type: 'edit-section', sectionId: field(req, 'sectionId'), text: field(req, 'text') }), (m) => m.t('review.sectionSaved'));
  change('/lamna-in', () => ({ type: 'submit' }), (m) => m.t('review.submitted'));
  change('/skicka-tillbaka', (req) => ({ type: 'request-changes', comment: field(req, 'comment') }), (m) => m.t('review.sentBack'));
  change('/inget-att-redovisa', (req) => ({ type: 'set-nothing-to-report', sectionId: field(req, 'sectionId'), value: true }), (m) => m.t('review.nothingToReportSaved'));
  change('/anta', adoptCommand, (m) => m.t('review.adopted'));

  async function apply(principal: Principal, params: { orgId: string; year: number }, raw: unknown): Promise<void> {
    const actor = await actorFor(deps.models, principal, params.orgId, deps.config.planTimeZone);
    const command = ReviewCommand.safeParse(raw);
    if (!command.success) throw Problem.badRequest(command.error.issues.map((i) => ({ field: ['body', ...i.path.slice(1)].join('.'), message: i.message })));
    const review = await findReview(deps.models, params.orgId, params.year);
    try {
      await changeReview(temporal, deps.models, review, { requestId: randomUUID(), actor, command: command.data });
    } catch (err) {
      throw updateProblem(err, `Genomgången ${review.id}`) ?? err;
    }
  }

  return router;
}

/** The adoption form: decisions one per line, the 9.3 conclusion, and the explicit confirmation the page asks for. */
function adoptCommand(req: Request): unknown {
  if (field(req, 'confirm') !== 'ja') throw Problem.badRequest([{ field: 'body.confirm', message: 'bekräfta att genomgången fryses och att planen förs över' }]);
  return {
    type: 'adopt',
    decisions: field(req, 'decisions').split(/\r?\n/).map((d) => d.trim()).filter(Boolean),
    conclusion: { suitable: field(req, 'suitable') === 'ja', adequate: field(req, 'adequate') === 'ja', effective: field(req, 'effective') === 'ja', comment: field(req, 'conclusionComment') },
  };
}

function field(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}
