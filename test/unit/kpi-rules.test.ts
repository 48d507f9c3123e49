import { inferKpiKind, kpiOutlier, kpiValueIssue } from '../../src/domain/kpi';
import { pageBarChart } from '../../src/services/reviews/chart-specs';

describe('a key figure’s kind', () => {
  it.each([
    ['Antal incidenter', undefined, 'count'],
    ['Rapporterade incidenter', 'st', 'count'],
    ['Andel medarbetare som genomfört utbildningen', undefined, 'percent'],
    ['Utbildade chefer', '%', 'percent'],
    ['Kostnad för utbildning', 'tkr', 'amount'],
  ] as const)('%s (%s) is a %s', (name, unit, kind) => {
    expect(inferKpiKind(name, unit)).toBe(kind);
  });

  it('a count takes whole numbers only, a percentage at most 100, nothing is negative', () => {
    expect(kpiValueIssue('count', 812.5)).toEqual({ rule: 'whole-number' });
    expect(kpiValueIssue('count', 812)).toBeUndefined();
    expect(kpiValueIssue('percent', 100.5)).toEqual({ rule: 'percent-range' });
    expect(kpiValueIssue('percent', 87.5)).toBeUndefined();
    expect(kpiValueIssue('amount', 1250.75)).toBeUndefined();
    expect(kpiValueIssue('amount', -1)).toEqual({ rule: 'not-negative' });
  });
});

describe('a value far from the year before', () => {
  const history = [
    { year: 2024, value: 10 },
    { year: 2025, value: 13 },
  ];

  it('warns beyond ±50 % of the latest earlier year, naming it', () => {
    expect(kpiOutlier(history, 2026, 812)).toEqual({ rule: 'outlier', previousYear: 2025, previous: 13, change: (812 - 13) / 13 });
    expect(kpiOutlier(history, 2026, 6)).toMatchObject({ rule: 'outlier', change: (6 - 13) / 13 });
  });

  it('lets ±50 % pass, and has nothing to compare with before the first year or after a zero', () => {
    expect(kpiOutlier(history, 2026, 19.5)).toBeUndefined();
    expect(kpiOutlier(history, 2026, 6.5)).toBeUndefined();
    expect(kpiOutlier(history, 2023, 500)).toBeUndefined();
    expect(kpiOutlier([{ year: 2025, value: 0 }], 2026, 16)).toBeUndefined();
  });

  it('compares with a whole year, not a figure for part of one', () => {
    expect(kpiOutlier([...history, { year: 2026, value: 2, partial: true }], 2027, 14)).toBeUndefined();
  });
});

describe('the chart on the Nyckeltal page', () => {
  it('has no title of its own and labels of at least 12 px', () => {
    const spec = pageBarChart([{ label: '2025', value: 13 }], 'st') as { title?: unknown; config: { axis: { labelFontSize: number; titleFontSize: number } } };
    expect(spec.title).toBeUndefined();
    expect(spec.config.axis.labelFontSize).toBeGreaterThanOrEqual(12);
    expect(spec.config.axis.titleFontSize).toBeGreaterThanOrEqual(12);
  });
});
