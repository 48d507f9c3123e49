import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { RoleName } from '../../domain/roles';

/** How a person wants to hear from lisplan by email: each notice at once, the weekly digest, or both. */
export const NOTIFICATION_PREFERENCES = ['immediate', 'digest', 'both'] as const;
export type NotificationPreference = (typeof NOTIFICATION_PREFERENCES)[number];
export const DEFAULT_NOTIFICATION_PREFERENCE: NotificationPreference = 'both';

/**
 * A person who uses lisplan. Personal data is limited to name, email and roles; a person can
 * hold different roles in different organisations.
 */
export interface UserDoc {
  _id: string;
  name: string;
  email: string;
  memberships: { orgId: string; roles: RoleName[] }[];
  /** Reads every organisation (stadsövergripande läsare). */
  cityViewer: boolean;
  /** The OpenID provider's subject, once the person has logged in that way. */
  oidcSubject?: string;
  demo: boolean;
  /** Unset means DEFAULT_NOTIFICATION_PREFERENCE. */
  notificationPreference?: NotificationPreference;
}

const schema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String, required: true },
    memberships: { type: Schema.Types.Mixed, default: [] },
    cityViewer: { type: Boolean, default: false },
    oidcSubject: { type: String },
    demo: { type: Boolean, default: false },
    notificationPreference: { type: String, enum: NOTIFICATION_PREFERENCES },
  },
  { collection: 'users', versionKey: false },
);
schema.index({ email: 1 }, { unique: true });

export function userModel(conn: Connection): Model<UserDoc> {
  return conn.models.User ?? conn.model<UserDoc>('User', schema);
}

const Membership = z.object({ orgId: z.string(), roles: z.array(RoleName) });

const Identity = z.object({
  _id: z.string(),
  name: z.string(),
  // A person the store holds without memberships (written by hand, or by an older version) has
  // no role anywhere: they are who they say, and every organisation's routes answer 403.
  memberships: z.array(Membership).nullish().transform((m) => m ?? []),
  cityViewer: z.boolean().default(false),
});
export type StoredIdentity = z.infer<typeof Identity>;

/**
 * The person behind a login or a token, as authentication needs them. A document that is not a
 * usable person (no name, memberships that are not a list of roles) identifies no one: undefined,
 * as for an unknown id, so the caller answers 401 rather than failing on it.
 */
export async function findIdentity(users: Model<UserDoc>, userId: string): Promise<StoredIdentity | undefined> {
  const doc = await users.findById(userId, { name: 1, memberships: 1, cityViewer: 1 }).lean();
  if (!doc) return undefined;
  const parsed = Identity.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}

/** A stored person's memberships; a document without them (see Identity) has none. */
export function membershipsOf(user: { memberships?: UserDoc['memberships'] | null }): UserDoc['memberships'] {
  return Array.isArray(user.memberships) ? user.memberships : [];
}
