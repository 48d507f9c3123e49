import { BENCH_SECTIONS, benchSizes } from '../../bench/sizes';

/** The bench's settings: what a quick or a partial run is asked for with. */
describe('bench sizes', () => {
  it('runs every section by default, and the pages at 2,000 activities', () => {
    const sizes = benchSizes({});
    expect(sizes.BENCH_SECTIONS).toEqual([...BENCH_SECTIONS]);
    expect(sizes.BENCH_PAGE_ACTIVITIES).toBe(2000);
  });

  it('runs the named sections in the order given', () => {
    expect(benchSizes({ BENCH_SECTIONS: 'pages,listing' }).BENCH_SECTIONS).toEqual(['pages', 'listing']);
  });

  it('refuses a section it does not have, naming the setting', () => {
    expect(() => benchSizes({ BENCH_SECTIONS: 'pages,sidor' })).toThrow(/^BENCH_SECTIONS/);
    expect(() => benchSizes({ BENCH_PAGE_ACTIVITIES: '0' })).toThrow(/^BENCH_PAGE_ACTIVITIES/);
  });
});
