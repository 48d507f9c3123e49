import { randomBytes } from 'node:crypto';
import { STATUS_LABELS, type ActivityStatus } from '../domain/activity';
import type { Models } from '../db/models';
import type { ActivityDoc } from '../db/models/activity';
import { hashToken } from '../api/auth/api-tokens';
import { calendarFeed, deadlineUid, type CalendarEvent } from './ical';
import { activityUrl } from './templates';

/**
 * Calendar feeds behind secret URLs: one of a person's own deadlines, one per organisation.
 * The URL is the credential (calendar clients send no bearer token), so it is long and random,
 * only its hash is kept, and each fetch checks that its holder may still read what it shows.
 */

export type FeedName = 'me' | `org:${string}`;

/** Activities no longer planned leave the feed, so the calendars drop their events. */
const GONE: ActivityStatus[] = ['cancelled', 'deferred'];

/** Makes a new secret for the feed, revoking the one before. Returns the secret, shown once. */
export async function rotateFeedToken(models: Models, userId: string, feed: FeedName): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await models.calendarTokens.deleteMany({ userId, feed });
  await models.calendarTokens.create({ _id: hashToken(token), userId, feed, createdAt: new Date() });
  return token;
}

/** True when there was a feed to revoke. */
export async function revokeFeedToken(models: Models, userId: string, feed: FeedName): Promise<boolean> {
  return (await models.calendarTokens.deleteMany({ userId, feed })).deletedCount > 0;
}

export function feedUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/calendar/${token}.ics`;
}

/** The feed's iCalendar text, or undefined when the token is unknown or its holder lost access. */
export async function feedForToken(models: Models, token: string, publicUrl: string): Promise<string | undefined> {
  const stored = await models.calendarTokens.findById(hashToken(token)).lean();
  if (!stored) return undefined;
  const user = await models.users.findById(stored.userId).lean();
  if (!user) return undefined;

  if (stored.feed === 'me') {
    const owned = user.memberships.flatMap((m) => [
      { orgId: m.orgId, 'owner.userId': user._id },
      { orgId: m.orgId, 'owner.userId': { $exists: false }, 'owner.role': { $in: m.roles } },
    ]);
    const docs = owned.length ? await models.activities.find({ status: { $nin: GONE }, $or: owned } as never).sort({ _id: 1 }).lean() : [];
    return calendarFeed({ name: 'lisplan – mina slutdatum', description: `Slutdatum för aktiviteter där ${user.name} är ansvarig.`, events: docs.map((d) => deadlineEvent(d, publicUrl)) });
  }

  const orgId = stored.feed.slice('org:'.length);
  const member = user.memberships.some((m) => m.orgId === orgId && m.roles.length > 0);
  if (!member && !user.cityViewer) return undefined;
  const org = await models.organisations.findById(orgId).lean();
  if (!org) return undefined;
  const docs = await models.activities.find({ orgId, status: { $nin: GONE } }).sort({ _id: 1 }).lean();
  return calendarFeed({ name: `lisplan – ${org.name}`, description: `Slutdatum i handlingsplanen för informationssäkerhet, ${org.name}.`, events: docs.map((d) => deadlineEvent(d, publicUrl)) });
}

/** SEQUENCE follows the activity's version, so a moved deadline replaces the event it had. */
function deadlineEvent(d: ActivityDoc, publicUrl: string): CalendarEvent {
  const confidential = d.secrecy === 'osl-18-8';
  return {
    uid: deadlineUid(d._id),
    summary: `Slutdatum: ${confidential ? 'sekretessmarkerad aktivitet' : d.title}`,
    description: `Status: ${STATUS_LABELS[d.status]}.${d.owner.name && !confidential ? ` Ansvarig: ${d.owner.name}.` : ''}`,
    date: d.dueDate,
    url: activityUrl(publicUrl, d._id),
    version: d.version,
    updatedAt: d.updatedAt,
  };
}
