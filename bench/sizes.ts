import { z } from 'zod';

const count = z.coerce.number().int().min(1);
const counts = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of whole numbers')
  .transform((s) => s.split(',').map(Number));

export const BENCH_SECTIONS = ['completions', 'listing', 'pages', 'plan-load', 'footprint', 'review', 'soak'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

/** Bench sizes; each can be made smaller by environment for a quick run (see the README). */
const schema = z.object({
  BENCH_FLOOR_OPS: count.default(1000),
  BENCH_OPS: count.default(512),
  BENCH_CALLERS: counts.default([1, 8, 32, 64]),
  BENCH_LIST_SIZES: counts.default([1000, 10000]),
  BENCH_LIST_REQUESTS: count.default(200),
  BENCH_PAGE_ACTIVITIES: count.default(2000),
  BENCH_PAGE_REQUESTS: count.default(100),
  BENCH_PLAN_ORGS: count.default(50),
  BENCH_PLAN_ACTIVITIES: z.coerce.number().int().min(1).max(51).default(40),
  BENCH_REVIEW_SIZES: counts.default([100, 1000, 10000]),
  BENCH_SOAK_MINUTES: z.coerce.number().min(0).default(1),
  /** The sections to run, in this order; all of them by default. */
  BENCH_SECTIONS: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(BENCH_SECTIONS)))
    .default([...BENCH_SECTIONS]),
});

export type BenchSizes = z.infer<typeof schema>;

export function benchSizes(env: NodeJS.ProcessEnv): BenchSizes {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
