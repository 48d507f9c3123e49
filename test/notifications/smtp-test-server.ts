import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  raw: string;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/**
 * A real SMTP server on loopback that keeps what it receives. `replies` makes it answer RCPT
 * TO for an address with an error code (550 permanent, 451 temporary) until changed.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  readonly replies = new Map<string, { code: number; text: string }>();
  /**
   * While true, the server reads a message's DATA but never answers it: a slow server in the
   * middle of the DATA phase. The message counts as received only if answered, so a message
   * whose sender died while held never arrives (as with a real server).
   */
  holdData = false;
  /** Messages whose DATA phase has begun, held or not. */
  dataStarted = 0;
  /** Connections that broke, e.g. a sender killed in the middle of a session. */
  readonly connectionErrors: Error[] = [];
  private server: SMTPServer | undefined;

  async start(port: number): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const reply = this.replies.get(address.address.toLowerCase());
        if (!reply) return callback();
        const err = Object.assign(new Error(reply.text), { responseCode: reply.code });
        callback(err);
      },
      onData: (stream, session, callback) => {
        this.dataStarted++;
        if (this.holdData) {
          stream.resume();
          return;
        }
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelopeTo = session.envelope.rcptTo.map((a) => a.address.toLowerCase());
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({ raw, envelopeTo, parsed });
              callback();
            })
            .catch(callback);
        });
      },
    });
    // smtp-server re-emits a connection's error on the server, where an unheard 'error' would
    // crash the test process: a worker killed mid-send resets its connection (ECONNRESET). A
    // real server notes it and carries on.
    server.on('error', (err: Error) => this.connectionErrors.push(err));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }
}
