import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { Eta } from 'eta';
import { ADMIN, COORDINATOR, HEAD, readableOrgIds } from '../services/people/access';
import type { Principal } from '../domain/principal';
import type { ApiDeps } from '../http/deps';
import { toProblem } from '../http/error-handler';
import { Problem } from '../services/problem';
import { allOrganisations } from '../services/organisations/directory';
import type { OrganisationDoc } from '../store/models/organisation';
import { projectRoot } from '../platform/project-root';
import { messages, type Messages } from './i18n';
import { addFlash, redirectSaved, takeFlash } from './session';

/** Templates and styles are read from the source tree (the Docker image copies them beside dist). */
export const UI_DIR = path.join(projectRoot(), 'src', 'ui');

export interface UiKit {
  deps: ApiDeps;
  render(req: Request, res: Response, view: string, data: Record<string, unknown>, status?: number): void;
  messagesFor(req: Request): Messages;
  csrfToken(req: Request): string;
}

export function createKit(deps: ApiDeps, csrfToken: (req: Request) => string): UiKit {
  const eta = new Eta({ views: path.join(UI_DIR, 'views'), cache: deps.config.nodeEnv === 'production', autoEscape: true, autoTrim: [false, 'nl'] });
  const messagesFor = (req: Request) => messages(req.session?.lang ?? 'sv', deps.config.planTimeZone);
  return {
    deps,
    messagesFor,
    csrfToken,
    render(req, res, view, data, status = 200) {
      const principal = res.locals.principal as Principal | undefined;
      const m = messagesFor(req);
      const html = eta.render(view, {
        m,
        user: principal,
        nav: principal ? navFor(principal) : [],
        path: req.path,
        // Where the language switch returns to: the page as asked for, with its filters.
        url: req.method === 'GET' ? localPath(req.originalUrl, req.path) : req.path,
        // No session when the store could not load it: the 503 page then has no forms to protect.
        csrf: req.session ? csrfToken(req) : '',
        flash: takeFlash(req),
        unreadNotifications: res.locals.unreadNotifications as number | undefined,
        ...data,
      });
      res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
    },
  };
}

export interface NavItem {
  href: string;
  key: 'nav.tasks' | 'nav.approvals' | 'nav.plan' | 'nav.kpis' | 'nav.review' | 'nav.admin' | 'nav.overview' | 'nav.city';
}

function navFor(p: Principal): NavItem[] {
  const items: NavItem[] = [
    { href: '/mina-uppgifter', key: 'nav.tasks' },
    { href: '/att-godkanna', key: 'nav.approvals' },
    { href: '/planoversikt', key: 'nav.plan' },
    { href: '/nyckeltal', key: 'nav.kpis' },
    { href: '/arsrapport', key: 'nav.review' },
  ];
  // The coordinator's overview leads; the city page for those who read more than one organisation.
  if (p.memberships.some((m) => m.roles.includes(COORDINATOR))) items.unshift({ href: '/oversikt', key: 'nav.overview' });
  if (p.cityViewer || p.memberships.length > 1) items.push({ href: '/staden', key: 'nav.city' });
  if (mayAdminister(p)) items.push({ href: '/administration', key: 'nav.admin' });
  return items;
}

/** The Administration page is for administrators, coordinators and the förvaltningschef (delegations). */
export function mayAdminister(p: Principal, orgId?: string): boolean {
  return p.memberships.some((m) => (!orgId || m.orgId === orgId) && m.roles.some((r) => r === ADMIN || r === COORDINATOR || r === HEAD));
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Problem(401, 'unauthenticated', 'Inte inloggad', 'Logga in för att fortsätta.');
  return p;
}

/** Pages need a login: a GET is sent to the login page and comes back afterwards. */
export const requireLogin: RequestHandler = async (req, res, next) => {
  if (res.locals.principal) return next();
  if (req.method === 'GET') {
    // Only a page the person opened is worth returning to, not an icon or a download.
    if (req.get('sec-fetch-dest') !== 'image' && !/\.\w+$/.test(req.path)) req.session.returnTo = localPath(req.originalUrl, '/mina-uppgifter');
    return redirectSaved(req, res, '/logga-in');
  }
  next(new Problem(401, 'unauthenticated', 'Inte inloggad', 'Logga in för att fortsätta.'));
};

/** Only a path on this site, so a form cannot send the browser elsewhere. */
export function localPath(candidate: unknown, fallback: string): string {
  return typeof candidate === 'string' && /^\/(?![/\\])[^\s]*$/.test(candidate) && candidate.length <= 500 ? candidate : fallback;
}

/** The organisations the person may read, and the one chosen (?org=), defaulting to their first. */
export async function chooseOrg(deps: ApiDeps, p: Principal, wanted: unknown): Promise<{ orgs: OrganisationDoc[]; org: OrganisationDoc | undefined }> {
  const all = await allOrganisations(deps.models);
  const readable = new Set(readableOrgIds(p, all.map((o) => o._id)));
  const orgs = all.filter((o) => readable.has(o._id));
  const own = p.memberships.map((m) => m.orgId);
  const org = orgs.find((o) => o._id === wanted) ?? orgs.find((o) => own.includes(o._id)) ?? orgs[0];
  if (typeof wanted === 'string' && wanted && org?._id !== wanted) {
    throw new Problem(403, 'forbidden', 'Åtkomst nekad', `Du har ingen behörighet i organisationen ${wanted}.`);
  }
  return { orgs, org };
}

/**
 * A form post: runs the change, says what happened (role=status) or why not (role=alert),
 * and sends the browser back (POST-redirect-GET). Unexpected failures go to the error page.
 */
export function formAction(kit: UiKit, fallback: string, run: (req: Request, p: Principal, m: Messages) => Promise<string | string[]>): RequestHandler {
  return async (req, res) => {
    const p = principalOf(res);
    const m = kit.messagesFor(req);
    try {
      const said = await run(req, p, m);
      for (const text of Array.isArray(said) ? said : [said]) addFlash(req, 'ok', text);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 && problem.status !== 503) throw err;
      addFlash(req, 'error', problemText(problem, m));
    }
    await redirectSaved(req, res, localPath((req.body as Record<string, unknown> | undefined)?.returnTo, fallback));
  };
}

export function problemText(problem: Problem, m: Messages): string {
  if (problem.status === 503) return m.t('error.unavailable');
  if ((problem.status === 400 || problem.status === 409) && problem.extra.errors) {
    const fields = [...new Set(problem.extra.errors.map((e) => m.field(e.field.replace(/^(body|params|query)\./, '').split('.')[0]!)))];
    // A 409 naming fields: what they hold belongs to someone else (an email), not a typing error.
    return m.t(problem.status === 409 ? 'error.taken' : 'error.invalid', { fields: fields.join(', ') });
  }
  return problem.detail ?? problem.title;
}
