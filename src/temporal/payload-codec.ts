import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';
import { FOREIGN_ORIGIN, ORIGIN_METADATA_KEY } from '../workflows/messages/payload-origin';

/**
 * Seals every payload lisplan sends to Temporal with the app's payload key (TEMPORAL_PAYLOAD_KEY):
 * AES-256-GCM over the whole serialised payload (its metadata included), a fresh 96-bit IV each
 * time. Temporal's history and Web UI then hold ciphertext only, confidential activities included,
 * and the GCM tag proves on the way back that the payload was written by a holder of the key.
 *
 * Decoding keeps what was written before the key (the recorded histories, workflows started
 * unencrypted) readable: such a payload passes through, marked as foreign (payload-origin.ts) so
 * a workflow can refuse it where it must, e.g. an Update with an actor nobody authenticated.
 * Decoding is deterministic (no clock, no randomness), as replay needs.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const CIPHER = 'aes-256-gcm';
const CIPHER_NAME = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealingPayloadCodec implements PayloadCodec {
  constructor(private readonly key: KeyObject) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.seal(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.open(payload)));
  }

  private seal(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, iv);
    const sealed = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: encode(ENCRYPTED_ENCODING), 'encryption-cipher': encode(CIPHER_NAME) },
      data: Buffer.concat([iv, cipher.getAuthTag(), sealed]),
    };
  }

  private open(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || decode(encoding) !== ENCRYPTED_ENCODING) return markForeign(payload);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    try {
      const decipher = createDecipheriv(CIPHER, this.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return withoutOrigin(temporal.api.common.v1.Payload.decode(plain));
    } catch {
      // Sealed with another key, or altered. Throwing here would fail the whole workflow task
      // and retry it for ever; left sealed and marked, the payload converter cannot read it,
      // which refuses an Update that carries it and names the encoding anywhere else.
      return markForeign(payload);
    }
  }
}

/** The payload with the foreign mark, whatever origin mark it arrived with. */
function markForeign(payload: Payload): Payload {
  return { ...payload, metadata: { ...payload.metadata, [ORIGIN_METADATA_KEY]: encode(FOREIGN_ORIGIN) } };
}

/** A payload as sealed by the app; an origin mark inside it is not the codec's, so it goes. */
function withoutOrigin(payload: temporal.api.common.v1.IPayload): Payload {
  const metadata = { ...payload.metadata };
  delete metadata[ORIGIN_METADATA_KEY];
  return { metadata, data: payload.data ?? new Uint8Array() };
}
