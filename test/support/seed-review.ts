import path from 'node:path';
import type { Actor, ActivityStatus } from '../../src/domain/activity';
import { dateInZone } from '../../src/domain/deadlines';
import { newActivityState } from '../../src/domain/new-activity';
import { readPlanFile } from '../../src/services/plans/read-plan-file';
import type { ReviewActivity, ReviewInputs } from '../../src/services/reviews/document';

/**
 * A seed organisation's review facts from its plan file, with a year run through it: the plan
 * moved to this year, the year's activities left in turn in every status, every third open one
 * due in the spring, and incidents in the register. For tests that compile or render a review
 * without the servers.
 */

const YEAR = Number(dateInZone(Date.now(), 'Europe/Stockholm').slice(0, 4));
const NOVEMBER = `${YEAR}-11-15T09:00:00.000Z`;
const coordinator: Actor = { userId: 'c', name: 'Cecilia Samordnare', roles: ['security-coordinator'], delegations: [] };

/** The statuses a year leaves behind, in turn, so that every count is non-trivial. */
const STATUS_CYCLE: ActivityStatus[] = ['done', 'in-progress', 'verified', 'blocked', 'planned', 'deferred', 'cancelled', 'in-progress'];

export function seedInputs(file: string): ReviewInputs {
  const plan = readPlanFile(path.join(__dirname, '../../plans', file));
  const shift = YEAR - plan.plan.startYear;
  const activities = plan.activities.map((item, i): ReviewActivity => {
    const year = item.year + shift;
    const state = newActivityState({ ...item, year, orgId: plan.organisation.id }, `${YEAR}-01-01T08:00:00Z`);
    const status = year === YEAR ? STATUS_CYCLE[i % STATUS_CYCLE.length]! : 'planned';
    // Every third open one of the year was due in the spring: late by November.
    const dueDate = year === YEAR && i % 3 === 1 ? `${YEAR}-05-31` : state.dueDate;
    const tasks = state.tasks.map((t, n) => ({ ...t, done: status === 'in-progress' && n === 0 }));
    return {
      ...state,
      status,
      dueDate,
      tasks,
      late: false,
      ...(status === 'cancelled' ? { cancellation: { by: coordinator, at: NOVEMBER, comment: 'Ersatt av stadens gemensamma arbete' } } : {}),
      ...(status === 'deferred' ? { deferral: { by: coordinator, at: NOVEMBER, comment: 'Väntar på upphandling' } } : {}),
    };
  });
  return {
    organisation: { id: plan.organisation.id, name: plan.organisation.name, areas: plan.areas.map((a) => ({ id: a.id, name: a.name })) },
    year: YEAR,
    activities,
    // The seed KPIs moved to this plan year; the incident register has fewer by category than the KPI's total.
    kpis: plan.kpis.map((k) => ({ id: k.id, name: k.name, ...(k.unit ? { unit: k.unit } : {}), values: k.values.map((v) => ({ year: v.year + shift, value: v.value, ...(v.partial ? { partial: true } : {}) })) })),
    incidents: [
      { year: YEAR, category: 'skadlig-kod', count: 1 },
      { year: YEAR - 1, category: 'forlorad-utrustning', count: 1 },
    ],
    goals: plan.goals.map((g) => ({ id: g.id, kind: g.kind, title: g.title, expectedResults: g.expectedResults })),
    registers: Object.fromEntries(Object.entries(plan.registers ?? {}).map(([kind, rows]) => [kind, rows.map(({ id, ...data }) => ({ id, kind, data }))])),
  };
}
