import { promisify } from 'node:util';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { PendingLogin } from '../http/auth/oidc-login';
import type { Principal } from '../domain/principal';
import type { ApiDeps } from '../http/deps';
import { uiSessionSecret } from '../platform/config';
import { findIdentity } from '../store/models/user';
import type { Lang } from './i18n';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    lang?: Lang;
    pendingLogin?: PendingLogin;
    returnTo?: string;
    flash?: Flash[];
  }
}

const SESSION_HOURS = 8;

/**
 * The browser's session: an opaque id in an HttpOnly, SameSite=Lax cookie (Secure in
 * production); what it stands for lives in the store, so logging out or a revoked user ends it
 * on the server.
 */
export function uiSession(deps: Pick<ApiDeps, 'config' | 'store'>): RequestHandler {
  const production = deps.config.nodeEnv === 'production';
  return session({
    name: 'lisplan.sid',
    secret: uiSessionSecret(deps.config),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // Behind the TLS-terminating proxy the Secure cookie is set by trusting X-Forwarded-Proto.
    proxy: production,
    cookie: { httpOnly: true, sameSite: 'lax', secure: production, maxAge: SESSION_HOURS * 3_600_000, path: '/' },
    store: MongoStore.create({
      client: deps.store.getClient(),
      dbName: deps.store.db!.databaseName,
      collectionName: 'ui_sessions',
      ttl: SESSION_HOURS * 3600,
      // A TTL index on `expires` removes expired sessions (and a read never returns one).
      autoRemove: 'native',
      stringify: false,
    }),
  });
}

/** The logged-in person as the API's rules see them, read fresh from the store on each request. */
export function sessionPrincipal(deps: Pick<ApiDeps, 'models'>): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      const user = await findIdentity(deps.models.users, userId);
      if (user) {
        const principal: Principal = { userId: user._id, name: user.name, memberships: user.memberships, cityViewer: user.cityViewer, via: 'session' };
        res.locals.principal = principal;
      } else {
        delete req.session.userId;
      }
    }
    next();
  };
}

export function addFlash(req: Express.Request, kind: Flash['kind'], text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, text }];
}

export function takeFlash(req: Express.Request): Flash[] {
  const flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return flash;
}

/** Starts a fresh session (a new id against fixation) for `userId`, keeping the language. */
export async function beginSession(req: Express.Request, userId: string): Promise<void> {
  const lang = req.session.lang;
  const returnTo = req.session.returnTo;
  await regenerate(req);
  req.session.userId = userId;
  if (lang) req.session.lang = lang;
  if (returnTo) req.session.returnTo = returnTo;
}

/** A new, empty session under a new id; the old one is removed from the store. */
export async function regenerate(req: Express.Request): Promise<void> {
  await promisify(req.session.regenerate.bind(req.session))();
}

/**
 * Saves the session, then redirects. express-session would save while the 303 is already on
 * its way, so the next page could be read before the flash or the login is in the store.
 */
export async function redirectSaved(req: Express.Request, res: { redirect(status: number, url: string): void }, url: string): Promise<void> {
  await promisify(req.session.save.bind(req.session))();
  res.redirect(303, url);
}
