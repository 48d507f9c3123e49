import { Router } from 'express';
import { z } from 'zod';
import { Slug, Text } from '../../domain/common';
import { createDevToken } from '../../services/people/tokens';
import { findDemoUser } from '../../services/people/identities';
import type { ApiDeps } from '../../http/deps';
import { Problem } from '../../services/problem';
import { parseOr400 } from '../../services/validate';
import { membershipsOf } from '../../store/models/user';

const DEV_TOKEN_HOURS = 8;

/**
 * Development login: a demo user (from `lisplan seed demo`) gets a short-lived personal token
 * without a provider. Mounted only when DEV_LOGIN=true, which config refuses in production.
 */
export function devLoginRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post('/api/v1/auth/dev-token', async (req, res) => {
    const body = parseOr400(z.object({ userId: Text(100), orgId: Slug.optional() }).strict(), req.body, 'body');
    const user = await findDemoUser(deps.models, body.userId);
    if (!user) throw new Problem(401, 'unauthenticated', 'Inte inloggad', 'Bara demoanvändare kan logga in så här.');
    const memberships = membershipsOf(user);
    const orgId = body.orgId ?? memberships[0]?.orgId;
    if (!orgId || !memberships.some((m) => m.orgId === orgId)) throw Problem.badRequest([{ field: 'body.orgId', message: 'the user has no role there' }]);
    const expiresAt = new Date(Date.now() + DEV_TOKEN_HOURS * 3_600_000);
    const token = await createDevToken(deps.models, user._id, orgId, expiresAt);
    res.status(201).json({ token, orgId, expiresAt: expiresAt.toISOString() });
  });
  return router;
}
