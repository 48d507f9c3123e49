import type { Models } from '../../store/models';
import type { NotificationDoc } from '../../store/models/notification';
import { renderNotification } from './notification-email';
import { activityUrl, annualReportUrl } from './message-links';
import type { Principal } from '../../domain/principal';
import { Problem } from '../problem';

/**
 * The in-app notifications of one person: the same outbox documents the emails come from,
 * read by the API (/me/notifications) and by the header and page of the web UI.
 */
export interface InAppNotification {
  id: string;
  kind: Exclude<NotificationDoc['kind'], 'digest'>;
  orgId: string;
  activityId?: string;
  /** The email's subject line: the notice in one Swedish sentence. */
  title: string;
  link: string;
  createdAt: Date;
  read: boolean;
}

export interface NotificationPage {
  items: InAppNotification[];
  unread: number;
  nextCursor?: string;
}

export async function myNotifications(models: Models, p: Principal, publicUrl: string, opts: { limit: number; cursor?: string }): Promise<NotificationPage> {
  const mine = addressedTo(p);
  const page: object[] = [mine];
  if (opts.cursor) {
    const [at, id] = decodeCursor(opts.cursor);
    page.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: id } }] });
  }
  const docs = await models.notifications
    .find({ $and: page })
    .sort({ createdAt: -1, _id: -1 })
    .limit(opts.limit + 1)
    .lean<NotificationDoc[]>();
  const unread = await unreadNotifications(models, p);
  const shown = docs.slice(0, opts.limit);
  const secret = new Set(
    (await models.activities.find({ _id: { $in: shown.flatMap((d) => (d.activityId ? [d.activityId] : [])) }, secrecy: 'osl-18-8' }, { _id: 1 }).lean()).map((a) => a._id),
  );
  const items = shown.map((d) => ({
    id: d._id,
    kind: d.kind as InAppNotification['kind'],
    orgId: d.orgId,
    ...(d.activityId ? { activityId: d.activityId } : {}),
    title: renderNotification(d, { publicUrl, confidential: d.activityId ? secret.has(d.activityId) : false }).subject,
    link: d.activityId ? activityUrl(publicUrl, d.activityId) : annualReportUrl(publicUrl, d.orgId, d.details?.year ?? 0),
    createdAt: d.createdAt,
    read: (d.readBy ?? []).includes(p.userId),
  }));
  const last = shown[shown.length - 1];
  return { items, unread, ...(docs.length > opts.limit && last ? { nextCursor: encodeCursor(last.createdAt, last._id) } : {}) };
}

export function unreadNotifications(models: Models, p: Principal): Promise<number> {
  return models.notifications.countDocuments({ $and: [addressedTo(p), { readBy: { $nin: [p.userId] } }] });
}

/** False when the person has no such notification. */
export async function markNotificationRead(models: Models, p: Principal, notificationId: string): Promise<boolean> {
  const res = await models.notifications.updateOne({ $and: [addressedTo(p), { _id: notificationId }] }, { $addToSet: { readBy: p.userId } });
  return res.matchedCount > 0;
}

/** How many were unread and are read now. */
export async function markAllNotificationsRead(models: Models, p: Principal): Promise<number> {
  const res = await models.notifications.updateMany({ $and: [addressedTo(p), { readBy: { $nin: [p.userId] } }] }, { $addToSet: { readBy: p.userId } });
  return res.modifiedCount;
}

/** Notices to this person by name, or to a role they hold in the organisation when nobody is named. */
function addressedTo(p: Principal): object {
  const orgs = p.memberships.filter((m) => !p.tokenOrgId || m.orgId === p.tokenOrgId);
  return {
    kind: { $ne: 'digest' },
    $or: [
      { recipientUserId: p.userId, orgId: { $in: orgs.map((m) => m.orgId) } },
      ...orgs.map((m) => ({ orgId: m.orgId, recipientUserId: { $exists: false }, recipientRole: { $in: m.roles } })),
    ],
  };
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(at));
    if (typeof id === 'string' && !Number.isNaN(date.getTime())) return [date, id];
  } catch {
    // fall through to the 400
  }
  throw new Problem(400, 'invalid-cursor', 'Ogiltig markör', 'The cursor is not one this API gave out.');
}
