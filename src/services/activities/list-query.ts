import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { IsoDate, Slug, Year } from '../../domain/common';
import { ACTIVITY_STATUSES, OPEN_STATUSES } from '../../domain/activity';
import type { ActivityDoc } from '../../store/models/activity';
import { isRoleName, type RoleName } from '../../domain/roles';
import { Problem } from '../problem';

/** An activity list's query string: the API's and the plan page's filters, sort and page. */
const statusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ACTIVITY_STATUSES)).min(1));

export const ActivityListQuery = z
  .object({
    year: z.coerce.number().pipe(Year).optional(),
    area: Slug.optional(),
    status: statusList.optional().describe('comma-separated statuses'),
    owner: z
      .string()
      .regex(/^(me|role:[a-z-]+|[A-Za-z0-9._-]{1,100})$/)
      .optional()
      .describe('`me`, a user id, or `role:<role>`'),
    overdue: z.enum(['true', 'false']).optional(),
    dueBefore: IsoDate.optional(),
    dueAfter: IsoDate.optional(),
    /** Words in the title or the owner's name, as typed (no pattern syntax). */
    q: z.string().trim().min(1).max(100).optional().describe('search in the title and the owner\'s name'),
    sort: z.enum(['dueDate', '-dueDate', 'title', '-title', 'status', '-status', 'area', '-area', 'updatedAt', '-updatedAt']).default('dueDate'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

type ListQuery = z.infer<typeof ActivityListQuery>;
type Filter = QueryFilter<ActivityDoc>;

const SORTS = {
  dueDate: ['dueDate', 1],
  '-dueDate': ['dueDate', -1],
  title: ['title', 1],
  '-title': ['title', -1],
  status: ['status', 1],
  '-status': ['status', -1],
  area: ['area', 1],
  '-area': ['area', -1],
  updatedAt: ['updatedAt', 1],
  '-updatedAt': ['updatedAt', -1],
} as const satisfies Record<ListQuery['sort'], readonly [string, 1 | -1]>;

/**
 * The read-model filter, sort and keyset cursor for an activity list. Every value comes from
 * a zod-parsed query, so no operator from the client ever reaches the store.
 */
export function activityListQuery(
  orgId: string,
  q: ListQuery,
  me: { userId: string; roles: RoleName[] },
  now: Date,
): { filter: Filter; sort: Record<string, 1 | -1>; limit: number } {
  const and: Filter[] = [{ orgId }];
  if (q.year !== undefined) and.push({ planYear: q.year });
  if (q.area) and.push({ area: q.area });
  if (q.status) and.push({ status: { $in: q.status } });
  if (q.owner === 'me') {
    and.push({ $or: [{ 'owner.userId': me.userId }, { 'owner.userId': { $exists: false }, 'owner.role': { $in: me.roles } }] });
  } else if (q.owner?.startsWith('role:')) {
    const role = q.owner.slice(5);
    if (!isRoleName(role)) throw Problem.badRequest([{ field: 'query.owner', message: `names no role: ${role}` }]);
    and.push({ 'owner.role': role });
  } else if (q.owner) {
    and.push({ 'owner.userId': q.owner });
  }
  if (q.overdue === 'true') and.push({ status: { $in: [...OPEN_STATUSES] }, deadlineAt: { $lt: now } });
  if (q.overdue === 'false') and.push({ $or: [{ status: { $nin: [...OPEN_STATUSES] } }, { deadlineAt: { $gte: now } }] });
  if (q.dueBefore) and.push({ dueDate: { $lt: q.dueBefore } });
  if (q.dueAfter) and.push({ dueDate: { $gt: q.dueAfter } });
  if (q.q) {
    // Escaped: what people type is text, never a pattern the store would run.
    const words = new RegExp(q.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    and.push({ $or: [{ title: words }, { 'owner.name': words }] });
  }

  const [field, dir] = SORTS[q.sort];
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    const cmp = dir === 1 ? '$gt' : '$lt';
    and.push({ $or: [{ [field]: { [cmp]: value } }, { [field]: value, _id: { [cmp]: id } }] });
  }
  return { filter: { $and: and }, sort: { [field]: dir, _id: dir }, limit: q.limit };
}

export function nextCursor(items: ActivityDoc[], sort: ListQuery['sort'], limit: number): string | null {
  if (items.length < limit) return null;
  const last = items[items.length - 1]!;
  const value = last[SORTS[sort][0]];
  return Buffer.from(JSON.stringify([value, last._id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw Problem.badRequest([{ field: 'query.cursor', message: 'is not a cursor from this API' }]);
}
