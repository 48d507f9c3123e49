import { Router, type Request, type Response } from 'express';
import { demoUsersStored, findDemoUser, rememberOidcUser } from '../../services/people/identities';
import { organisationNames } from '../../services/organisations/directory';
import { AuthError } from '../../http/auth/identity';
import { createOidcLogin, type OidcLogin } from '../../http/auth/oidc-login';
import { membershipsOf } from '../../store/models/user';
import { addFlash, beginSession, redirectSaved, regenerate } from '../session';
import type { UiKit } from '../kit';

const LOGIN_CALLBACK = '/logga-in/callback';

/**
 * Logga in: the OpenID provider (authorization code with PKCE, state and nonce), and in
 * development a choice of demo user. Logging out ends the session in the store.
 */
export function loginPages(kit: UiKit): Router {
  const { deps } = kit;
  const router = Router();
  const oidc: OidcLogin | undefined = deps.config.oidc ? createOidcLogin(deps.config.oidc, new URL(LOGIN_CALLBACK, deps.config.publicUrl).href) : undefined;

  router.get('/logga-in', async (req, res) => {
    const stored = deps.config.devLogin ? await demoUsersStored(deps.models) : [];
    const demoUsers = stored.map((u) => ({ ...u, memberships: membershipsOf(u) }));
    // The demo users are named with their organisations as people know them.
    const orgNames = demoUsers.length ? await organisationNames(deps.models) : {};
    kit.render(req, res, 'login', { title: kit.messagesFor(req).t('login.title'), oidc: Boolean(oidc), demoUsers, orgNames });
  });

  if (deps.config.devLogin) {
    router.post('/logga-in/demo', async (req, res) => {
      const userId = (req.body as Record<string, unknown>).userId;
      const user = typeof userId === 'string' ? await findDemoUser(deps.models, userId) : undefined;
      if (!user) {
        addFlash(req, 'error', kit.messagesFor(req).t('login.failed'));
        return redirectSaved(req, res, '/logga-in');
      }
      await afterLogin(req, res, user._id);
    });
  }

  if (oidc) {
    router.get('/logga-in/oidc', async (req, res) => {
      const { url, ...pending } = await oidc.start();
      req.session.pendingLogin = pending;
      await redirectSaved(req, res, url);
    });
    router.get(LOGIN_CALLBACK, async (req, res) => {
      const pending = req.session.pendingLogin;
      delete req.session.pendingLogin;
      try {
        const { identity } = await oidc.finish(new URL(req.originalUrl, deps.config.publicUrl), pending!);
        await afterLogin(req, res, await rememberOidcUser(deps.models, identity));
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        deps.logger.warn({ reason: err.message }, 'UI login refused');
        addFlash(req, 'error', kit.messagesFor(req).t('login.failed'));
        await redirectSaved(req, res, '/logga-in');
      }
    });
  }

  router.post('/logga-ut', async (req, res) => {
    const lang = req.session.lang;
    await regenerate(req);
    if (lang) req.session.lang = lang;
    addFlash(req, 'ok', kit.messagesFor(req).t('logout.done'));
    await redirectSaved(req, res, '/logga-in');
  });

  return router;
}

async function afterLogin(req: Request, res: Response, userId: string): Promise<void> {
  await beginSession(req, userId);
  // Without a page to return to, '/' sends the person to their start page (their role's).
  const to = req.session.returnTo ?? '/';
  delete req.session.returnTo;
  await redirectSaved(req, res, to);
}
