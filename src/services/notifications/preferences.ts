import type { Models } from '../../store/models';
import { DEFAULT_NOTIFICATION_PREFERENCE, type NotificationPreference } from '../../store/models/user';
import { Problem } from '../problem';

/**
 * How a person wants their notices by email (each at once, the weekly digest, or both): what
 * delivery and the digest read. The API's /me/preferences and the settings page share these.
 */

export async function notificationPreferenceOf(models: Models, userId: string): Promise<NotificationPreference> {
  const user = await models.users.findById(userId, { notificationPreference: 1 }).lean();
  return user?.notificationPreference ?? DEFAULT_NOTIFICATION_PREFERENCE;
}

export async function setNotificationPreference(models: Models, userId: string, preference: NotificationPreference): Promise<void> {
  const res = await models.users.updateOne({ _id: userId }, { $set: { notificationPreference: preference } });
  if (res.matchedCount === 0) throw Problem.notFound('Användaren finns inte.');
}
