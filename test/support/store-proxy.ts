import net from 'node:net';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

const { BSON } = mongoose.mongo;

/**
 * A TCP proxy between the app and the real store that speaks just enough of the MongoDB wire
 * protocol to break the store's answers on purpose, the way a store under load was seen to
 * break them: an error reply, a reply without its cursor (`BSON element "cursor" is missing`),
 * bytes that are no BSON, a dropped connection, user documents without their memberships.
 * The connection's own commands (handshake, authentication, monitoring) always pass, so the
 * driver keeps the server selected and each request meets the fault at once.
 */
export type StoreFault = 'pass' | 'error-reply' | 'no-cursor' | 'garbage' | 'drop' | 'strip-documents';

const OP_MSG = 2013;
const HEADER = 16;
const CONNECTION_COMMANDS = new Set(['hello', 'ismaster', 'ping', 'buildinfo', 'saslstart', 'saslcontinue', 'getnonce', 'endsessions', 'getparameter']);

export interface StoreProxy {
  uri: string;
  /** The fault from now on; `collections`, when given, limits it to commands on those collections. */
  set(fault: StoreFault, opts?: { collections?: string[]; except?: string[] }): void;
  /** Replies changed (or connections dropped) since the last `set`. */
  readonly injected: number;
  close(): Promise<void>;
}

export async function startStoreProxy(upstreamUri: string): Promise<StoreProxy> {
  const upstream = new URL(upstreamUri);
  let fault: StoreFault = 'pass';
  let only: Set<string> | undefined;
  let except = new Set<string>();
  let injected = 0;
  const sockets = new Set<net.Socket>();

  const applies = (command: Command | undefined) => {
    if (fault === 'pass' || !command || CONNECTION_COMMANDS.has(command.name.toLowerCase())) return false;
    if (only && !only.has(command.collection)) return false;
    return !except.has(command.collection);
  };

  const server = net.createServer((client) => {
    const store = net.connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(store);
    const pending = new Map<number, Command>();
    const close = () => {
      client.destroy();
      store.destroy();
      sockets.delete(client);
      sockets.delete(store);
    };
    client.on('error', close).on('close', close);
    store.on('error', close).on('close', close);

    frames(client, (msg) => {
      const command = commandOf(msg);
      if (command) pending.set(msg.readInt32LE(4), command);
      if (fault === 'drop' && applies(command)) {
        injected++;
        close();
        return;
      }
      store.write(msg);
    });
    frames(store, (msg) => {
      const command = pending.get(msg.readInt32LE(8));
      pending.delete(msg.readInt32LE(8));
      if (msg.readInt32LE(12) !== OP_MSG || !applies(command) || (fault === 'strip-documents' && command!.collection !== 'users')) {
        client.write(msg);
        return;
      }
      injected++;
      client.write(broken(msg, fault));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const uri = new URL(upstreamUri);
  uri.host = `127.0.0.1:${port}`;

  return {
    uri: uri.toString(),
    set(next, opts = {}) {
      fault = next;
      only = opts.collections ? new Set(opts.collections) : undefined;
      except = new Set(opts.except ?? []);
      injected = 0;
    },
    get injected() {
      return injected;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

interface Command {
  name: string;
  collection: string;
}

/** Calls `onMessage` with each whole wire message read from `socket`. */
function frames(socket: net.Socket, onMessage: (msg: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
      const length = buffered.readInt32LE(0);
      onMessage(buffered.subarray(0, length));
      buffered = buffered.subarray(length);
    }
  });
}

/** The command of an OP_MSG request: its first key, and the collection it names. */
function commandOf(msg: Buffer): Command | undefined {
  if (msg.readInt32LE(12) !== OP_MSG || msg[HEADER + 4] !== 0) return undefined;
  const body = bodyOf(msg);
  const name = Object.keys(body)[0];
  return name ? { name, collection: typeof body[name] === 'string' ? body[name] : '' } : undefined;
}

function bodyOf(msg: Buffer): Record<string, unknown> {
  const start = HEADER + 5;
  return BSON.deserialize(msg.subarray(start, start + msg.readInt32LE(start)));
}

/** The reply, broken as `fault` says, in a frame that is still a well-formed message. */
function broken(reply: Buffer, fault: StoreFault): Buffer {
  const header = Buffer.from(reply.subarray(0, HEADER + 5));
  header.writeInt32LE(0, HEADER); // no checksum
  let body: Buffer;
  if (fault === 'error-reply') body = Buffer.from(BSON.serialize({ ok: 0, errmsg: 'injected store fault', code: 1, codeName: 'InternalError' }));
  else if (fault === 'no-cursor') body = Buffer.from(BSON.serialize({ ok: 1 }));
  else if (fault === 'strip-documents') body = Buffer.from(BSON.serialize(stripped(bodyOf(reply))));
  else {
    // A length prefix that promises more than follows, then noise: not BSON.
    const noise = randomBytes(48);
    noise.writeInt32LE(4096, 0);
    body = noise;
  }
  const msg = Buffer.concat([header, body]);
  msg.writeInt32LE(msg.length, 0);
  return msg;
}

/** A find's reply with each document cut down to its _id. */
function stripped(reply: Record<string, unknown>): Record<string, unknown> {
  const cursor = reply.cursor as { firstBatch?: { _id: unknown }[]; nextBatch?: { _id: unknown }[] } | undefined;
  if (!cursor) return reply;
  const cut = (docs?: { _id: unknown }[]) => docs?.map((d) => ({ _id: d._id }));
  return { ...reply, cursor: { ...cursor, ...(cursor.firstBatch ? { firstBatch: cut(cursor.firstBatch) } : {}), ...(cursor.nextBatch ? { nextBatch: cut(cursor.nextBatch) } : {}) } };
}
