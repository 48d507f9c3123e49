import type { Models } from '../../store/models';
import { isPermanentSmtpFailure, notificationMessageId, type Mailer } from './mailer';
import { whileClaimed } from './delivery-claim';
import { clipError, markFailed, outboxOf, type Outbox } from './delivery-state';
import { renderNotification } from './notification-email';
import { resolveRecipients } from './recipients';

/**
 * Delivery of the notification outbox by email. The workflow records a notification once
 * (recordNotification) and then runs deliverNotification as a Temporal activity, which
 * retries it with backoff while the SMTP server is away. What the outbox document records of
 * a delivery is in delivery-state.ts; how two attempts keep from both sending, in
 * delivery-claim.ts.
 */

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

/** How long a delivery waits for the store to record a message it has already sent. */
const DELIVERED_WRITE_PATIENCE_MS = 120_000;

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { models, maxAttempts } = deps;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const outbox = outboxOf(models);

  return {
    async deliverNotification(notificationId: string): Promise<DeliveryResult> {
      const doc = await outbox.findOne({ _id: notificationId });
      if (!doc) return { status: 'missing' };
      const settled = settledResult(doc);
      if (settled) return settled;
      if (doc.attempts >= maxAttempts) {
        await markFailed(outbox, notificationId, doc.lastError ?? `gav upp efter ${doc.attempts} försök`);
        return { status: 'failed', alreadyFailed: false };
      }
      // Nobody else delivers this notification until we are done or the claim expires.
      const result = await whileClaimed(outbox, notificationId, { leaseMs, ...(deps.heartbeat ? { heartbeat: deps.heartbeat } : {}) }, () =>
        // Read again under the claim: the holder before us may have finished meanwhile.
        deliver(deps, outbox, leaseMs, notificationId),
      );
      if (result === 'held-elsewhere') throw new TemporaryDeliveryError('leveransen pågår redan i ett annat försök');
      return result;
    },
  };
}

/** The answer for a notification that is no longer pending, or undefined while it is. */
function settledResult(doc: { status: string; deliveredTo?: string[] }): DeliveryResult | undefined {
  if (doc.status === 'sent') return { status: 'sent', recipients: doc.deliveredTo?.length ?? 0, alreadySent: true };
  if (doc.status === 'failed') return { status: 'failed', alreadyFailed: true };
  if (doc.status === 'skipped') return { status: 'skipped' };
  return undefined;
}

/** Sends the notification to each recipient not yet served, under the caller's claim. */
async function deliver(deps: DeliveryDeps, outbox: Outbox, leaseMs: number, notificationId: string): Promise<DeliveryResult> {
  const { models, mailer, publicUrl, maxAttempts } = deps;
  const doc = await outbox.findOne({ _id: notificationId });
  if (!doc) return { status: 'missing' };
  const settled = settledResult(doc);
  if (settled) return settled;

  const resolved = await resolveRecipients(models, doc);
  if (resolved.length === 0) {
    await markFailed(
      outbox,
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
      const error = clipError(errorText(err));
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
        await markFailed(outbox, notificationId, `${r.email}: ${error} (gav upp efter ${attempts} försök)`);
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
    await markFailed(outbox, notificationId, [...refused].map(([email, error]) => `${email}: ${error}`).join('; '));
    return { status: 'failed', alreadyFailed: false };
  }
  // The status filter keeps a notification that someone marked failed meanwhile failed.
  await outbox.updateOne({ _id: notificationId, status: 'pending' }, { $set: { status: 'sent', sentAt: new Date() } });
  return { status: 'sent', recipients: done.size, alreadySent: false };
}

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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error without the server's reply text, which can hold an address: for the workflow history. */
function smtpSummary(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  return [e.code, e.command, e.responseCode].filter((x) => x !== undefined && x !== false).join(' ') || 'okänt fel';
}
