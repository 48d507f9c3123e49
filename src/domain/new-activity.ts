import type { z } from 'zod';
import type { ActivityState } from './activity';
import { activityId } from './activity-status';
import { addYears, yearEnd } from './deadlines';
import type { PlanActivity } from './plan-file';
import { instantiateTemplate, type TemplateOptions } from './templates';
import { withoutUndefined } from './defined';

/** What it takes to start an activity's workflow: a plan item, an organisation, a year. */
export type NewActivity = Omit<z.input<typeof PlanActivity>, 'dueDate'> & {
  orgId: string;
  dueDate?: string;
  /** Extra tasks, e.g. one per information asset for a classification. */
  extraTasks?: string[];
  /** The activity of an earlier year that this one continues. */
  continues?: string;
};

export function newActivityState(input: NewActivity, createdAt: string, options: TemplateOptions = {}): ActivityState {
  const { tasks, milestones } = instantiateTemplate(input.template, input.extraTasks, options);
  const state: ActivityState = {
    id: activityId(input.orgId, input.year, input.key),
    orgId: input.orgId,
    planYear: input.year,
    key: input.key,
    title: input.title,
    description: input.description,
    area: input.area,
    goal: input.goal,
    expectedResult: input.expectedResult,
    priority: input.priority ?? 'medel',
    resources: input.resources,
    estimatedCost: input.estimatedCost,
    // A person only where the plan names one (checked as a member when the plan was loaded).
    owner: withoutUndefined({ role: input.owner.role, userId: input.owner.userId, name: input.owner.name }),
    startDate: input.startDate,
    dueDate: input.dueDate ?? yearEnd(input.year),
    dependsOn: (input.dependsOn ?? []).map((key) => activityId(input.orgId, input.year, key)),
    template: input.template,
    recurrence: input.recurrence ?? 'none',
    annexAControls: input.annexAControls ?? [],
    nis2Measures: input.nis2Measures ?? [],
    secrecy: input.secrecy ?? 'none',
    sourceSection: input.sourceSection,
    continues: input.continues,
    status: 'planned',
    tasks,
    milestones,
    entries: [],
    extensions: [],
    deadlineHistory: [],
    version: 1,
    createdAt,
    updatedAt: createdAt,
  };
  return withoutUndefined(state);
}

/** The next year's instance of a yearly recurring activity: same work, fresh tasks. */
export function nextYearInstance(state: ActivityState): NewActivity {
  return {
    orgId: state.orgId,
    key: state.key,
    year: state.planYear + 1,
    title: state.title,
    description: state.description,
    area: state.area,
    goal: undefined,
    expectedResult: state.expectedResult,
    priority: state.priority,
    resources: state.resources,
    owner: { role: state.owner.role },
    dueDate: addYears(state.dueDate, 1),
    template: state.template,
    recurrence: 'yearly',
    annexAControls: state.annexAControls,
    nis2Measures: state.nis2Measures,
    secrecy: state.secrecy,
    sourceSection: state.sourceSection,
    extraTasks: state.tasks.filter((t) => t.id.startsWith('uppgift-')).map((t) => t.title),
    continues: state.id,
  };
}

/**
 * An unfinished activity carried over to the next year when the review is adopted: the same
 * work with its open tasks, due at the end of the new year, linked to its origin.
 */
export function carriedOverInstance(state: ActivityState, key = state.key): NewActivity {
  return {
    ...nextYearInstance(state),
    key,
    recurrence: state.recurrence,
    goal: state.goal,
    dueDate: yearEnd(state.planYear + 1),
    extraTasks: state.tasks.filter((t) => t.id.startsWith('uppgift-') && !t.done).map((t) => t.title),
  };
}
