import type { ReviewActivity } from '../../src/services/reviews/document';

/**
 * A plan item as the review reads it, for the document builders' unit tests: planned for 2026,
 * due at its end, with nothing recorded yet; `over` says what a test is about.
 */
export function reviewActivity(key: string, over: Partial<ReviewActivity> = {}): ReviewActivity {
  return {
    id: `org.2026.${key}`,
    key,
    planYear: 2026,
    title: key,
    area: 'styrning',
    status: 'planned',
    owner: { role: 'security-coordinator' },
    dueDate: '2026-12-31',
    tasks: [],
    milestones: [],
    extensions: [],
    entries: [],
    nis2Measures: [],
    late: false,
    ...over,
  };
}
