import { z } from 'zod';
import { IsoDate, Slug, Text } from './common';

/**
 * The registers a management review reads besides the plan (ISO/IEC 27001:2022 9.3.2): the
 * interested parties with their needs and feedback (c, e), nonconformities with their corrective
 * actions and the results of audits and internal control (d), and the residual risks left after
 * treatment (f). Each row is the coordinator's; members read them. One table of kinds, so that a
 * register is a schema and a heading, not another copy of the same routes and store code.
 */

export const REGISTER_KINDS = ['intressenter', 'avvikelser', 'revisioner', 'restrisker'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

/** A register is bounded: a review prints every row, and a year has nowhere near this many. */
export const MAX_REGISTER_ROWS = 200;

const Status = z.enum(['öppen', 'pågår', 'åtgärdad']);

export const REGISTER_ROW_SCHEMAS = {
  intressenter: z
    .object({
      name: Text(200),
      needs: Text(2000),
      /** What the party said about information security this year (9.3.2 e). */
      feedback: Text(2000).optional(),
      year: z.number().int().min(2000).max(2100).optional(),
    })
    .strict(),
  avvikelser: z
    .object({
      foundOn: IsoDate,
      where: Text(300),
      description: Text(2000),
      cause: Text(2000).optional(),
      correctiveAction: Text(2000),
      owner: Text(200),
      due: IsoDate.optional(),
      status: Status,
      /** The activity that carries the corrective action, when one does. */
      activityId: z.string().regex(/^[a-z0-9-]+\.\d{4}\.[a-z0-9-]+$/).optional(),
    })
    .strict(),
  revisioner: z
    .object({
      date: IsoDate,
      kind: z.enum(['intern', 'extern', 'internkontroll']),
      scope: Text(500),
      findings: Text(2000),
    })
    .strict(),
  restrisker: z
    .object({
      risk: Text(500),
      treatment: Text(1000),
      level: z.enum(['låg', 'medel', 'hög']),
      owner: Text(200),
      accepted: z.boolean(),
      source: Text(200).optional(),
    })
    .strict(),
} as const;

export type RegisterRowData<K extends RegisterKind = RegisterKind> = z.infer<(typeof REGISTER_ROW_SCHEMAS)[K]>;

export interface RegisterRow<K extends RegisterKind = RegisterKind> {
  id: string;
  kind: K;
  data: RegisterRowData<K>;
}

const seedRows = <S extends z.ZodObject>(schema: S) => z.array(schema.extend({ id: Slug })).max(MAX_REGISTER_ROWS).default([]);

/** Seed rows in a plan file: each with its own id, so that loading the file twice writes it once. */
export const PlanRegisters = z
  .object({
    intressenter: seedRows(REGISTER_ROW_SCHEMAS.intressenter),
    avvikelser: seedRows(REGISTER_ROW_SCHEMAS.avvikelser),
    revisioner: seedRows(REGISTER_ROW_SCHEMAS.revisioner),
    restrisker: seedRows(REGISTER_ROW_SCHEMAS.restrisker),
  })
  .strict();
export type PlanRegisters = z.infer<typeof PlanRegisters>;
