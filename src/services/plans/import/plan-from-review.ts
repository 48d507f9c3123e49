import type { OrganisationDoc } from '../../../store/models/organisation';
import { PlanFile } from '../../../domain/plan-file';
import { AREA_NAMES, type ExtractedPlan } from './review-text';

/** Activities whose area the report does not tell land here, for the coordinator to sort. */
const UNSORTED = { id: 'ovrigt', name: 'Övrigt' };

/**
 * Turns what `extractPlan` read from last year's review into a plan file for an existing
 * organisation: one activity per item, owned by the coordinator until someone is assigned, and
 * any area the organisation lacks added. Validated like every plan file.
 */
export function planFromReview(org: OrganisationDoc, extracted: ExtractedPlan): PlanFile {
  const areas = [...org.areas];
  const addArea = (area: { id: string; name: string }) => {
    if (!areas.some((a) => a.id === area.id)) areas.push(area);
    return area.id;
  };
  const keys = new Set<string>();
  const activities = extracted.activities.map((a) => {
    const base = keyFromTitle(a.title);
    let key = base;
    for (let n = 2; keys.has(`${a.year}:${key}`); n++) key = `${base}-${n}`;
    keys.add(`${a.year}:${key}`);
    return {
      key,
      year: a.year,
      title: a.title,
      area: a.area ? addArea({ id: a.area, name: AREA_NAMES[a.area] }) : addArea(UNSORTED),
      owner: { role: 'security-coordinator' as const },
      sourceSection: a.section.slice(0, 20),
    };
  });
  const years = activities.map((a) => a.year);
  // An area that now gets activities no longer has a reason for having none.
  const used = new Set(activities.map((a) => a.area));
  const withoutStaleReasons = areas.map(({ emptyReason, ...area }) => (emptyReason === undefined || used.has(area.id) ? area : { ...area, emptyReason }));
  return PlanFile.parse({
    organisation: { id: org._id, name: org.name, ...(org.board ? { board: org.board } : {}) },
    plan: {
      ...org.plan,
      startYear: Math.min(org.plan.startYear, ...years),
      endYear: Math.max(org.plan.endYear, ...years),
    },
    areas: withoutStaleReasons,
    goals: org.goals,
    kpis: [],
    activities,
  });
}

/** A readable key from a title: "Genomföra en riskanalys" → "genomfora-en-riskanalys". */
export function keyFromTitle(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > 60 ? slug.slice(0, 60).replace(/-[^-]*$/, '') : slug;
  return cut || 'aktivitet';
}
