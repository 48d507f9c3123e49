/**
 * Polls until `check` returns a value other than undefined, for effects that follow
 * asynchronously (projections, emails). The timeout guards against a hang; it is no speed
 * target, and is generous because a loaded two-core CI machine can be slow.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, what = 'condition', timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Retries `assert` until it stops throwing (e.g. an `expect` on a projection), then returns its value. */
export async function settles<T>(assert: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  let lastError: unknown;
  const value = await eventually(
    async () => {
      try {
        return { v: await assert() };
      } catch (err) {
        lastError = err;
        return undefined;
      }
    },
    'assertion',
    timeoutMs,
  ).catch(() => {
    throw lastError;
  });
  return value.v;
}
