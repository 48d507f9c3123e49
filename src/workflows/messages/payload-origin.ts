import { defaultPayloadConverter, type Payload, type PayloadConverter } from '@temporalio/common';
import { decode } from '@temporalio/common/lib/encoding';

/**
 * Where a payload came from, as the worker's payload codec (src/temporal/payload-codec.ts) found
 * it. With a payload key, the app's clients and workers seal every payload (AES-256-GCM); the
 * codec marks each payload it decodes that was not sealed, and any mark that arrives on the wire
 * is dropped first, so the mark cannot be forged or removed by a sender without the key.
 *
 * This module is the workers' payload converter (`payloadConverterPath`), so it runs inside the
 * workflow sandbox: it converts as the SDK's default converter does and remembers, by identity,
 * each value whose payload carried the mark. A workflow's Update validator asks isForeign() of
 * its argument. Without a payload key nothing is marked and nothing is refused (development).
 */

/** The metadata key the codec sets on a payload it decoded that was not sealed with the app's key. */
export const ORIGIN_METADATA_KEY = 'lisplan-origin';
export const FOREIGN_ORIGIN = 'foreign';

// A WeakSet rather than a property on the value: the value stays exactly what was sent, and
// the remembered values go with the activation that converted them.
const foreign = new WeakSet<object>();

/** True when `value` came from a payload that was not sealed with the app's payload key. */
export function isForeign(value: unknown): boolean {
  return typeof value === 'object' && value !== null && foreign.has(value);
}

class OriginAwarePayloadConverter implements PayloadConverter {
  toPayload<T>(value: T, ...rest: unknown[]): Payload {
    return (defaultPayloadConverter.toPayload as (value: T, ...rest: unknown[]) => Payload)(value, ...rest);
  }

  fromPayload<T>(payload: Payload, ...rest: unknown[]): T {
    const value = (defaultPayloadConverter.fromPayload as (payload: Payload, ...rest: unknown[]) => T)(payload, ...rest);
    const origin = payload.metadata?.[ORIGIN_METADATA_KEY];
    if (origin && decode(origin) === FOREIGN_ORIGIN && typeof value === 'object' && value !== null) foreign.add(value);
    return value;
  }
}

export const payloadConverter: PayloadConverter = new OriginAwarePayloadConverter();
