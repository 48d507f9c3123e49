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
import { carryOverOfReview, changeReview, figuresNow, documentOfReview, findReview, reviewVersions, startReview, type ReviewTemporal } from '../../services/reviews/service';
import { choiceText } from '../../services/reviews/carry-over';
import type { SubmittedFigures } from '../../domain/review';
import { chooseOrg, formAction, principalOf, type UiKit } from '../kit';
import { addFlash } from '../session';
import type { Messages } from '../i18n';
import { DECISION_OWNER_ROLES, DECISION_ROWS, adoptionCommand, adoptionErrors, emptyAdoptionForm, readAdoptionForm } from './review-adoption';

const Params = z.object({ orgId: Slug, year: z.coerce.number().pipe(Year) });

/**
 * Årsrapport: the year's Ledningens genomgång. The coordinator starts it, writes the narrative
 * sections, previews and submits it; the förvaltningschef adopts it or sends it back; an adopted
 * version is shown frozen. Everything goes through the review service and workflow the API uses.
 */
export function reviewPages(kit: UiKit): Router {
  const { deps } = kit;
  const temporal: ReviewTemporal = { client: deps.client, taskQueue: deps.config.temporal.taskQueue, updateTimeoutMs: deps.config.temporal.updateTimeoutMs, timeZone: deps.config.planTimeZone };
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
    // What adoption will do with the unfinished work: chosen while editable, summed up for the förvaltningschef.
    const carryItems = review && review.status !== 'adopted' ? await carryOverOfReview(deps.models, review, deps.config.planTimeZone) : [];
    const submission = review?.status === 'submitted' ? review.submissions.at(-1) : undefined;
    const now = review && review.status !== 'adopted' ? await figuresNow(deps.models, review, deps.config.planTimeZone) : undefined;
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
      figuresNowText: now ? figuresText(m, now) : '',
      carryItems: carryItems.map((i) => ({ ...i, current: i.choice ? choiceText(i.choice, params.year + 1) : undefined })),
      carryCounts: { carry: carryItems.filter((i) => i.choice?.choice === 'carry').length, partial: carryItems.filter((i) => i.choice?.choice === 'done-in-part').length, drop: carryItems.filter((i) => i.choice?.choice === 'drop').length },
      adoption: adoptionView(),
      submission: submission?.figures ? { by: submission.by.name, at: submission.at, figures: submission.figures, text: figuresText(m, submission.figures), changed: now !== undefined && figuresText(m, now) !== figuresText(m, submission.figures) } : undefined,
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
  change('/lamna-in', submitCommand, (m) => m.t('review.submitted'));
  change('/overforing', carryOverCommand, (m) => m.t('review.carryOverSaved'));
  router.post(
    '/arsrapport/:orgId/:year/overforing-alla',
    formAction(kit, '/arsrapport', async (req, principal, m) => {
      const params = parseOr400(Params, req.params, 'params');
      requireRole(principal, params.orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
      const open = (await carryOverOfReview(deps.models, await findReview(deps.models, params.orgId, params.year), deps.config.planTimeZone)).filter((i) => !i.choice);
      if (open.length) await apply(principal, params, { type: 'set-carry-over', choices: open.map((i) => ({ activityId: i.activity.id, choice: 'carry', ...i.suggestion })) });
      return m.t('review.carryOverAllSaved');
    }),
  );
  change('/skicka-tillbaka', (req) => ({ type: 'request-changes', comment: field(req, 'comment') }), (m) => m.t('review.sentBack'));
  change('/inget-att-redovisa', (req) => ({ type: 'set-nothing-to-report', sectionId: field(req, 'sectionId'), value: true }), (m) => m.t('review.nothingToReportSaved'));
  /**
   * Adoption: a form with a wrong field is shown again with what was written and each error at
   * its field (400); a right one goes on as the other changes do.
   */
  router.post('/arsrapport/:orgId/:year/anta', async (req, res, next) => {
    const params = parseOr400(Params, req.params, 'params');
    const m = kit.messagesFor(req);
    const form = readAdoptionForm(req);
    const errors = adoptionErrors(form, m, `${params.year + 1}-03-31`);
    // Only the förvaltningschef has the form to correct; anyone else is refused as before.
    if (Object.keys(errors).length && rolesIn(principalOf(res), params.orgId).includes(HEAD)) {
      addFlash(req, 'error', m.t('review.adoptInvalid', { fields: Object.keys(errors).map((f) => fieldLabel(m, f)).join(', ') }));
      const view = await reviewView(req, res);
      return kit.render(req, res, 'review', { ...view, adoption: adoptionView(form, errors) }, 400);
    }
    return formAction(kit, '/arsrapport', async (_req, principal, said) => {
      await apply(principal, params, adoptionCommand(form));
      return said.t('review.adopted');
    })(req, res, next);
  });

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

/** Submission asks for an explicit yes, as adoption does: it locks the text and records the figures. */
function submitCommand(req: Request): unknown {
  if (field(req, 'confirm') !== 'ja') throw Problem.badRequest([{ field: 'body.confirm', message: 'bekräfta att genomgången lämnas in' }]);
  return { type: 'submit' };
}

/** One activity's carry-over choice from its form: the title and date count only when it is carried over, the reason only when it is not. */
function carryOverCommand(req: Request): unknown {
  const choice = field(req, 'choice');
  const activityId = field(req, 'activityId');
  const picked = choice === 'carry' ? { choice, title: field(req, 'title'), due: field(req, 'due') } : { choice, reason: field(req, 'reason') };
  return { type: 'set-carry-over', choices: [{ activityId, ...picked }] };
}

function figuresText(m: { t: (k: 'review.figures', v: Record<string, number>) => string }, f: SubmittedFigures): string {
  return m.t('review.figures', { total: f.total, done: f.done, unfinished: f.unfinished, deferred: f.deferred, cancelled: f.cancelled, late: f.late });
}

/** What the adoption form shows: the values written so far and the errors by field. */
function adoptionView(form = emptyAdoptionForm(), errors: Record<string, string> = {}) {
  return { form, errors, rows: DECISION_ROWS, owners: DECISION_OWNER_ROLES };
}

/** "Beslut 2: Klart senast", "Motivering": a field as its label names it. */
function fieldLabel(m: Messages, name: string): string {
  const decision = /^decision-(\d+)-(text|owner|due)$/.exec(name);
  if (decision) {
    const part = { text: 'review.decisionText', owner: 'review.decisionOwner', due: 'review.decisionDue' } as const;
    return `${m.t('review.decision', { n: decision[1]! })}: ${m.t(part[decision[2] as keyof typeof part]).toLowerCase()}`;
  }
  return name === 'conclusionComment' ? m.t('review.conclusion.comment') : m.t('review.adoptConfirm');
}

function field(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}
