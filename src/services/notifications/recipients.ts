import type { Models } from '../../store/models';
import type { NotificationDoc } from '../../store/models/notification';
import { DEFAULT_NOTIFICATION_PREFERENCE, type NotificationPreference } from '../../store/models/user';
import type { RoleName } from '../../domain/roles';

export interface Recipient {
  name: string;
  email: string;
  preference: NotificationPreference;
}

/**
 * The named user when there is one, otherwise everyone holding the role in the organisation.
 * A named user who has been removed, or who no longer has a role in the organisation, falls back
 * to the role: the organisation's notices (titles of its activities included) go to its own
 * people only, and are not lost. The weekly digest is the person's own, of every organisation.
 * Users without an email address are skipped; addresses are deduplicated.
 */
export async function resolveRecipients(
  models: Models,
  doc: Pick<NotificationDoc, 'orgId' | 'recipientRole' | 'recipientUserId' | 'kind'>,
): Promise<Recipient[]> {
  type U = { _id: string; name?: string; email?: string; notificationPreference?: NotificationPreference };
  let users: U[] = [];
  if (doc.recipientUserId) {
    const member = doc.kind === 'digest' ? {} : { memberships: { $elemMatch: { orgId: doc.orgId, 'roles.0': { $exists: true } } } };
    const u = await models.users.findOne({ _id: doc.recipientUserId, ...member }, { name: 1, email: 1, notificationPreference: 1 }).lean<U>();
    if (u) users = [u];
  }
  if (!doc.recipientUserId || users.length === 0) {
    users = await models.users
      .find({ memberships: { $elemMatch: { orgId: doc.orgId, roles: doc.recipientRole as RoleName } } }, { name: 1, email: 1, notificationPreference: 1 })
      .sort({ _id: 1 })
      .lean<U[]>();
  }
  const byEmail = new Map<string, Recipient>();
  for (const u of users) {
    const email = u.email?.trim();
    if (!email) continue;
    const key = email.toLowerCase();
    if (!byEmail.has(key)) byEmail.set(key, { name: u.name ?? '', email: key, preference: u.notificationPreference ?? DEFAULT_NOTIFICATION_PREFERENCE });
  }
  return [...byEmail.values()];
}
