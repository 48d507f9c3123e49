import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** The sender, e.g. `"lisplan" <lisplan@stad.example.se>`. */
  from: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<…@…>`: the same for a resend of the same notification, see notificationMessageId. */
  messageId: string;
}

export interface Mailer {
  /** Resolves once the server accepted the message; rejects with nodemailer's error otherwise. */
  send(msg: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * Sends email over SMTP, one connection per message (no pool to go stale while the SMTP
 * server restarts). Timeouts are short enough that an unreachable server fails the delivery
 * activity well within its start-to-close timeout, so that Temporal retries it.
 */
export function createMailer(smtp: SmtpSettings): Mailer {
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure ?? false,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(msg) {
      await transport.sendMail({
        from: smtp.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        messageId: msg.messageId,
        headers: {
          // RFC 3834: an automatic message; out-of-office replies should not answer it.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
      });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The Message-ID of one notification to one recipient: a resend after a crash carries the
 * same id (mail systems and clients that deduplicate on it show it once), while two people
 * getting the same notification get two messages with ids of their own, as RFC 5322 wants.
 */
export function notificationMessageId(notificationId: string, recipient: string, domain = 'lisplan'): string {
  const hash = createHash('sha256').update(`${notificationId}\n${recipient.trim().toLowerCase()}`).digest('hex').slice(0, 40);
  return `<${hash}@${domain}>`;
}

interface SmtpError {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/**
 * True when the server refused this message or this address for good (a 5xx reply to RCPT
 * TO or DATA, or an address nodemailer cannot even put in an envelope): sending the same
 * message again gets the same answer. False for everything worth retrying: connection
 * refused or lost, timeouts, TLS trouble, 4xx replies, 503 (out-of-sequence, RFC 5321 says
 * nothing about the message), and 5xx to AUTH or MAIL FROM, which say the server setup is
 * wrong rather than the address (they are retried until maxAttempts and then reported).
 */
export function isPermanentSmtpFailure(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, responseCode, command } = err as SmtpError;
  if (code === 'EENVELOPE' && command === 'API') return true; // e.g. an unparsable address
  if (typeof responseCode !== 'number' || responseCode < 500 || responseCode > 599 || responseCode === 503) return false;
  if (code === 'EAUTH' || code === 'ENOAUTH' || command === 'MAIL FROM') return false;
  return command === 'RCPT TO' || command === 'DATA';
}
