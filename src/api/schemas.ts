import { z } from 'zod';
import { ActivityState } from '../domain/activity';
import { Slug, Text, Year } from '../domain/common';
import { PlanActivity, PlanArea, PlanGoal } from '../domain/plan-file';
import './openapi/registry';

/** Request and response schemas of the HTTP API: the same objects validate and document. */

export const OrgParams = z.object({ orgId: Slug });

/** An uploaded file's name travels URL-encoded in a header, so only encodeURIComponent's output is described. */
export const FileNameHeaders = z.object({
  'x-filename': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9\-_.!~*'()%]+$/)
    .openapi({ description: 'The file name, URL-encoded (encodeURIComponent)' }),
});

export const ActivityView = ActivityState.extend({
  overdue: z.boolean(),
  deadlineAt: z.string(),
  openTaskCount: z.number().int().optional(),
  waitingFor: z.array(z.object({ milestoneId: z.string(), role: z.string(), userId: z.string().optional() })).optional(),
}).openapi('Activity');

export const ActivityPage = z
  .object({ items: z.array(ActivityView), nextCursor: z.string().nullable() })
  .openapi('ActivityPage');

export const Organisation = z
  .object({
    id: Slug,
    name: z.string(),
    board: z.string().optional(),
    plan: z.object({ startYear: z.number().int(), endYear: z.number().int(), source: z.string().optional() }),
    areas: z.array(PlanArea),
    goals: z.array(PlanGoal),
  })
  .openapi('Organisation');

export const OrganisationCreate = z
  .object({
    id: Slug,
    name: Text(200),
    board: Text(200).optional(),
    plan: z.object({ startYear: Year, endYear: Year, source: Text(200).optional() }),
    areas: z.array(PlanArea).min(1).max(50),
    goals: z.array(PlanGoal).max(50).default([]),
  })
  .strict()
  .refine((o) => o.plan.endYear >= o.plan.startYear, { path: ['plan', 'endYear'], message: 'must not be before startYear' });

export const OrganisationUpdate = z
  .object({
    name: Text(200).optional(),
    board: Text(200).optional(),
    plan: z.object({ startYear: Year, endYear: Year, source: Text(200).optional() }).optional(),
    areas: z.array(PlanArea).min(1).max(50).optional(),
    goals: z.array(PlanGoal).max(50).optional(),
  })
  .strict();

/** A new activity: a plan item, plus optional extra tasks (e.g. one per asset to classify). */
export const ActivityCreate = PlanActivity.extend({ extraTasks: z.array(Text(400)).max(200).optional() }).strict();

export const ChangeResponse = z.object({ version: z.number().int(), duplicate: z.boolean(), state: ActivityView }).openapi('ChangeResult');

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/).optional().openapi({ description: 'A repeated key returns the first response.' }),
  'if-match': z
    .string()
    .regex(/^(?:W\/)?"?\d{1,9}"?$/)
    .optional()
    .openapi({ description: 'The activity version (its ETag); a stale version gets 412.' }),
});
