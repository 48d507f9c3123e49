import { randomUUID } from 'node:crypto';
import { MAX_REGISTER_ROWS, REGISTER_ROW_SCHEMAS, type PlanRegisters, type RegisterKind, type RegisterRow } from '../../domain/registers';
import type { Principal } from '../../domain/principal';
import type { Models } from '../../store/models';
import { COORDINATOR, requireRead, requireRole } from '../people/access';
import { Problem } from '../problem';
import { requireOrganisation } from '../organisations/directory';

/**
 * The review registers of an organisation (interested parties, nonconformities, audits, residual
 * risks): members read them, the coordinator keeps them. The API and the web UI both call these,
 * so the rights and the limit are checked here once.
 */

const docId = (orgId: string, kind: RegisterKind, rowId: string) => `${orgId}:${kind}:${rowId}`;

export async function listRegister(models: Models, principal: Principal, orgId: string, kind: RegisterKind): Promise<RegisterRow[]> {
  requireRead(principal, orgId);
  return registerRows(models, orgId, kind);
}

/** Every row of one register, oldest first: the order the review prints them in. */
export async function registerRows(models: Models, orgId: string, kind: RegisterKind): Promise<RegisterRow[]> {
  const docs = await models.registerRows.find({ orgId, kind }).sort({ createdAt: 1, _id: 1 }).lean();
  return docs.map((d) => ({ id: d.rowId, kind, data: d.data as RegisterRow['data'] }));
}

export async function addRegisterRow(models: Models, principal: Principal, orgId: string, kind: RegisterKind, input: unknown): Promise<RegisterRow> {
  requireRole(principal, orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
  const data = parseRow(kind, input);
  await requireOrganisation(models, orgId);
  // Counted before the write: two requests at the limit may both pass and leave one row over,
  // which bounds the register all the same (by the number of concurrent writers).
  if ((await models.registerRows.countDocuments({ orgId, kind })) >= MAX_REGISTER_ROWS) {
    throw Problem.conflict(`Registret har redan ${MAX_REGISTER_ROWS} rader, det högsta antalet. Ta bort rader som inte längre gäller.`);
  }
  const rowId = `rad-${randomUUID().slice(0, 8)}`;
  const now = new Date();
  await models.registerRows.create({ _id: docId(orgId, kind, rowId), orgId, kind, rowId, data, createdAt: now, updatedAt: now });
  return { id: rowId, kind, data };
}

export async function replaceRegisterRow(models: Models, principal: Principal, orgId: string, kind: RegisterKind, rowId: string, input: unknown): Promise<RegisterRow> {
  requireRole(principal, orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
  const data = parseRow(kind, input);
  const res = await models.registerRows.updateOne({ _id: docId(orgId, kind, rowId) }, { $set: { data, updatedAt: new Date() } });
  if (res.matchedCount === 0) throw Problem.notFound(`Raden ${rowId} finns inte i registret.`);
  return { id: rowId, kind, data };
}

export async function removeRegisterRow(models: Models, principal: Principal, orgId: string, kind: RegisterKind, rowId: string): Promise<void> {
  requireRole(principal, orgId, [COORDINATOR], 'informationssäkerhetssamordnaren');
  const res = await models.registerRows.deleteOne({ _id: docId(orgId, kind, rowId) });
  if (res.deletedCount === 0) throw Problem.notFound(`Raden ${rowId} finns inte i registret.`);
}

/** A plan file's seed rows, written under their own ids: loading the file again writes nothing. */
export async function seedRegisters(models: Models, orgId: string, registers: PlanRegisters | undefined): Promise<number> {
  let written = 0;
  for (const [kind, rows] of Object.entries(registers ?? {}) as [RegisterKind, { id: string }[]][]) {
    for (const [i, { id, ...data }] of rows.entries()) {
      // Seed rows keep the file's order: their creation time is the file position.
      const createdAt = new Date(Date.UTC(2000, 0, 1, 0, 0, i));
      // A seed fills an empty row once; what the coordinator changed since is theirs and stays.
      const res = await models.registerRows.updateOne(
        { _id: docId(orgId, kind, id) },
        { $setOnInsert: { orgId, kind, rowId: id, data, createdAt, updatedAt: createdAt } },
        { upsert: true },
      );
      written += res.upsertedCount;
    }
  }
  return written;
}

function parseRow(kind: RegisterKind, input: unknown): RegisterRow['data'] {
  const parsed = REGISTER_ROW_SCHEMAS[kind].safeParse(input);
  if (!parsed.success) throw Problem.badRequest(parsed.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), message: i.message })));
  return parsed.data;
}
