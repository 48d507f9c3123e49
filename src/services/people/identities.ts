import type { Models } from '../../store/models';
import type { Membership } from '../../domain/principal';
import type { UserDoc } from '../../store/models/user';

/** Who may log in as whom: the provider's people as the store remembers them, and the demo users of development. */

/** The provider is the source of roles; the local record keeps name and email for lists. */
export async function rememberOidcUser(
  models: Models,
  identity: { subject: string; name: string; email?: string; memberships: Membership[]; cityViewer: boolean },
): Promise<string> {
  const userId = `oidc-${identity.subject}`;
  await models.users.updateOne(
    { _id: userId },
    {
      $set: { name: identity.name, email: identity.email ?? `${identity.subject}@oidc.invalid`, memberships: identity.memberships, cityViewer: identity.cityViewer, oidcSubject: identity.subject },
      $setOnInsert: { demo: false },
    },
    { upsert: true },
  );
  return userId;
}

/** Every demo user, in id order (development login only). */
export function demoUsersStored(models: Models): Promise<UserDoc[]> {
  return models.users.find({ demo: true }).sort({ _id: 1 }).lean<UserDoc[]>().exec();
}

/** The user, if they are a demo user: nobody else logs in without the provider. */
export async function findDemoUser(models: Models, userId: string): Promise<UserDoc | undefined> {
  const user = await models.users.findById(userId).lean<UserDoc>();
  return user?.demo ? user : undefined;
}
