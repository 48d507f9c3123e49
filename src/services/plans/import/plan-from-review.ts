import type { OrganisationDoc } from '../../../store/models/organisation';
import { PlanFile } from '../../../domain/plan-file';
import type { RoleName } from '../../../domain/roles';
import { AREA_NAMES } from './plan-items';
import type { ExtractedPlan } from './review-text';

/** Activities whose area the report does not tell land here, for the coordinator to sort. */
const UNSORTED = { id: 'ovrigt', name: 'Övrigt' };

/**
 * Turns what `extractPlan` read from last year's review into a plan file for an existing
 * organisation: one activity per item, owned by the coordinator until someone is assigned, and
 * any area the organisation lacks added. Validated like every plan file.
 */
export function planFromReview(org: OrganisationDoc, extracted: ExtractedPlan): PlanFile {
  return planFromItems(
    org,
    extracted.activities.map((a) => ({ year: a.year, title: a.title, area: a.area ?? UNSORTED.id, section: a.section, owner: 'security-coordinator' as const })),
  );
}

/** An item of a plan being imported: what the review gave, as the coordinator confirmed it. */
export interface PlanItem {
  year: number;
  title: string;
  area: string;
  section?: string;
  owner: RoleName;
  /** The person of the organisation named for the role (loading the plan checks the membership). */
  ownerUserId?: string;
  startDate?: string;
  dueDate?: string;
  priority?: 'hög' | 'medel' | 'låg';
  resources?: string;
  estimatedCost?: number;
  expectedResult?: string;
}

/**
 * A plan file from confirmed items. The key comes from the title (numbered when two items of a
 * year share it), so importing the same review twice gives the same workflow ids.
 */
export function planFromItems(org: OrganisationDoc, items: PlanItem[], source?: string): PlanFile {
  const areas = [...org.areas];
  const addArea = (id: string) => {
    if (!areas.some((a) => a.id === id)) areas.push({ id, name: (AREA_NAMES as Record<string, string>)[id] ?? (id === UNSORTED.id ? UNSORTED.name : id) });
    return id;
  };
  const keys = new Set<string>();
  const activities = items.map((a) => {
    const base = keyFromTitle(a.title);
    let key = base;
    for (let n = 2; keys.has(`${a.year}:${key}`); n++) key = `${base}-${n}`;
    keys.add(`${a.year}:${key}`);
    return {
      key,
      year: a.year,
      title: a.title,
      area: addArea(a.area),
      owner: { role: a.owner, ...(a.ownerUserId ? { userId: a.ownerUserId } : {}) },
      ...(a.section ? { sourceSection: a.section.slice(0, 20) } : {}),
      ...(a.startDate ? { startDate: a.startDate } : {}),
      ...(a.dueDate ? { dueDate: a.dueDate } : {}),
      ...(a.priority ? { priority: a.priority } : {}),
      ...(a.resources ? { resources: a.resources } : {}),
      ...(a.estimatedCost !== undefined ? { estimatedCost: a.estimatedCost } : {}),
      ...(a.expectedResult ? { expectedResult: a.expectedResult } : {}),
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
      ...(source && !org.plan.source ? { source: source.slice(0, 200) } : {}),
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
