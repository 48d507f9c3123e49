import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { NOTIFICATION_PREFERENCES } from '../../store/models/user';
import { feedMadeAt, feedUrl, personalFeed, revokeFeedToken, rotateFeedToken } from '../../services/notifications/feeds';
import { notificationPreferenceOf, setNotificationPreference } from '../../services/notifications/preferences';
import { parseOr400 } from '../../services/validate';
import { formAction, principalOf, type UiKit } from '../kit';

const PreferenceForm = z.object({ notifications: z.enum(NOTIFICATION_PREFERENCES) });

/**
 * Inställningar: the logged-in person's own settings, on the services of the API's /me routes:
 * how notices come by email, and the secret address of their personal calendar feed.
 */
export function settingsPages(kit: UiKit): Router {
  const { models, config } = kit.deps;
  const router = Router();

  async function page(req: Request, res: Response, extra: { newFeedUrl?: string } = {}) {
    const p = principalOf(res);
    kit.render(req, res, 'settings', {
      title: kit.messagesFor(req).t('settings.title'),
      preference: await notificationPreferenceOf(models, p.userId),
      preferences: NOTIFICATION_PREFERENCES,
      feedSince: await feedMadeAt(models, p.userId, personalFeed(p.tokenOrgId)),
      ...extra,
    });
  }

  router.get('/installningar', (req, res) => page(req, res));

  router.post(
    '/installningar/aviseringar',
    formAction(kit, '/installningar', async (req, p, m) => {
      const f = parseOr400(PreferenceForm, req.body, 'body');
      await setNotificationPreference(models, p.userId, f.notifications);
      return m.t('settings.saved', { choice: m.t(`settings.pref.${f.notifications}`) });
    }),
  );

  // The address is the credential and only its hash is kept: it is shown in this answer, once,
  // never put in the session or a redirect.
  router.post('/installningar/kalender', async (req, res) => {
    const p = principalOf(res);
    const token = await rotateFeedToken(models, p.userId, personalFeed(p.tokenOrgId));
    await page(req, res, { newFeedUrl: feedUrl(config.publicUrl, token) });
  });

  router.post(
    '/installningar/kalender/aterkalla',
    formAction(kit, '/installningar', async (_req, p, m) => {
      const revoked = await revokeFeedToken(models, p.userId, personalFeed(p.tokenOrgId));
      return m.t(revoked ? 'settings.feedRevoked' : 'settings.feedNone');
    }),
  );

  return router;
}
