import { z } from 'zod';
import { Slug } from '../../domain/common';
import { NOTIFICATION_PREFERENCES } from '../../store/models/user';
import { notificationPreferenceOf, setNotificationPreference } from '../../services/notifications/preferences';
import { listFailedDeliveries } from '../../services/notifications/failed-deliveries';
import { feedForToken, feedUrl, personalFeed, revokeFeedToken, rotateFeedToken, type FeedName } from '../../services/notifications/feeds';
import type { Principal } from '../../domain/principal';
import { ADMIN, COORDINATOR, requireRead, requireRole } from '../../services/people/access';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../../services/problem';
import { markAllNotificationsRead, markNotificationRead, myNotifications } from '../../services/notifications/my-notifications';

const Preferences = z
  .object({ notifications: z.enum(NOTIFICATION_PREFERENCES).describe('immediate: each notice by email at once; digest: the weekly summary only; both') })
  .strict()
  .openapi('NotificationPreferences');

const InAppNotification = z
  .object({
    id: z.string(),
    kind: z.enum(['reminder', 'overdue', 'escalation', 'approval-requested', 'decision', 'review-adoption']),
    orgId: z.string(),
    activityId: z.string().optional(),
    /** The email's subject line: the notice in one Swedish sentence. */
    title: z.string(),
    link: z.string(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .openapi('Notification');

const NotificationPage = z
  .object({ items: z.array(InAppNotification), unread: z.number().int(), nextCursor: z.string().optional() })
  .openapi('NotificationPage');

const FeedCreated = z.object({ url: z.string().describe('Secret: whoever has the URL can read the feed. Shown once.') }).openapi('CalendarFeed');

const FailedDelivery = z
  .object({
    id: z.string(),
    kind: z.string(),
    activityId: z.string().optional(),
    activityTitle: z.string().optional(),
    dueDate: z.string().optional(),
    recipientRole: z.string(),
    recipientUserId: z.string().optional(),
    attempts: z.number().int(),
    lastError: z.string().optional(),
    failedAt: z.string().optional(),
    failedRecipients: z.array(z.object({ email: z.string(), error: z.string() })),
    deliveredTo: z.array(z.string()),
  })
  .openapi('FailedDelivery');

const NotificationId = z.object({ notificationId: z.string().min(1).max(400) });
const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,600}$/);

/** Routes behind a bearer token: preferences, the in-app list, feed secrets, failed deliveries. */
export function notificationRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;
  const publicUrl = deps.config.publicUrl;

  routes.add(
    { method: 'get', path: '/me/preferences', summary: 'Mina inställningar för e-post', tags: ['Mitt'], responses: { 200: { description: 'Inställningar', schema: Preferences } } },
    async ({ principal }) => ({ body: { notifications: await notificationPreferenceOf(models, principal.userId) } }),
  );

  routes.add(
    { method: 'put', path: '/me/preferences', summary: 'Välj e-post direkt, veckosammanfattning eller båda', tags: ['Mitt'], body: Preferences, responses: { 200: { description: 'Sparat', schema: Preferences } } },
    async ({ principal, body }) => {
      await setNotificationPreference(models, principal.userId, body.notifications);
      return { body };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/me/notifications',
      summary: 'Mina aviseringar, nyast först, med antal olästa',
      tags: ['Mitt'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: Cursor.optional() }),
      responses: { 200: { description: 'En sida aviseringar', schema: NotificationPage } },
    },
    async ({ principal, query }) => {
      const page = await myNotifications(models, principal, publicUrl, query);
      return { body: { ...page, items: page.items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) } };
    },
  );

  routes.add(
    { method: 'post', path: '/me/notifications/:notificationId/read', summary: 'Markera en avisering som läst', tags: ['Mitt'], params: NotificationId, responses: { 204: { description: 'Läst' } } },
    async ({ principal, params }) => {
      if (!(await markNotificationRead(models, principal, params.notificationId))) throw Problem.notFound('Ingen sådan avisering.');
      return { status: 204 };
    },
  );

  routes.add(
    { method: 'post', path: '/me/notifications/read-all', summary: 'Markera alla mina aviseringar som lästa', tags: ['Mitt'], responses: { 200: { description: 'Antal markerade', schema: z.object({ marked: z.number().int() }) } } },
    async ({ principal }) => {
      return { body: { marked: await markAllNotificationsRead(models, principal) } };
    },
  );

  const feedRoutes = (path: string, summary: string, feed: (p: Principal, params: Record<string, string>) => FeedName) => {
    routes.add(
      {
        method: 'post',
        path,
        summary: `${summary}: skapa en ny hemlig adress (den gamla slutar gälla)`,
        tags: ['Kalender'],
        ...(path.includes(':orgId') ? { params: z.object({ orgId: Slug }) } : {}),
        responses: { 201: { description: 'Adressen; visas en gång', schema: FeedCreated } },
      },
      async ({ principal, params }) => {
        const token = await rotateFeedToken(models, principal.userId, feed(principal, params));
        return { status: 201, body: { url: feedUrl(publicUrl, token) } };
      },
    );
    routes.add(
      {
        method: 'delete',
        path,
        summary: `${summary}: återkalla adressen`,
        tags: ['Kalender'],
        ...(path.includes(':orgId') ? { params: z.object({ orgId: Slug }) } : {}),
        responses: { 204: { description: 'Återkallad' } },
      },
      async ({ principal, params }) => {
        if (!(await revokeFeedToken(models, principal.userId, feed(principal, params)))) throw Problem.notFound('Det finns ingen kalenderadress att återkalla.');
        return { status: 204 };
      },
    );
  };
  // A personal token reaches one organisation, and so does a feed it makes.
  feedRoutes('/me/calendar-feed', 'Min kalender med slutdatum (med en personlig token: bara tokenens organisation)', (p) => personalFeed(p.tokenOrgId));
  feedRoutes('/organisations/:orgId/calendar-feed', 'Organisationens kalender', (p, params) => {
    const orgId = params.orgId!;
    requireRead(p, orgId);
    return `org:${orgId}`;
  });

  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/failed-deliveries',
      summary: 'Aviseringar som inte kunde levereras (felaktiga adresser m.m.)',
      tags: ['Aviseringar'],
      params: z.object({ orgId: Slug }),
      responses: { 200: { description: 'Misslyckade leveranser, senaste först', schema: z.array(FailedDelivery) } },
    },
    async ({ principal, params }) => {
      requireRole(principal, params.orgId, [COORDINATOR, ADMIN], 'samordnare och administratörer');
      const failed = await listFailedDeliveries(models, params.orgId);
      return { body: failed.map((f) => ({ ...f, ...(f.failedAt ? { failedAt: f.failedAt.toISOString() } : {}) })) };
    },
  );
}

/**
 * The calendar feed itself, reached without a bearer token: the secret in the URL is the
 * credential. An unknown or revoked secret gets 404, the same as a feed that never was.
 */
export function calendarFeedRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/calendar/:file',
      summary: 'Kalenderflöde (iCalendar) bakom en hemlig adress',
      tags: ['Kalender'],
      params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/, 'a feed address from POST …/calendar-feed') }),
      responses: { 200: { description: 'text/calendar (RFC 5545)' } },
    },
    async ({ params, res }) => {
      const { publicUrl, planTimeZone: timeZone, reviewStart } = deps.config;
      const text = await feedForToken(deps.models, params.file.slice(0, -'.ics'.length), { publicUrl, timeZone, ...(reviewStart ? { reviewStart } : {}) });
      if (text === undefined) throw Problem.notFound('Okänd eller återkallad kalenderadress.');
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.type('text/calendar; charset=utf-8').send(text);
      return { sent: true };
    },
  );
}
