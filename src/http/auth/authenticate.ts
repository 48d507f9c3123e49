import type { RequestHandler } from 'express';
import { StoreUnavailableError } from '../../store/errors';
import type { Models } from '../../store/models';
import { findIdentity } from '../../store/models/user';
import { Problem } from '../../services/problem';
import { looksLikeApiToken } from '../../services/people/api-tokens';
import { storedToken } from '../../services/people/tokens';
import { rememberOidcUser } from '../../services/people/identities';
import { AuthError, type OidcIdentity } from './identity';
import type { Principal } from '../../domain/principal';

export interface BearerVerifier {
  verify(token: string): Promise<OidcIdentity>;
}

/**
 * Every /api/v1 route needs a bearer token: a personal API token, or an access token from the
 * OpenID provider. The principal lands in res.locals.principal; failures are 401 problems.
 */
export function authenticate(deps: { models: Models; oidc?: BearerVerifier }): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match) throw unauthenticated('Logga in: en Bearer-token saknas.');
    const token = match[1]!;
    res.locals.principal = looksLikeApiToken(token) ? await fromApiToken(deps.models, token) : await fromOidc(deps, token);
    next();
  };
}

async function fromApiToken(models: Models, token: string): Promise<Principal> {
  const stored = await storedToken(models, token);
  if (stored && (typeof stored.userId !== 'string' || typeof stored.orgId !== 'string' || !(stored.expiresAt instanceof Date))) {
    throw new StoreUnavailableError('the store returned a malformed API token document');
  }
  if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) {
    throw unauthenticated('Token är ogiltig, har gått ut eller har återkallats.');
  }
  const user = await findIdentity(models.users, stored.userId);
  if (!user) throw unauthenticated('Token tillhör ingen användare.');
  return {
    userId: user._id,
    name: user.name,
    memberships: user.memberships.filter((m) => m.orgId === stored.orgId),
    cityViewer: false,
    via: 'token',
    tokenOrgId: stored.orgId,
  };
}

async function fromOidc(deps: { models: Models; oidc?: BearerVerifier }, token: string): Promise<Principal> {
  if (!deps.oidc) throw unauthenticated('Token är ogiltig.');
  let identity: OidcIdentity;
  try {
    identity = await deps.oidc.verify(token);
  } catch (err) {
    if (err instanceof AuthError) throw unauthenticated('Token är ogiltig eller har gått ut.');
    throw err;
  }
  const userId = await rememberOidcUser(deps.models, identity);
  return { userId, name: identity.name, memberships: identity.memberships, cityViewer: identity.cityViewer, via: 'oidc' };
}

function unauthenticated(detail: string): Problem {
  return new Problem(401, 'unauthenticated', 'Inte inloggad', detail);
}
