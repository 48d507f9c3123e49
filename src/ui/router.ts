import path from 'node:path';
import express, { Router, type ErrorRequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import type { ApiDeps } from '../http/deps';
import { toProblem } from '../http/error-handler';
import { personLimit } from '../http/rate-limit';
import { Problem } from '../services/problem';
import { LANGS, type Lang, type Messages } from './i18n';
import { createKit, localPath, requireLogin, UI_DIR, type UiKit } from './kit';
import { accessibilityPage } from './pages/accessibility';
import { activityPage } from './pages/activity';
import { activityActions } from './pages/activity-actions';
import { adminPages } from './pages/admin';
import { kpiPages } from './pages/kpis';
import { loginPages } from './pages/login';
import { managePages } from './pages/manage';
import { overviewPages, startPath } from './pages/overview';
import type { Principal } from '../domain/principal';
import { notificationPages } from './pages/notifications';
import { planPages } from './pages/plan';
import { planImportPages } from './pages/plan-import';
import { reviewPages } from './pages/review';
import { settingsPages } from './pages/settings';
import { workPages } from './pages/work';
import { redirectSaved, sessionPrincipal, uiSession } from './session';

/**
 * The web UI: server-rendered pages that work without JavaScript, on the same services and
 * rules as the API. Every post carries the session's synchronizer token (csrf-sync).
 */
export function uiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    // A file upload (multipart, read by its own page) carries the token in its address instead.
    getTokenFromRequest: (req) => ((req.body as Record<string, unknown> | undefined)?._csrf ?? (req.is('multipart/form-data') ? req.query._csrf : undefined)) as string | undefined,
  });
  const kit = createKit(deps, (req) => generateToken(req));

  // The API keeps its own authentication and problem+json errors.
  router.use((req, _res, next) => (req.path.startsWith('/api/') ? next('router') : next()));
  router.use('/static', express.static(path.join(UI_DIR, 'static'), { maxAge: deps.config.nodeEnv === 'production' ? '1h' : 0, fallthrough: false }));
  router.use(uiSession(deps));
  // The plan import's preview form has eight fields per item, up to 150 items.
  router.use(express.urlencoded({ extended: false, limit: '500kb', parameterLimit: 1500 }));
  router.use(csrfSynchronisedProtection);
  router.use(sessionPrincipal(deps));
  // Posts change things and send mail: limited per person (per address before login).
  router.use(personLimit(deps.config, { onlyPosts: true }));

  // Each person starts where their work is: coordinators at the plan, city readers at the city.
  router.get('/', (_req, res) => res.redirect(303, res.locals.principal ? startPath(res.locals.principal as Principal) : '/logga-in'));
  router.post('/sprak', async (req, res) => {
    const wanted = (req.body as Record<string, unknown>).lang;
    if (LANGS.includes(wanted as Lang)) req.session.lang = wanted as Lang;
    await redirectSaved(req, res, localPath((req.body as Record<string, unknown>).returnTo, '/'));
  });
  router.use(loginPages(kit));
  // The accessibility statement is for everyone, also those who cannot log in.
  router.use(accessibilityPage(kit));
  router.use(requireLogin);
  router.use(settingsPages(kit));
  router.use(notificationPages(kit));
  router.use(workPages(kit));
  router.use(managePages(kit));
  router.use(overviewPages(kit));
  router.use(activityPage(kit));
  router.use(activityActions(kit));
  router.use(planPages(kit));
  router.use(kpiPages(kit));
  router.use(adminPages(kit));
  router.use(reviewPages(kit));
  router.use(planImportPages(kit));
  router.use((req, _res, next) => next(Problem.notFound(`No page ${req.path}`)));
  router.use(uiErrors(kit));
  return router;
}

/** Errors on a page become a page (in the reader's language), never problem+json or a stack. */
function uiErrors(kit: UiKit): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const m = kit.messagesFor(req);
    const csrf = (err as { code?: string }).code === 'EBADCSRFTOKEN';
    const problem = toProblem(err);
    const status = csrf ? 403 : problem.status;
    if (status === 401 && req.method === 'GET') return res.redirect(303, '/logga-in');
    if (status >= 500 && status !== 503) kit.deps.logger.error({ err, requestId: res.locals.requestId }, 'unhandled error in the web UI');
    if (problem.extra.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(problem.extra.retryAfterSeconds));
    const text = csrf
      ? m.t('error.csrf')
      : problem.status === 403
        ? // The rules give their reasons in Swedish: an English page keeps to its own sentence.
          m.lang === 'sv' ? `${m.t('error.forbidden')} ${problem.detail ?? ''}` : m.t('error.forbidden')
        : problem.status === 404
          ? m.t('error.notFound')
          : problem.status === 503
            ? m.t('error.unavailable')
            : problem.status >= 500
              ? m.t('error.title')
              : (problem.detail ?? problem.title);
    const heading = csrf ? m.t('error.title') : status === 403 ? m.t('error.forbiddenTitle') : status === 404 ? m.t('error.notFoundTitle') : `${m.t('error.title')} (${status})`;
    // A page that could not be had is asked for again by the same link; a post goes back where it came from.
    const retry = status === 503 ? localPath(req.method === 'GET' ? req.originalUrl : (req.body as Record<string, unknown> | undefined)?.returnTo, '/') : undefined;
    try {
      kit.render(req, res, 'error', { title: heading, heading, text, retry }, status);
    } catch (renderErr) {
      // The error page needs the session and the templates; without them it is still a page, never the API's JSON.
      kit.deps.logger.error({ err: renderErr, requestId: res.locals.requestId }, 'the web UI could not render its error page');
      res.status(status).set('Cache-Control', 'no-store').type('html').send(plainErrorPage(m, heading, text, retry));
    }
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The error page without the layout: no session, no template, no store. */
function plainErrorPage(m: Messages, heading: string, text: string, retry: string | undefined): string {
  const link = retry ? `<p><a href="${escapeHtml(retry)}">${escapeHtml(m.t('error.retry'))}</a></p>` : '';
  return `<!doctype html><html lang="${m.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(heading)} – lisplan</title><link rel="stylesheet" href="/static/lisplan.css"></head><body><main id="innehall"><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(text)}</p>${link}</main></body></html>`;
}
