import { z } from 'zod';
import { Actor, PersonRef } from './activity';
import { IsoDate, Slug, Text, Year } from './common';
import { RoleName } from './roles';
import { AREA_PARTS, FIXED_NARRATIVE_SECTIONS, MAX_CARRY_OVER_CHOICES, REVIEW_STATUSES } from './review';

/** The year's review as data: its state, the commands that change it, and their requests. */

export const ReviewStatus = z.enum(REVIEW_STATUSES);

export const SectionId = z
  .string()
  .max(120)
  .refine(
    (id) => (FIXED_NARRATIVE_SECTIONS as readonly string[]).includes(id) || new RegExp(`^omrade:[a-z0-9-]+:(${AREA_PARTS.join('|')})$`).test(id),
    'must be a narrative section of the review',
  );

export const Revision = z.object({ revision: z.number().int().min(1), sectionId: z.string(), text: z.string(), by: PersonRef, at: z.string() });
export type Revision = z.infer<typeof Revision>;

/**
 * A 9.3.3 decision as data. One that calls for work (`owner` and `due` given) becomes an activity
 * of the next year's plan when the review is adopted; `activityId` links it. Decisions adopted
 * before they were data are plain strings, and stay so in their state and snapshot.
 */
export const ReviewDecisionItem = z.object({
  text: Text(2000),
  owner: RoleName.optional(),
  due: IsoDate.optional(),
  activityId: z.string().max(200).optional(),
});
export type ReviewDecisionItem = z.infer<typeof ReviewDecisionItem>;
export const ReviewDecisionEntry = z.union([z.string(), ReviewDecisionItem]);

/** The förvaltningschef's judgement of the ISMS (9.3): suitable, adequate, effective, and why. */
export const ReviewConclusion = z.object({ suitable: z.boolean(), adequate: z.boolean(), effective: z.boolean(), comment: Text(4000) });
export type ReviewConclusion = z.infer<typeof ReviewConclusion>;

/**
 * The coordinator's choice for one unfinished activity before adoption (item 5 of issue 16):
 * carry it over under a new title and due date, close it as done in part, or drop it. Kept as a
 * list, not a map: activity ids have dots, which the store refuses in keys.
 */
export const CarryOverChoice = z.discriminatedUnion('choice', [
  z.object({ activityId: z.string().max(200), choice: z.literal('carry'), title: Text(400), due: IsoDate }).strict(),
  z.object({ activityId: z.string().max(200), choice: z.literal('done-in-part'), reason: Text(2000) }).strict(),
  z.object({ activityId: z.string().max(200), choice: z.literal('drop'), reason: Text(2000) }).strict(),
]);
export type CarryOverChoice = z.infer<typeof CarryOverChoice>;

/** The figures a review was submitted with, so the förvaltningschef sees what was handed in even as the plan moves on. */
export const SubmittedFigures = z.object({
  asOf: IsoDate,
  total: z.number().int(),
  done: z.number().int(),
  unfinished: z.number().int(),
  deferred: z.number().int(),
  cancelled: z.number().int(),
  late: z.number().int(),
  forecast: z.number().int().optional(),
});
export type SubmittedFigures = z.infer<typeof SubmittedFigures>;

export const ReviewState = z.object({
  /** `${orgId}.${year}.v${version}`: also the workflow id's tail. */
  id: z.string(),
  orgId: Slug,
  year: Year,
  /** 1 for the review; a correction of an adopted review is the next version. */
  version: z.number().int().min(1),
  /** The adopted snapshot this version corrects. */
  corrects: z.string().optional(),
  diaryNumber: Text(60).optional(),
  status: ReviewStatus,
  narrative: z.record(z.string(), z.string()),
  /** Sections the coordinator marked "inget att redovisa": printed as their judgement, not as a blank. */
  nothingToReport: z.array(z.string()).optional(),
  /** The coordinator's carry-over choice per unfinished activity; absent from versions before the choices existed. */
  carryOver: z.array(CarryOverChoice).optional(),
  /** Increases with every edit: the draft's own version, for If-Match. */
  revision: z.number().int().min(1),
  revisions: z.array(Revision),
  submissions: z.array(z.object({ by: PersonRef, at: z.string(), revision: z.number().int(), figures: SubmittedFigures.optional() })),
  changeRequests: z.array(z.object({ by: PersonRef, at: z.string(), comment: z.string(), revision: z.number().int() })),
  adoption: z
    .object({ by: PersonRef, at: z.string(), decisions: z.array(ReviewDecisionEntry), conclusion: ReviewConclusion.optional(), revision: z.number().int() })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReviewState = z.infer<typeof ReviewState>;

export const ReviewCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('edit-section'), sectionId: SectionId, text: z.string().max(20_000).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters') }),
  z.object({ type: z.literal('set-diary-number'), diaryNumber: Text(60) }),
  z.object({ type: z.literal('submit'), figures: SubmittedFigures.optional() }),
  z.object({ type: z.literal('set-carry-over'), choices: z.array(CarryOverChoice).min(1).max(MAX_CARRY_OVER_CHOICES) }),
  z.object({ type: z.literal('request-changes'), comment: Text(4000) }),
  z.object({ type: z.literal('set-nothing-to-report'), sectionId: SectionId, value: z.boolean() }),
  z.object({
    type: z.literal('adopt'),
    decisions: z.array(z.union([Text(2000), ReviewDecisionItem.omit({ activityId: true }).strict()])).min(1).max(50),
    conclusion: ReviewConclusion.optional(),
  }),
]);
export type ReviewCommand = z.infer<typeof ReviewCommand>;
export type ReviewCommandType = ReviewCommand['type'];

export const ReviewChangeRequest = z.object({
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
  actor: Actor,
  command: ReviewCommand,
  expectedRevision: z.number().int().min(1).optional(),
});
export type ReviewChangeRequest = z.infer<typeof ReviewChangeRequest>;

