import type { Express } from 'express';
import { createApp } from '../../src/app';
import { mintToken } from '../../src/services/people/api-tokens';
import type { BearerVerifier } from '../../src/http/auth/authenticate';
import type { Models } from '../../src/store/models';
import type { RoleName } from '../../src/domain/roles';
import { createLogger } from '../../src/platform/logger';
import type { TestStack } from './stack';

export function testApp(stack: TestStack, opts: { oidc?: BearerVerifier; env?: Partial<TestStack['config']> } = {}): Express {
  return createApp({
    config: { ...stack.config, ...opts.env },
    logger: createLogger({ logLevel: 'silent' }, 'test'),
    client: stack.env.client,
    store: stack.store,
    models: stack.models,
    oidc: opts.oidc,
  });
}

export interface TestUser {
  id: string;
  name: string;
  memberships: { orgId: string; roles: RoleName[] }[];
  cityViewer?: boolean;
}

/** A user and a real personal API token for them, as `Authorization` header value. */
export async function bearerFor(models: Models, user: TestUser, opts: { orgId?: string; expiresAt?: Date } = {}): Promise<string> {
  await models.users.updateOne(
    { _id: user.id },
    { $set: { name: user.name, email: `${user.id}@test.lisplan.se`, memberships: user.memberships, cityViewer: user.cityViewer ?? false, demo: false } },
    { upsert: true },
  );
  const { token, hash, tokenId } = mintToken();
  await models.apiTokens.create({
    _id: hash,
    tokenId,
    userId: user.id,
    orgId: opts.orgId ?? user.memberships[0]?.orgId ?? 'none',
    name: 'test',
    createdAt: new Date(),
    expiresAt: opts.expiresAt ?? new Date(Date.now() + 3_600_000),
  });
  return `Bearer ${token}`;
}
