import { createHash, randomBytes } from 'node:crypto';

/** Personal API tokens: `lp_` and 32 random bytes; stored only as their SHA-256. */
export const TOKEN_PREFIX = 'lp_';

export function mintToken(): { token: string; hash: string; tokenId: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), tokenId: randomBytes(6).toString('hex') };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(token: string): boolean {
  return token.startsWith(TOKEN_PREFIX) && /^lp_[A-Za-z0-9_-]{43}$/.test(token);
}
