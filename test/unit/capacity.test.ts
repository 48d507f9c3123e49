import { computeCapacity, INPUTS, measuredFrom, MissingBenchFigure, renderCapacity, type BenchRun } from '../../scripts/capacity-model';

/**
 * A hand-made bench run with round figures, so each computed figure can be checked by hand
 * against the inputs in INPUTS (600,000 activities, 250 days × 8 h, peak factor 0.3 ÷ 4 × 50 × 2).
 */
function benchRun(): BenchRun {
  const completion = (callers: number, perSecond: number, cpu: [number, number, number, number]) => ({
    section: 'task completion (API)',
    name: `${callers} owner(s)`,
    figures: { n: 64, errors: 0, p50: 80, p95: 100, p99: 120, perSecond },
    metrics: { callers, changes: 64, lagMs: 20, apiCpuMsPerChange: cpu[0], workerCpuMsPerChange: cpu[1], temporalCpuMsPerChange: cpu[2], storeCpuMsPerChange: cpu[3] },
  });
  return {
    at: '2026-12-06T06:06:42.016Z',
    complete: true,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v20.0.0' },
    sizes: { BENCH_OPS: 64, BENCH_CALLERS: [1, 32] },
    rows: [
      { section: 'engine floor', name: 'empty Update, 1 caller(s)', figures: { n: 100, errors: 0, p50: 20, p95: 25, p99: 30, perSecond: 50 } },
      completion(1, 12, [15, 30, 40, 5]),
      completion(32, 20, [10, 40, 30, 5]),
      { section: 'same activity (API)', name: '1 owner(s)', figures: { n: 64, errors: 0, p50: 70, p95: 90, p99: 99, perSecond: 14 }, metrics: { callers: 1, changes: 64 } },
      { section: 'same activity (API)', name: '32 owner(s)', figures: { n: 64, errors: 0, p50: 700, p95: 900, p99: 990, perSecond: 25 }, metrics: { callers: 32, changes: 64 } },
      { section: 'plan load', name: '10 org × 40 = 400 workflows', value: '…', metrics: { workflows: 400, loadedSeconds: 20, projectedSeconds: 50 } },
      {
        section: 'footprint',
        name: 'one activity’s year (Temporal)',
        metrics: { changesPerYear: 10, historyEvents: 100, historyBytes: 50_000, actionsInHistory: 30, reminderPoints: 6, actionsPerReminder: 4, auditEventsPerYear: 11 },
      },
      { section: 'footprint', name: 'store bytes per read-model activity', metrics: { documents: 100, bytesPerDocument: 1000, diskBytesPerDocument: 250, indexBytesPerDocument: 200 } },
      { section: 'footprint', name: 'store bytes per audit event', metrics: { documents: 100, bytesPerDocument: 2000, diskBytesPerDocument: 500, indexBytesPerDocument: 100 } },
      { section: 'review', name: 'city roll-up, 50 organisations, 200 activities', figures: { n: 5, errors: 0, p50: 6, p95: 8, p99: 8, perSecond: 150 }, metrics: { organisations: 50, activities: 200 } },
    ],
  };
}

describe('capacity', () => {
  const c = computeCapacity(measuredFrom(benchRun()), INPUTS);

  it('takes the stated inputs it is checked against here', () => {
    expect(INPUTS.activities.value).toBe(600_000);
    expect(INPUTS.workingDaysPerYear.value * INPUTS.workingHoursPerDay.value).toBe(2000);
    expect(INPUTS.largestOrganisationShare.value).toBe(0.02);
  });

  it('computes Temporal actions: history + reminders × actions each, per month for the country', () => {
    expect(c.get('actionsPerActivityYear')).toBe(30 + 6 * 4);
    expect(c.get('actionsPerMonth')).toBeCloseTo((54 * 600_000) / 12); // 2,700,000
    expect(c.get('activeStorageGB')).toBeCloseTo((600_000 * 50_000) / 1e9); // 30 GB
    expect(c.get('reminderBurstMinutes')).toBeCloseTo((600_000 * 0.5 * 4) / 500 / 60); // 40 min
  });

  it('computes the load and the peak', () => {
    expect(c.get('avgChangesPerSecond')).toBeCloseTo(6_000_000 / (250 * 8 * 3600)); // 0.833
    expect(c.get('peakFactor')).toBeCloseTo((0.3 / 4) * 50 * 2); // 7.5
    expect(c.get('peakChangesPerSecond')).toBeCloseTo(6.25);
  });

  it('computes the store: documents, bytes and writes', () => {
    expect(c.get('auditDocuments5y')).toBe(600_000 * 11 * 5);
    expect(c.get('auditDataGB5y')).toBeCloseTo((33_000_000 * 2000) / 1e9); // 66 GB
    expect(c.get('writesPerChange')).toBeCloseTo(1.1 + 1 + 2);
    // Each change also records and delivers its share of the notices: 2 notices × 5 writes ÷ 10 changes.
    expect(c.get('peakWritesPerSecond')).toBeCloseTo(6.25 * (4.1 + 1));
    // This year's activity documents + all activity indexes + all audit indexes.
    expect(c.get('workingSetGB5y')).toBeCloseTo(0.6 + 0.6 + 3.3);
  });

  it('suggests the smallest tier that passes every check', () => {
    // 1 year: 1.38 GB working set ÷ 0.8 = 1.73 GB of cache: M30's 3.5 GB. 5 years: 5.63 GB: M40's 7.5 GB.
    expect(c.suggestedTier[1]?.name).toBe('M30');
    expect(c.suggestedTier[5]?.name).toBe('M40');
    const m20 = c.tiers.find((t) => t.years === 1 && t.tier.name === 'M20')!;
    expect(m20.checks.production).toBe(false);
  });

  it('sizes the API and the workers from CPU per change of the most loaded run', () => {
    expect(c.get('apiCores')).toBeCloseTo((6.25 * 10) / 1000 / 0.5); // 0.125
    expect(c.get('workerCores')).toBeCloseTo((6.25 * 40) / 1000 / 0.5); // 0.5
  });

  it('ranks the bottlenecks: the roll-up before the audit chain', () => {
    expect(c.get('rollUpSeconds')).toBeCloseTo((6 / 200) * 600_000 / 1000); // 18 s
    expect(c.get('chainChangesPerSecond')).toBe(20); // the lower of 25 (one activity) and 20 (32 activities)
    const chain = c.bottlenecks.find((b) => b.name.includes('audit chain'))!;
    expect(chain.headroom).toBeCloseTo(20 / (6.25 * 0.02)); // 160×
    expect(c.bottlenecks[0]!.name).toContain('roll-up');
    expect(c.bottlenecks[0]!.headroom).toBeCloseTo(2 / 18);
  });

  it('writes a document that says it is generated and which run it comes from', () => {
    const md = renderCapacity(c, { file: 'bench/results/test.json', defaults: { BENCH_OPS: 512, BENCH_CALLERS: [1, 8, 32, 64] } });
    expect(md.split('\n')[0]).toMatch(/Generated by `npm run capacity`.*Do not edit it by hand/);
    expect(md).toContain('2026-12-06T06:06:42.016Z');
    expect(md).toContain('BENCH_OPS 64 (full run: 512)');
    expect(md).toContain('2 CPUs (Test CPU)');
    expect(md).toContain('| Actions per month, average | 2,700,000 actions |');
  });

  it('names a missing row', () => {
    const run = benchRun();
    run.rows = run.rows.filter((r) => r.name !== 'store bytes per audit event');
    expect(() => measuredFrom(run)).toThrow(MissingBenchFigure);
    expect(() => measuredFrom(run)).toThrow('no row "footprint / store bytes per audit event"');
  });

  it('names a missing or unreadable metric', () => {
    const run = benchRun();
    const year = run.rows.find((r) => r.name === 'one activity’s year (Temporal)')!;
    year.metrics = { ...year.metrics, historyBytes: null };
    expect(() => measuredFrom(run)).toThrow('row "footprint / one activity’s year (Temporal)" has no metric "historyBytes"');
  });
});
