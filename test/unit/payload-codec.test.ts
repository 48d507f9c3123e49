import { createSecretKey, randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { ENCRYPTED_ENCODING, SealingPayloadCodec } from '../../src/temporal/payload-codec';
import { ORIGIN_METADATA_KEY, isForeign, payloadConverter } from '../../src/workflows/messages/payload-origin';

const newKey = () => createSecretKey(randomBytes(32));
const change = { requestId: 'r-1', actor: { userId: 'demo-johan', name: 'Johan Wikström', roles: ['head-of-administration'] }, command: { type: 'cancel', reason: 'Konfidentiell orsak' } };

describe('the payload codec (AES-256-GCM with the payload key)', () => {
  const codec = new SealingPayloadCodec(newKey());

  it('seals a payload so that neither its value nor its metadata can be read, and opens it again unmarked', async () => {
    const plain = payloadConverter.toPayload(change);
    const [sealed] = await codec.encode([plain]);
    expect(decode(sealed!.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
    const wire = Buffer.from(sealed!.data!).toString('latin1');
    expect(wire).not.toContain('Konfidentiell');
    expect(wire).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed!]);
    expect(opened!.metadata?.[ORIGIN_METADATA_KEY]).toBeUndefined();
    const value = payloadConverter.fromPayload(opened!);
    expect(value).toEqual(change);
    expect(isForeign(value)).toBe(false);
  });

  it('seals the same value differently every time (a fresh IV)', async () => {
    const [a, b] = await codec.encode([payloadConverter.toPayload(change), payloadConverter.toPayload(change)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('reads a payload written without the key (history from before it), marked as foreign', async () => {
    const [opened] = await codec.decode([defaultPayloadConverter.toPayload(change)]);
    const value = payloadConverter.fromPayload(opened!);
    expect(value).toEqual(change);
    expect(isForeign(value)).toBe(true);
  });

  it('marks a plain payload foreign even when its sender claims otherwise, and drops a claim hidden inside a sealed one', async () => {
    const claiming: Payload = { ...defaultPayloadConverter.toPayload(change), metadata: { ...defaultPayloadConverter.toPayload(change).metadata, [ORIGIN_METADATA_KEY]: encode('app') } };
    const [opened] = await codec.decode([claiming]);
    expect(decode(opened!.metadata![ORIGIN_METADATA_KEY]!)).toBe('foreign');
    const [sealedClaim] = await codec.encode([{ ...claiming, metadata: { ...claiming.metadata, [ORIGIN_METADATA_KEY]: encode('foreign') } }]);
    const [openedClaim] = await codec.decode([sealedClaim!]);
    expect(openedClaim!.metadata?.[ORIGIN_METADATA_KEY]).toBeUndefined();
  });

  it('leaves a payload sealed with another key, or altered, sealed and foreign: the converter cannot read it', async () => {
    const [other] = await new SealingPayloadCodec(newKey()).encode([payloadConverter.toPayload(change)]);
    const [sealed] = await codec.encode([payloadConverter.toPayload(change)]);
    const altered = Buffer.from(sealed!.data!);
    altered[altered.length - 1]! ^= 1;
    for (const payload of [other!, { ...sealed!, data: altered }]) {
      const [opened] = await codec.decode([payload]);
      expect(decode(opened!.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
      expect(decode(opened!.metadata![ORIGIN_METADATA_KEY]!)).toBe('foreign');
      expect(() => payloadConverter.fromPayload(opened!)).toThrow(/encoding/i);
    }
  });
});
