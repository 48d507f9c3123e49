import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../platform/logger';
import { Problem, PROBLEM_BASE } from '../services/problem';
import { backendUnavailable, engineBusy } from '../services/unavailable';

/** The one place where errors become responses. No stack or internal message leaves here. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status >= 500 && problem.status !== 503) {
      logger.error({ err, requestId: res.locals.requestId }, 'unhandled error');
    } else if (problem.status === 503) {
      logger.warn({ requestId: res.locals.requestId, detail: problem.detail }, 'backend unavailable');
    }
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (problem.extra.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(problem.extra.retryAfterSeconds));
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: PROBLEM_BASE + problem.type,
          title: problem.title,
          status: problem.status,
          ...(problem.detail ? { detail: problem.detail } : {}),
          ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
          ...(problem.extra.limit ? { limit: problem.extra.limit } : {}),
          instance: req.originalUrl,
          requestId: res.locals.requestId,
        }),
      );
  };
}


export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(Problem.notFound(`No route for ${req.method} ${req.path}`));
};

export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const body = err as { type?: string; status?: number; expose?: boolean };
  // body-parser's own errors (malformed JSON, too large) carry a status and are safe to name.
  if (body?.type === 'entity.too.large') {
    return new Problem(413, 'payload-too-large', 'För stor begäran', 'The request body is too large.');
  }
  if (body?.type === 'entity.parse.failed' || body?.type === 'encoding.unsupported' || body?.type === 'charset.unsupported') {
    return Problem.badRequest([{ field: 'body', message: 'must be valid JSON in UTF-8' }], 'The request body could not be read.');
  }
  if (engineBusy(err)) {
    return new Problem(429, 'busy', 'Upptaget just nu', 'Too many changes to this item are in progress; try again in a second.', { retryAfterSeconds: 1 });
  }
  const down = backendUnavailable(err);
  if (down) {
    const what = { temporal: 'The workflow engine', store: 'The store', 'identity-provider': 'The identity provider' }[down];
    return Problem.unavailable(`${what} is unreachable or did not answer in time.`);
  }
  return new Problem(500, 'internal', 'Internt fel', 'An unexpected error occurred.');
}
