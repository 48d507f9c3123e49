import { awaitProjection } from '../../src/store/await-projection';

/** The bounded wait for a projection, with the store's answers stood in by plain functions. */
describe('awaitProjection', () => {
  it('answers true as soon as the read model reaches the version, reading again until it does', async () => {
    const seen = [undefined, 1, 2, 3];
    let reads = 0;
    const projected = await awaitProjection(async () => seen[reads++], 3, 2_000);
    expect(projected).toBe(true);
    expect(reads).toBe(4);
  });

  it('answers true at once for a version the read model already has or passed', async () => {
    let reads = 0;
    expect(await awaitProjection(async () => (reads++, 7), 5, 2_000)).toBe(true);
    expect(reads).toBe(1);
  });

  it('gives up with false when the projection does not arrive in time', async () => {
    const started = Date.now();
    expect(await awaitProjection(async () => 1, 2, 200)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('gives up with false when the store answers with an error, without reading again', async () => {
    let reads = 0;
    const projected = await awaitProjection(async () => {
      reads++;
      throw new Error('connection refused');
    }, 1, 2_000);
    expect(projected).toBe(false);
    expect(reads).toBe(1);
  });

  it('is not held past its deadline by a read that never answers', async () => {
    const started = Date.now();
    expect(await awaitProjection(() => new Promise<number>(() => undefined), 1, 150)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
