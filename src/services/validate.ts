import type { z } from 'zod';
import { Problem } from './problem';

/** Parses a request part with a zod schema; failures become a 400 with one entry per field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw Problem.badRequest(
    result.error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message })),
  );
}
