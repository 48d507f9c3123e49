import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';
import type { Config } from '../platform/config';
import { Problem } from '../services/problem';

type Limits = Pick<Config, 'rateLimitPerMinute' | 'authFailuresPerMinute'>;

const MINUTE = 60_000;

/**
 * Whom a request counts against: the person once authentication has named them (every token,
 * session and scheme spelling of theirs shares one budget), else the address it came from.
 */
export function requesterKey(req: Request, res: Response): string {
  const userId = (res.locals.principal as { userId?: string } | undefined)?.userId;
  return userId ? `person:${userId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

function limited(opts: { limit: number; key: (req: Request, res: Response) => string; skip?: (req: Request) => boolean }): RequestHandler {
  return rateLimit({
    windowMs: MINUTE,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: opts.key,
    ...(opts.skip ? { skip: opts.skip } : {}),
    handler: (_req, res, next) => {
      res.setHeader('Retry-After', '60');
      next(new Problem(429, 'rate-limited', 'För många förfrågningar', 'Too many requests; try again in a minute.'));
    },
  });
}

/**
 * Before authentication, by address: refused credentials (a guessed token, an expired one, a
 * demo login for someone who is not a demo user) beyond a few a minute close the API to that
 * address for the minute. Only a refusal is counted, once it is known: counting every request
 * and taking the good ones back afterwards (express-rate-limit's skipSuccessfulRequests) refused
 * a burst of concurrent good requests from one address, as a city's proxy sends them.
 */
export function failedAuthenticationLimit(config: Limits): RequestHandler {
  const refusals = new MemoryStore();
  refusals.init({ windowMs: MINUTE } as Parameters<MemoryStore['init']>[0]);
  return (req, res, next) => {
    const key = `ip:${ipKeyGenerator(req.ip ?? '')}`;
    res.once('finish', () => {
      if (res.statusCode === 401) void refusals.increment(key);
    });
    refusals
      .get(key)
      .then((seen) => {
        if ((seen?.totalHits ?? 0) < config.authFailuresPerMinute) return next();
        res.setHeader('Retry-After', '60');
        next(new Problem(429, 'rate-limited', 'För många förfrågningar', 'Too many refused credentials; try again in a minute.'));
      })
      .catch(next);
  };
}

/**
 * Before authentication, by address: requests that carry no credential (the development login,
 * the calendar feeds, whose address is the credential). Requests with one are counted per
 * person once authenticated; many people share one address behind a city's proxy.
 */
export function anonymousLimit(config: Limits, isAnonymousRoute: (path: string) => boolean): RequestHandler {
  return limited({ limit: config.rateLimitPerMinute, key: requesterKey, skip: (req) => req.get('authorization') !== undefined && !isAnonymousRoute(req.originalUrl) });
}

/** After authentication (the API's bearer, the web UI's session): per person. */
export function personLimit(config: Limits, opts: { onlyPosts?: boolean } = {}): RequestHandler {
  return limited({ limit: config.rateLimitPerMinute, key: requesterKey, ...(opts.onlyPosts ? { skip: (req: Request) => req.method !== 'POST' } : {}) });
}
