import { randomBytes } from 'node:crypto';
import { findIdentity } from '../../store/models/user';
import type { ActivityStatus } from '../../domain/activity';
import type { Models } from '../../store/models';
import { calendarTokenId } from '../../store/models/calendar-token';
import type { ActivityDoc } from '../../store/models/activity';
import type { ReviewDoc } from '../../store/models/review';
import { COORDINATOR, HEAD } from '../people/access';
import { hashToken } from '../people/api-tokens';
import { deadlineEvent, milestoneEvents, reviewEvent, type EventContext, type ReviewEventContext } from './calendar-events';
import { calendarFeed, type CalendarEvent } from './ical';

/**
 * Calendar feeds behind secret URLs: one of a person's own dates, one per organisation.
 * The URL is the credential (calendar clients send no bearer token), so it is long and random,
 * only its hash is kept, and each fetch checks that its holder may still read what it shows.
 */

/**
 * `me`: the person's own dates in every organisation they belong to. `me:<orgId>`: the same,
 * in one organisation only; a feed made with a personal token is this one, for the token's
 * organisation, because the feed's secret must not reach further than the credential that made
 * it (the API answers 403 to that token for every other organisation). `org:<orgId>`: one
 * organisation's dates.
 */
export type FeedName = 'me' | `me:${string}` | `org:${string}`;

/** The personal feed that a principal's credential may make: scoped when the credential is. */
export function personalFeed(tokenOrgId: string | undefined): FeedName {
  return tokenOrgId ? `me:${tokenOrgId}` : 'me';
}

/** Activities no longer planned leave the feed, so the calendars drop their events. */
const GONE: ActivityStatus[] = ['cancelled', 'deferred'];

/** Makes a new secret for the feed, revoking the one before. Returns the secret, shown once. */
export async function rotateFeedToken(models: Models, userId: string, feed: FeedName): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  // One update replaces the secret: of rotations at once, the last one's secret is the feed's.
  await models.calendarTokens.updateOne({ _id: calendarTokenId(userId, feed) }, { $set: { tokenHash: hashToken(token), userId, feed, createdAt: new Date() } }, { upsert: true });
  // A secret stored the way it was before (its hash as _id) stops working too.
  await models.calendarTokens.deleteMany({ userId, feed, tokenHash: { $exists: false } });
  return token;
}

/** When the feed's current secret was made; undefined when it has none (the secret itself is not kept). */
export async function feedMadeAt(models: Models, userId: string, feed: FeedName): Promise<Date | undefined> {
  const stored = await models.calendarTokens.findOne({ userId, feed }, { createdAt: 1 }).sort({ createdAt: -1 }).lean();
  return stored?.createdAt;
}

/** True when there was a feed to revoke. */
export async function revokeFeedToken(models: Models, userId: string, feed: FeedName): Promise<boolean> {
  return (await models.calendarTokens.deleteMany({ userId, feed })).deletedCount > 0;
}

const FEED_PATH = '/api/v1/calendar/';

export function feedUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${FEED_PATH}${token}.ics`;
}

/**
 * A request path fit for a log: a feed's path is its credential, so all that follows FEED_PATH
 * is left out, encoded or mistyped secrets too. Express routes paths case-insensitively, so the
 * prefix is compared that way.
 */
export function redactFeedSecret(path: string): string {
  return isFeedPath(path) ? `${path.slice(0, FEED_PATH.length)}[redacted]` : path;
}

/** A calendar feed's request: no bearer token, its address is its credential. */
export function isFeedPath(path: string): boolean {
  return path.toLowerCase().startsWith(FEED_PATH);
}

/** The feed's iCalendar text, or undefined when the token is unknown or its holder lost access. */
export async function feedForToken(models: Models, token: string, ctx: ReviewEventContext): Promise<string | undefined> {
  const hash = hashToken(token);
  const stored = await models.calendarTokens.findOne({ $or: [{ tokenHash: hash }, { _id: hash, tokenHash: { $exists: false } }] }).lean();
  if (!stored) return undefined;
  const user = await findIdentity(models.users, stored.userId);
  if (!user) return undefined;

  if (stored.feed === 'me' || stored.feed.startsWith('me:')) {
    const scope = stored.feed.startsWith('me:') ? stored.feed.slice('me:'.length) : undefined;
    const memberships = scope ? user.memberships.filter((m) => m.orgId === scope) : user.memberships;
    const owned = memberships.flatMap((m) => [
      { orgId: m.orgId, 'owner.userId': user._id },
      { orgId: m.orgId, 'owner.userId': { $exists: false }, 'owner.role': { $in: m.roles } },
    ]);
    const docs = owned.length ? await models.activities.find({ status: { $nin: GONE }, $or: owned }).sort({ _id: 1 }).lean() : [];
    // Those who write and adopt the review see its dates too.
    const reviewers = memberships.filter((m) => m.roles.some((r) => REVIEW_ROLES.includes(r))).map((m) => m.orgId);
    return calendarFeed({
      name: 'lisplan – mina datum',
      description: `Slutdatum och milstolpar för aktiviteter där ${user.name} är ansvarig${reviewers.length ? ', och ledningens genomgång' : ''}.`,
      events: [...activityEvents(docs, ctx), ...(await reviewEvents(models, reviewers, ctx))],
    });
  }

  const orgId = stored.feed.slice('org:'.length);
  const member = user.memberships.some((m) => m.orgId === orgId && m.roles.length > 0);
  if (!member && !user.cityViewer) return undefined;
  const org = await models.organisations.findById(orgId).lean();
  if (!org) return undefined;
  const docs = await models.activities.find({ orgId, status: { $nin: GONE } }).sort({ _id: 1 }).lean();
  return calendarFeed({
    name: `lisplan – ${org.name}`,
    description: `Slutdatum, milstolpar och ledningens genomgång i handlingsplanen för informationssäkerhet, ${org.name}.`,
    events: [...activityEvents(docs, ctx), ...(await reviewEvents(models, [orgId], ctx))],
  });
}

const REVIEW_ROLES: string[] = [COORDINATOR, HEAD];

function activityEvents(docs: ActivityDoc[], ctx: EventContext): CalendarEvent[] {
  return docs.flatMap((d) => [deadlineEvent(d, ctx), ...milestoneEvents(d, ctx)]);
}

/** Each year of the organisations' plan windows, and every year that has a review. */
async function reviewEvents(models: Models, orgIds: string[], ctx: ReviewEventContext): Promise<CalendarEvent[]> {
  if (orgIds.length === 0) return [];
  const orgs = await models.organisations.find({ _id: { $in: orgIds } }).sort({ _id: 1 }).lean();
  const reviews = await models.reviews.find({ orgId: { $in: orgIds } }).lean();
  return orgs.flatMap((org) => {
    const latest = new Map<number, ReviewDoc>();
    for (const r of reviews.filter((x) => x.orgId === org._id)) if ((latest.get(r.year)?.version ?? 0) < r.version) latest.set(r.year, r);
    const years = new Set(latest.keys());
    for (let y = org.plan.startYear; y <= org.plan.endYear; y++) years.add(y);
    return [...years].sort().flatMap((year) => reviewEvent(org, year, latest.get(year), ctx) ?? []);
  });
}
