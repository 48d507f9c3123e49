import type { Models } from '../../store/models';
import { forbidden, rolesIn } from './access';
import { hashToken, mintToken } from './api-tokens';
import type { Principal } from '../../domain/principal';
import { Problem } from '../problem';

/** Personal API tokens: made by a logged-in person for one of their organisations, shown once. */

export interface TokenView {
  id: string;
  name: string;
  orgId: string;
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
}

export async function createToken(models: Models, principal: Principal, input: { name: string; orgId: string; expiresInDays: number }): Promise<TokenView & { token: string }> {
  if (principal.via === 'token') throw forbidden('En API-token kan inte skapa nya tokens; logga in.');
  if (rolesIn(principal, input.orgId).length === 0) throw forbidden(`Du har ingen roll i ${input.orgId}.`);
  const { token, hash, tokenId } = mintToken();
  const doc = { _id: hash, tokenId, userId: principal.userId, orgId: input.orgId, name: input.name, createdAt: new Date(), expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000) };
  await models.apiTokens.create(doc);
  return { ...tokenView(doc), token };
}

export async function listTokens(models: Models, principal: Principal): Promise<TokenView[]> {
  return (await models.apiTokens.find({ userId: principal.userId }).sort({ createdAt: 1 }).lean()).map(tokenView);
}

export async function revokeToken(models: Models, principal: Principal, tokenId: string): Promise<void> {
  const res = await models.apiTokens.updateOne({ tokenId, userId: principal.userId }, { $set: { revokedAt: new Date() } });
  if (res.matchedCount === 0) throw Problem.notFound('Ingen sådan token.');
}

/** A personal token for development login, named as such; only its hash is stored. */
export async function createDevToken(models: Models, userId: string, orgId: string, expiresAt: Date): Promise<string> {
  const { token, hash, tokenId } = mintToken();
  await models.apiTokens.create({ _id: hash, tokenId, userId, orgId, name: 'utvecklingsinloggning', createdAt: new Date(), expiresAt });
  return token;
}

/** The stored token this one is, found by its hash (revoked and expired ones too). */
export function storedToken(models: Models, token: string) {
  return models.apiTokens.findById(hashToken(token)).lean();
}

function tokenView(d: { tokenId: string; name: string; orgId: string; createdAt: Date; expiresAt: Date; revokedAt?: Date }): TokenView {
  return { id: d.tokenId, name: d.name, orgId: d.orgId, createdAt: d.createdAt.toISOString(), expiresAt: d.expiresAt.toISOString(), revoked: Boolean(d.revokedAt) };
}
