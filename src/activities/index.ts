import type { Models } from '../db/models';
import type { Mailer } from '../notifications/mailer';
import { createDeliveryActivities } from '../notifications/deliver';
import { createActivityStoreActivities } from './activity-store';
import { createReviewActivities } from './review';
import { createSmokeActivities } from './smoke';

export interface MailDeps {
  mailer: Mailer;
  publicUrl: string;
  maxAttempts: number;
}

/** Activities are built by a factory that takes their dependencies, so tests can pass real ones. */
export function createActivities(deps: { models: Models; timeZone: string; mail?: MailDeps }) {
  return {
    ...createSmokeActivities(deps.models),
    ...createActivityStoreActivities(deps.models, { timeZone: deps.timeZone }),
    ...createReviewActivities(deps.models, { timeZone: deps.timeZone }),
    ...(deps.mail
      ? createDeliveryActivities({ models: deps.models, ...deps.mail })
      : {
          // Without SMTP the notification stays pending in the outbox: shown in the app, not mailed.
          async deliverNotification(_id: string): Promise<{ status: 'disabled' }> {
            return { status: 'disabled' };
          },
        }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
