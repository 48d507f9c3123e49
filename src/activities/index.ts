import { Context } from '@temporalio/activity';
import type { Models } from '../store/models';
import type { Mailer } from '../services/notifications/mailer';
import { createDeliveryActivities } from '../services/notifications/deliver';
import { createDigestActivities } from '../services/notifications/digest';
import { createProjectionActivities } from './project-activity';
import { createReviewActivities } from './review-steps';
import { createWorkflowHealthActivities } from './workflow-health';

export interface MailDeps {
  mailer: Mailer;
  publicUrl: string;
  maxAttempts: number;
  leaseMs?: number;
}

/** Activities are built by a factory that takes their dependencies, so tests can pass real ones. */
export function createActivities(deps: { models: Models; timeZone: string; mail?: MailDeps }) {
  return {
    ...createProjectionActivities(deps.models, { timeZone: deps.timeZone }),
    ...createDigestActivities({ models: deps.models, timeZone: deps.timeZone, publicUrl: deps.mail?.publicUrl ?? '', mailing: Boolean(deps.mail) }),
    ...createReviewActivities(deps.models, { timeZone: deps.timeZone }),
    ...createWorkflowHealthActivities(deps.models),
    ...(deps.mail
      ? createDeliveryActivities({ models: deps.models, ...deps.mail, heartbeat: () => Context.current().heartbeat() })
      : {
          // Without SMTP the notification stays pending in the outbox: shown in the app, not mailed.
          async deliverNotification(_id: string): Promise<{ status: 'disabled' }> {
            return { status: 'disabled' };
          },
        }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
