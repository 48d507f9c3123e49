import { Router } from 'express';
import { z } from 'zod';
import { markAllNotificationsRead, markNotificationRead, myNotifications, unreadNotifications } from '../../services/notifications/my-notifications';
import { Problem } from '../../services/problem';
import { parseOr400 } from '../../services/validate';
import { formAction, principalOf, type UiKit } from '../kit';

const PAGE_SIZE = 30;
const Query = z.object({ fran: z.string().regex(/^[A-Za-z0-9_-]{1,600}$/).optional() });
const Params = z.object({ notificationId: z.string().min(1).max(400) });

/**
 * Aviseringar: the person's in-app notifications, newest first, and the unread count in the
 * header of every page.
 */
export function notificationPages(kit: UiKit): Router {
  const { deps } = kit;
  const router = Router();

  // The header shows the count on every page; a store that is away fails the page itself.
  router.use(async (req, res, next) => {
    if (req.method === 'GET') res.locals.unreadNotifications = await unreadNotifications(deps.models, principalOf(res));
    next();
  });

  router.get('/aviseringar', async (req, res) => {
    const { fran: cursor } = parseOr400(Query, req.query, 'query');
    const page = await myNotifications(deps.models, principalOf(res), deps.config.publicUrl, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    // The links in the emails are absolute (to the public address); on the page they stay on this site.
    const items = page.items.map((n) => ({ ...n, href: new URL(n.link).pathname }));
    kit.render(req, res, 'notifications', { title: kit.messagesFor(req).t('notifications.title'), items, unread: page.unread, nextCursor: page.nextCursor });
  });

  router.post(
    '/aviseringar/:notificationId/last',
    formAction(kit, '/aviseringar', async (req, p, m) => {
      const { notificationId } = parseOr400(Params, req.params, 'params');
      if (!(await markNotificationRead(deps.models, p, notificationId))) throw Problem.notFound(m.t('notifications.missing'));
      return m.t('notifications.markedOne');
    }),
  );

  router.post(
    '/aviseringar/alla-lasta',
    formAction(kit, '/aviseringar', async (_req, p, m) => {
      const count = await markAllNotificationsRead(deps.models, p);
      return count === 1 ? m.t('notifications.markedAllOne') : m.t('notifications.markedAll', { count });
    }),
  );

  return router;
}
