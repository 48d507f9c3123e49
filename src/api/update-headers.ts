import type { Request } from 'express';
import { Problem } from '../services/problem';

/** The headers of a change: If-Match (the version the client saw) and Idempotency-Key. */

export function parseIfMatch(req: Request, example: string): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw Problem.badRequest([{ field: 'headers.if-match', message: `must be the version you read, e.g. ${example}` }]);
  return Number(m[1]);
}

export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key !== undefined && !/^[A-Za-z0-9._:-]{1,100}$/.test(key)) throw Problem.badRequest([{ field: 'headers.idempotency-key', message: '1–100 letters, digits or ._:-' }]);
  return key;
}
