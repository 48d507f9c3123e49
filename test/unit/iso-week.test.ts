import { isoWeek } from '../../src/domain/iso-week';

describe('isoWeek', () => {
  it.each([
    ['2026-11-23', '2026-W48'], // a Monday
    ['2026-11-29', '2026-W48'], // its Sunday
    ['2026-01-01', '2026-W01'], // a Thursday: week 1
    ['2027-01-01', '2026-W53'], // a Friday: still the last week of 2026
    ['2024-12-30', '2025-W01'], // a Monday in the first week of 2025
  ])('%s is in %s', (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => isoWeek('23/11/2026')).toThrow('not a calendar date');
  });
});
