import { z } from 'zod';
import { Actor, EntryTextRef, FileRef } from './activity';
import { IsoDate, Slug, Text } from './common';
import { RoleName } from './roles';

/** Every change to an activity, as a command, and the request that carries one to its workflow. */

export const Command = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('block'), reason: Text(2000) }),
  // The reason, when given, is kept as a comment: why work could go on again.
  z.object({ type: z.literal('unblock'), reason: Text(2000).optional() }),
  z.object({ type: z.literal('add-task'), title: Text(400), milestoneId: Slug.optional() }),
  z.object({ type: z.literal('complete-task'), taskId: Slug }),
  z.object({ type: z.literal('reopen-task'), taskId: Slug }),
  // A request carries the text; the workflow gets the store's textRef instead (see
  // services/activities/entry-texts.ts), or the text itself in histories recorded before.
  z
    .object({ type: z.literal('add-comment'), text: Text(4000).optional(), textRef: EntryTextRef.optional() })
    .refine((c) => (c.text === undefined) !== (c.textRef === undefined), 'a comment needs its text'),
  z
    .object({
      type: z.literal('add-evidence'),
      text: Text(4000).optional(),
      textRef: EntryTextRef.optional(),
      link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
      file: FileRef.optional(),
    })
    .refine((e) => e.link !== undefined || e.file !== undefined, 'evidence needs a link or a file')
    .refine((e) => e.text === undefined || e.textRef === undefined, 'evidence has its text or a textRef, not both'),
  z.object({ type: z.literal('submit-milestone'), milestoneId: Slug, comment: Text(2000).optional() }),
  z.object({ type: z.literal('approve-milestone'), milestoneId: Slug, comment: Text(2000).optional() }),
  z.object({ type: z.literal('reject-milestone'), milestoneId: Slug, comment: Text(2000) }),
  z.object({ type: z.literal('request-extension'), proposedDueDate: IsoDate, reason: Text(2000) }),
  z.object({
    type: z.literal('decide-extension'),
    extensionId: Slug,
    decision: z.enum(['grant', 'refuse']),
    comment: Text(2000).optional(),
  }),
  z.object({ type: z.literal('assign-owner'), userId: Text(100), name: Text(200) }),
  z.object({ type: z.literal('defer'), reason: Text(2000) }),
  z.object({ type: z.literal('cancel'), reason: Text(2000) }),
  z.object({ type: z.literal('verify'), comment: Text(2000) }),
  // The coordinator's edits of what the plan says (issue 20): only the fields given change.
  z.object({
    type: z.literal('edit-details'),
    title: Text(400).optional(),
    area: Slug.optional(),
    goal: Slug.optional(),
    expectedResult: Text(400).optional(),
    priority: z.enum(['hög', 'medel', 'låg']).optional(),
    estimatedCost: z.number().finite().min(0).max(1e12).optional(),
    startDate: IsoDate.optional(),
    dueDate: IsoDate.optional(),
  }),
  z.object({ type: z.literal('add-milestone'), title: Text(300), approverRole: RoleName.optional() }),
  z.object({ type: z.literal('rename-task'), taskId: Slug, title: Text(400) }),
  z.object({ type: z.literal('rename-milestone'), milestoneId: Slug, title: Text(300) }),
]);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];
/** The command of one type, as its decider and its handlers take it. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

export const ChangeRequest = z.object({
  /** The client's request id: a repeat returns the first result and has no second effect. */
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
  actor: Actor,
  command: Command,
  /** The version the client last saw (HTTP If-Match); a change to a newer state is refused. */
  expectedVersion: z.number().int().min(1).optional(),
});
export type ChangeRequest = z.infer<typeof ChangeRequest>;

