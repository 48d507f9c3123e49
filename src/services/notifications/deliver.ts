import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { Models } from '../../store/models';
import type { NotificationDoc } from '../../store/models/notification';
import { DEFAULT_NOTIFICATION_PREFERENCE, type NotificationPreference } from '../../store/models/user';
import type { RoleName } from '../../domain/roles';
import { isPermanentSmtpFailure, notificationMessageId, type Mailer } from './mailer';
import type { RenderedMessage } from '../../domain/notification';
import { renderMessage, type MessageInput } from './templates';

/**
 * Delivery of the notification outbox by email. The workflow records a notification once
 * (recordNotification) and then runs deliverNotification as a Temporal activity, which
 * retries it with backoff while the SMTP server is away.
 *
 * What the outbox document records, beyond NotificationDoc (the fields live in the same
 * document; the Mongoose schema does not declare them, so they are written through the
 * driver):
 * - deliveredTo: the addresses the SMTP server accepted the message for. Written right after
 *   each accepted message, before the document is marked sent, so a retry after a crash or a
 *   partial failure skips them; a store that is away at that moment is waited for. The window
 *   for a duplicate is a worker dying between the server's 250 and this write, or the store
 *   staying away longer than the delivery waits; the resend then carries the same Message-ID.
 * - failedRecipients: addresses the server refused for good (5xx), not tried again.
 * - sentAt, failedAt.
 *
 * - claim: the delivery that holds the notification now ({token, until}).
 *
 * Two deliveries of the same notification at once (a Temporal retry overtaking a slow
 * attempt) must not both send. A delivery first claims the document in one conditional
 * update (unclaimed, or the claim expired): MongoDB applies it to one caller only. The claim
 * is removed when the delivery ends and taken over once it has expired (a crashed holder).
 */
export interface DeliveryState {
  deliveredTo?: string[];
  failedRecipients?: { email: string; error: string }[];
  sentAt?: Date;
  failedAt?: Date;
  claim?: { token: string; until: Date };
}
export type OutboxDoc = NotificationDoc & DeliveryState;

/** What deliverNotification returns to the workflow: counts only, no addresses in the history. */
export type DeliveryResult =
  | { status: 'sent'; recipients: number; alreadySent: boolean }
  | { status: 'failed'; alreadyFailed: boolean }
  | { status: 'skipped' }
  | { status: 'missing' };

/** A failure worth retrying: Temporal retries the activity with backoff. */
export class TemporaryDeliveryError extends Error {
  override name = 'TemporaryDeliveryError';
}

export interface DeliveryDeps {
  models: Models;
  mailer: Mailer;
  publicUrl: string;
  /** Temporary failures after which the notification is marked failed instead of retried. */
  maxAttempts: number;
  /** How long one delivery may hold a notification; longer than the SMTP timeouts of one run. */
  leaseMs?: number;
  /** Right side of the Message-ID. */
  messageIdDomain?: string;
  /**
   * Tells Temporal this attempt is alive (Context.heartbeat). With a heartbeat timeout on the
   * activity, an attempt whose worker died is retried within that timeout instead of after the
   * whole start-to-close timeout.
   */
  heartbeat?: () => void;
}

const HEARTBEAT_MS = 5_000;

const MAX_ERROR_LENGTH = 1000;

/** How long a delivery waits for the store to record a message it has already sent. */
const DELIVERED_WRITE_PATIENCE_MS = 120_000;

/** Runs `write` until it succeeds, backing off, and gives up with its last error after `patienceMs`. */
async function persistently<T>(write: () => Promise<T>, patienceMs: number): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + pause > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { models, mailer, publicUrl, maxAttempts } = deps;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const outbox = models.notifications.collection as unknown as mongo.Collection<OutboxDoc>;

  async function markFailed(id: string, lastError: string): Promise<void> {
    await outbox.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'failed', failedAt: new Date(), lastError: clip(lastError) } });
  }

  /** True when this call now holds the claim on `id`. */
  async function claim(id: string, token: string): Promise<boolean> {
    const now = new Date();
    const claimed = await outbox.findOneAndUpdate(
      { _id: id, $or: [{ claim: { $exists: false } }, { 'claim.until': { $lte: now } }] },
      { $set: { claim: { token, until: new Date(now.getTime() + leaseMs) } } },
      { projection: { _id: 1 } },
    );
    return claimed !== null;
  }

  return {
    async deliverNotification(notificationId: string): Promise<DeliveryResult> {
      const doc = await outbox.findOne({ _id: notificationId });
      if (!doc) return { status: 'missing' };
      if (doc.status === 'sent') return { status: 'sent', recipients: doc.deliveredTo?.length ?? 0, alreadySent: true };
      if (doc.status === 'failed') return { status: 'failed', alreadyFailed: true };
      if (doc.status === 'skipped') return { status: 'skipped' };
      if (doc.attempts >= maxAttempts) {
        await markFailed(notificationId, doc.lastError ?? `gav upp efter ${doc.attempts} försök`);
        return { status: 'failed', alreadyFailed: false };
      }

      // Nobody else delivers this notification until we are done or the claim expires.
      const token = randomUUID();
      if (!(await claim(notificationId, token))) {
        throw new TemporaryDeliveryError('leveransen pågår redan i ett annat försök');
      }
      // While the attempt lives, it says so to Temporal and keeps its claim; once its worker
      // dies, both lapse and the retry on another worker takes over.
      const alive = setInterval(() => {
        deps.heartbeat?.();
        outbox.updateOne({ _id: notificationId, 'claim.token': token }, { $set: { 'claim.until': new Date(Date.now() + leaseMs) } }).catch(() => undefined);
      }, Math.min(HEARTBEAT_MS, leaseMs / 2));
      try {
        // Read again under the claim: the holder before us may have finished meanwhile.
        return await deliver(notificationId);
      } finally {
        clearInterval(alive);
        // A claim left behind by a failed write only delays a retry until it expires.
        await outbox.updateOne({ _id: notificationId, 'claim.token': token }, { $unset: { claim: '' } }).catch(() => undefined);
      }
    },
  };

  async function deliver(notificationId: string): Promise<DeliveryResult> {
    const doc = await outbox.findOne({ _id: notificationId });
    if (!doc) return { status: 'missing' };
    if (doc.status === 'sent') return { status: 'sent', recipients: doc.deliveredTo?.length ?? 0, alreadySent: true };
    if (doc.status === 'failed') return { status: 'failed', alreadyFailed: true };
    if (doc.status === 'skipped') return { status: 'skipped' };

    const resolved = await resolveRecipients(models, doc);
    if (resolved.length === 0) {
      await markFailed(
        notificationId,
        doc.recipientUserId
          ? `mottagaren ${doc.recipientUserId} saknas eller har ingen e-postadress`
          : `ingen med rollen ${doc.recipientRole} och e-postadress i organisationen ${doc.orgId}`,
      );
      return { status: 'failed', alreadyFailed: false };
    }
    // Those who chose the digest alone hear of it there (and in the app), not by immediate email.
    const recipients = doc.kind === 'digest' ? resolved : resolved.filter((r) => r.preference !== 'digest');
    if (recipients.length === 0) {
      await outbox.updateOne({ _id: notificationId, status: 'pending' }, { $set: { status: 'skipped' } });
      return { status: 'skipped' };
    }

    const activity = doc.activityId
      ? await models.activities.findById(doc.activityId, { secrecy: 1, owner: 1 }).lean<{ secrecy?: string; owner?: { name?: string } }>()
      : null;
    const confidential = activity?.secrecy === 'osl-18-8';
    const ownerName = activity?.owner?.name;
    const done = new Set(doc.deliveredTo ?? []);
    const refused = new Map((doc.failedRecipients ?? []).map((f) => [f.email, f.error]));

    for (const r of recipients) {
      if (done.has(r.email) || refused.has(r.email)) continue;
      const message = renderNotification(doc, { publicUrl, recipientName: r.name, confidential, ...(ownerName ? { ownerName } : {}) });
      try {
        await mailer.send({ to: r.email, ...message, messageId: notificationMessageId(doc._id, r.email, deps.messageIdDomain) });
      } catch (err) {
        const error = clip(errorText(err));
        if (isPermanentSmtpFailure(err)) {
          refused.set(r.email, error);
          await outbox.updateOne({ _id: notificationId }, { $push: { failedRecipients: { email: r.email, error } } });
          continue;
        }
        // Temporary: the server is away or deferring. Stop here; the rest waits for the retry.
        const after = await outbox.findOneAndUpdate(
          { _id: notificationId, status: 'pending' },
          { $inc: { attempts: 1 }, $set: { lastError: `${r.email}: ${error}` } },
          { returnDocument: 'after' },
        );
        const attempts = after?.attempts ?? doc.attempts + 1;
        if (attempts >= maxAttempts) {
          await markFailed(notificationId, `${r.email}: ${error} (gav upp efter ${attempts} försök)`);
          return { status: 'failed', alreadyFailed: false };
        }
        throw new TemporaryDeliveryError(`tillfälligt fel vid e-postleverans, försök ${attempts} av ${maxAttempts}: ${smtpSummary(err)}`);
      }
      done.add(r.email);
      // The message is out: losing this record now would send it again on the retry, so a
      // store that is briefly away is waited for (the attempt keeps heartbeating meanwhile).
      await persistently(() => outbox.updateOne({ _id: notificationId }, { $addToSet: { deliveredTo: r.email } }), Math.min(leaseMs / 2, DELIVERED_WRITE_PATIENCE_MS));
    }

    if (refused.size > 0) {
      await markFailed(notificationId, [...refused].map(([email, error]) => `${email}: ${error}`).join('; '));
      return { status: 'failed', alreadyFailed: false };
    }
    // The status filter keeps a notification that someone marked failed meanwhile failed.
    await outbox.updateOne({ _id: notificationId, status: 'pending' }, { $set: { status: 'sent', sentAt: new Date() } });
    return { status: 'sent', recipients: done.size, alreadySent: false };
  }
}

interface Recipient {
  name: string;
  email: string;
  preference: NotificationPreference;
}

/**
 * The named user when there is one, otherwise everyone holding the role in the organisation.
 * A named user who has been removed falls back to the role, so the notice is not lost. Users
 * without an email address are skipped; addresses are deduplicated.
 */
export async function resolveRecipients(
  models: Models,
  doc: Pick<NotificationDoc, 'orgId' | 'recipientRole' | 'recipientUserId'>,
): Promise<Recipient[]> {
  type U = { _id: string; name?: string; email?: string; notificationPreference?: NotificationPreference };
  let users: U[] = [];
  if (doc.recipientUserId) {
    const u = await models.users.findById(doc.recipientUserId, { name: 1, email: 1, notificationPreference: 1 }).lean<U>();
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

/** The email for one outbox document. */
export function renderNotification(
  doc: Pick<NotificationDoc, 'kind' | 'orgId' | 'activityId' | 'activityTitle' | 'dueDate' | 'offsetDays' | 'recipientRole' | 'details' | 'message'>,
  opts: { publicUrl: string; recipientName?: string; confidential?: boolean; ownerName?: string },
): RenderedMessage {
  if (doc.kind === 'digest') {
    if (!doc.message) throw new Error('a digest notification carries its rendered message');
    return doc.message;
  }
  const activity = { id: doc.activityId ?? '', title: doc.activityTitle ?? '', confidential: opts.confidential ?? false };
  const common = { publicUrl: opts.publicUrl, ...(opts.recipientName ? { recipientName: opts.recipientName } : {}) };
  const d = doc.details ?? {};
  const dueDate = doc.dueDate ?? '';
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  let input: MessageInput;
  switch (doc.kind) {
    case 'reminder':
      input = { ...common, type: 'reminder', activity, dueDate, daysLeft: Math.max(0, -(doc.offsetDays ?? 0)) };
      break;
    case 'overdue':
      input = { ...common, type: 'overdue', activity, dueDate };
      break;
    case 'escalation':
      input = {
        ...common,
        type: 'escalation',
        level: doc.recipientRole === 'head-of-administration' ? 'head' : 'coordinator',
        activity,
        dueDate,
        daysOverdue: doc.offsetDays ?? 0,
        ...(opts.ownerName ? { ownerName: opts.ownerName } : {}),
      };
      break;
    case 'approval-requested':
      input = { ...common, type: 'approval-requested', activity, milestoneTitle: d.milestoneTitle ?? '', ...defined({ submittedBy: d.submittedBy }) };
      break;
    case 'decision':
      input = {
        ...common,
        type: 'decision',
        outcome: d.outcome ?? 'approved',
        activity,
        ...defined({ milestoneTitle: d.milestoneTitle, decidedBy: d.decidedBy, comment: d.comment, dueDate: doc.dueDate, proposedDueDate: d.proposedDueDate }),
      };
      break;
    case 'review-adoption':
      input = { ...common, type: 'review-adoption', orgId: doc.orgId, orgName: d.orgName ?? doc.orgId, year: d.year ?? 0 };
      break;
  }
  return renderMessage(input);
}

export interface FailedDelivery {
  id: string;
  activityId?: string;
  activityTitle?: string;
  kind: NotificationDoc['kind'];
  dueDate?: string;
  recipientRole: string;
  recipientUserId?: string;
  attempts: number;
  lastError?: string;
  failedAt?: Date;
  /** Addresses the mail server refused, for the coordinator to correct. */
  failedRecipients: { email: string; error: string }[];
  deliveredTo: string[];
}

/** The notifications of an organisation that could not be delivered, newest due first. */
export async function listFailedDeliveries(models: Models, orgId: string, limit = 200): Promise<FailedDelivery[]> {
  const outbox = models.notifications.collection as unknown as mongo.Collection<OutboxDoc>;
  const docs = await outbox.find({ orgId, status: 'failed' }).sort({ dueAt: -1, _id: 1 }).limit(limit).toArray();
  return docs.map((d) => ({
    id: d._id,
    ...(d.activityId ? { activityId: d.activityId, activityTitle: d.activityTitle ?? '' } : {}),
    kind: d.kind,
    ...(d.dueDate ? { dueDate: d.dueDate } : {}),
    recipientRole: d.recipientRole,
    ...(d.recipientUserId ? { recipientUserId: d.recipientUserId } : {}),
    attempts: d.attempts,
    ...(d.lastError ? { lastError: d.lastError } : {}),
    ...(d.failedAt ? { failedAt: d.failedAt } : {}),
    failedRecipients: d.failedRecipients ?? [],
    deliveredTo: d.deliveredTo ?? [],
  }));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error without the server's reply text, which can hold an address: for the workflow history. */
function smtpSummary(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  return [e.code, e.command, e.responseCode].filter((x) => x !== undefined && x !== false).join(' ') || 'okänt fel';
}

function clip(s: string): string {
  return s.length > MAX_ERROR_LENGTH ? `${s.slice(0, MAX_ERROR_LENGTH - 1)}…` : s;
}
