import { Router } from 'express';
import type { UiKit } from '../kit';

/**
 * When the statement was last checked against the service: the DOS law (2018:1937) asks the
 * statement to say so. Change it when the tests, the known gaps or the contact change.
 */
const REVIEWED = '2026-12-06';

/**
 * Tillgänglighetsredogörelse: the accessibility statement the DOS law requires of a public
 * sector web service. Public, so that whoever cannot log in can still read it and report.
 */
export function accessibilityPage(kit: UiKit): Router {
  const router = Router();
  router.get('/tillganglighet', (req, res) => {
    kit.render(req, res, 'accessibility', { title: kit.messagesFor(req).t('a11y.title'), contact: kit.deps.config.accessibilityContact, reviewed: REVIEWED });
  });
  return router;
}
