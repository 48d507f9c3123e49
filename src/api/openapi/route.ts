import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../../domain/principal';
import { parseOr400 } from '../../services/validate';
import { PROBLEM_STATUSES, ProblemSchema } from './registry';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Express-style path below /api/v1, e.g. /activities/:activityId */
  path: string;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  headers?: z.ZodObject;
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, { description: string; schema: { type: 'string' } }> }>;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  req: Request;
  res: Response;
}

/**
 * Declares a route once: the same zod schemas validate the request and describe it in the
 * OpenAPI document. Handlers return `{ status, body, headers }`.
 */
export class ApiRoutes {
  readonly router = Router();
  constructor(
    private readonly registry: OpenAPIRegistry,
    private readonly base: string,
  ) {}

  add<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
    spec: RouteSpec<P, Q, B>,
    handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<{ status?: number; body?: unknown; headers?: Record<string, string>; sent?: boolean }>,
  ): void {
    this.describe(spec);
    this.router[spec.method](spec.path, async (req, res) => {
      const input = {
        params: spec.params ? parseOr400(spec.params, req.params, 'params') : ({} as z.infer<P>),
        query: spec.query ? parseOr400(spec.query, req.query, 'query') : ({} as z.infer<Q>),
        body: spec.body ? parseOr400(spec.body, req.body ?? {}, 'body') : (undefined as z.infer<B>),
        principal: res.locals.principal as Principal,
        req,
        res,
      };
      const out = await handler(input);
      if (out.sent) return;
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      const status = out.status ?? 200;
      if (out.body === undefined) res.status(status).end();
      else res.status(status).json(out.body);
    });
  }

  /** Puts a route in the OpenAPI document; `add` does this, and a hand-mounted route calls it. */
  describe<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    spec: RouteSpec<P, Q, B> & { rawBody?: { contentTypes: string[]; description: string } },
  ): void {
    this.registry.registerPath({
      method: spec.method,
      path: this.base + spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      tags: spec.tags,
      request: {
        ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
        ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
        ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(spec.rawBody
          ? {
              body: {
                required: true,
                description: spec.rawBody.description,
                content: Object.fromEntries(spec.rawBody.contentTypes.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])),
              },
            }
          : {}),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(spec.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(r.headers ? { headers: r.headers } : {}),
              ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}),
            },
          ]),
        ),
        ...Object.fromEntries(
          PROBLEM_STATUSES.filter((s) => !(s in spec.responses)).map((s) => [
            s,
            { description: 'Problem', content: { 'application/problem+json': { schema: ProblemSchema } } },
          ]),
        ),
      },
    });
  }
}
