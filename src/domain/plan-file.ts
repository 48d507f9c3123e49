import { z } from 'zod';
import { IsoDate, Slug, Text, Year } from './common';
import { KpiKind } from './kpi';
import { NIS2_TAG } from './nis2';
import { PlanRegisters } from './registers';
import { RoleName } from './roles';
import { TemplateId } from './template-ids';

/**
 * The shape of a plan file under plans/: one organisation's three-year plan as data.
 * `lisplan plan load` validates a file with this schema before it starts anything.
 */

export const PlanArea = z.object({
  id: Slug,
  /** Swedish name as the report writes it, e.g. "Informationsklassning". */
  name: Text(120),
  /**
   * Why a declared area has no activity in the plan, e.g. the report names the topic but plans
   * nothing for it. Only for an area without activities (a plan file with both is refused).
   */
  emptyReason: Text(400).optional(),
});

export const PlanGoal = z.object({
  id: Slug,
  /** e.g. "KF-mål 3.5" or "Nämndmål". */
  kind: z.enum(['kf-mål', 'nämndmål']),
  title: Text(300),
  /** Förväntade resultat: what counts as done. */
  expectedResults: z.array(Text(300)).default([]),
});

export const KpiSeries = z.object({
  id: Slug,
  /** Swedish name, e.g. "Antal informationsklassningar". */
  name: Text(160),
  unit: Text(40).optional(),
  /** count, percent or amount; without it, inferred from the name and unit. */
  kind: KpiKind.optional(),
  values: z
    .array(
      z.object({
        year: Year,
        value: z.number().finite(),
        /** Where the figure comes from: report and section, never the report's prose. */
        source: Text(200).optional(),
        /** The figure covers part of the year only (e.g. "hittills under året"): no trend is drawn from it. */
        partial: z.boolean().optional(),
      }),
    )
    .min(1),
});

export const PlanActivity = z.object({
  /**
   * With the organisation and year it forms the activity id (the workflow id). Unique per
   * year; a recurring series keeps its key from year to year.
   */
  key: Slug,
  title: Text(400),
  description: Text(4000).optional(),
  area: Slug,
  year: Year,
  /** The section of the source report that the item comes from, e.g. "3.1" or "2.4.4". */
  sourceSection: Text(20).optional(),
  goal: Slug.optional(),
  expectedResult: Text(400).optional(),
  priority: z.enum(['hög', 'medel', 'låg']).default('medel'),
  /** Who and what the work needs, e.g. "Konsultstöd 200 timmar". */
  resources: Text(400).optional(),
  /** Estimated cost in SEK. */
  estimatedCost: z.number().finite().min(0).optional(),
  /** A role, and the person of the organisation who holds it for this activity, when one is named. */
  owner: z.object({ role: RoleName, userId: Text(100).optional(), name: Text(200).optional() }),
  startDate: IsoDate.optional(),
  /** Defaults to 31 December of `year`. */
  dueDate: IsoDate.optional(),
  dependsOn: z.array(Slug).max(50).default([]),
  template: TemplateId.optional(),
  recurrence: z.enum(['none', 'yearly']).default('none'),
  annexAControls: z.array(z.string().regex(/^[5-8]\.\d{1,2}$/, 'an Annex A control such as 5.12')).default([]),
  /** NIS2 tags: an Article 21(2) measure (21.2.a–j) or 20.2, the management body's training. */
  nis2Measures: z.array(z.string().regex(NIS2_TAG, 'an Article 21(2) measure such as 21.2.b, or 20.2 (management training)')).default([]),
  secrecy: z.enum(['none', 'osl-18-8']).default('none'),
});

export const PlanFile = z.object({
  organisation: z.object({
    id: Slug,
    name: Text(200),
    /** e.g. "Fastighetsnämnden", "Södermalms stadsdelsnämnd". */
    board: Text(200).optional(),
  }),
  plan: z.object({
    startYear: Year,
    endYear: Year,
    /** The review this plan comes from, e.g. "Ledningens genomgång 2025". */
    source: Text(200).optional(),
  }),
  areas: z.array(PlanArea).min(1),
  goals: z.array(PlanGoal).default([]),
  kpis: z.array(KpiSeries).default([]),
  /** Seed rows of the review registers (src/domain/registers.ts): facts the source report states. */
  registers: PlanRegisters.optional(),
  activities: z.array(PlanActivity),
}).superRefine((file, ctx) => {
  const areas = new Set(file.areas.map((a) => a.id));
  const goals = new Set(file.goals.map((g) => g.id));
  const keys = new Set<string>();
  if (file.plan.endYear < file.plan.startYear) {
    ctx.addIssue({ code: 'custom', path: ['plan', 'endYear'], message: 'must not be before startYear' });
  }
  file.activities.forEach((a, i) => {
    const at = (field: string) => ['activities', i, field];
    const yearKey = `${a.year}/${a.key}`;
    if (keys.has(yearKey)) ctx.addIssue({ code: 'custom', path: at('key'), message: `duplicate key ${a.key} in ${a.year}` });
    keys.add(yearKey);
    if (!areas.has(a.area)) ctx.addIssue({ code: 'custom', path: at('area'), message: `unknown area ${a.area}` });
    if (a.goal && !goals.has(a.goal)) ctx.addIssue({ code: 'custom', path: at('goal'), message: `unknown goal ${a.goal}` });
    if (a.year < file.plan.startYear || a.year > file.plan.endYear) {
      ctx.addIssue({ code: 'custom', path: at('year'), message: `outside the plan ${file.plan.startYear}–${file.plan.endYear}` });
    }
    if (a.startDate && a.dueDate && a.startDate > a.dueDate) {
      ctx.addIssue({ code: 'custom', path: at('dueDate'), message: 'must not be before startDate' });
    }
  });
  const used = new Set(file.activities.map((a) => a.area));
  file.areas.forEach((area, i) => {
    if (area.emptyReason !== undefined && used.has(area.id)) {
      ctx.addIssue({ code: 'custom', path: ['areas', i, 'emptyReason'], message: `area ${area.id} has activities; a reason for having none does not apply` });
    }
  });
  file.activities.forEach((a, i) => {
    // A dependency names an activity of the same year by its key.
    for (const dep of a.dependsOn) {
      if (!keys.has(`${a.year}/${dep}`) || dep === a.key) {
        ctx.addIssue({ code: 'custom', path: ['activities', i, 'dependsOn'], message: `unknown activity ${dep}` });
      }
    }
  });
});

export type PlanFile = z.infer<typeof PlanFile>;
export type PlanActivity = z.infer<typeof PlanActivity>;
