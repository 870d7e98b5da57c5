/** Every decoder: any input gives a value or a typed DecodeError, never an exception; encodings round-trip. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.js';
import {
  classifyIncoming,
  decodeBase64,
  decodeDataMessage,
  decodeDataPayload,
  decodeDhCommit,
  decodeDhKey,
  decodeEncoded,
  decodeFragment,
  decodeHeader,
  decodeRevealSignature,
  decodeSignature,
  decodeSignedKey,
  decodeSmpPayload,
  decodeTlvs,
  encodeBase64,
  encodeDataMessageParts,
  encodeDataPayload,
  encodeDhCommit,
  encodeDhKey,
  encodeEncoded,
  encodeFragments,
  encodeHeader,
  encodeQueryMessage,
  encodeRevealSignature,
  encodeSignature,
  encodeSmpPayload,
  encodeTlvs,
  encodeWhitespaceTag,
  parseQuery,
  parseWhitespaceTag,
  splitSmpQuestion,
} from '../../src/wire/index.js';
import { decodeOtrMessage } from '../../src/session/codec.js';

const runs = { numRuns: 500 };
const bytes = fc.uint8Array({ maxLength: 600 });
const isValueOrError = (value: unknown): boolean => value instanceof DecodeError || (value !== undefined && value !== null);

const byteDecoders: [string, (input: Uint8Array) => unknown][] = [
  ['header', decodeHeader],
  ['dh-commit', decodeDhCommit],
  ['dh-key', decodeDhKey],
  ['reveal-signature', decodeRevealSignature],
  ['signature', decodeSignature],
  ['data', decodeDataMessage],
  ['signed key', decodeSignedKey],
  ['tlvs', decodeTlvs],
  ['data payload', decodeDataPayload],
  ['smp payload', (input) => decodeSmpPayload(input, 6)],
  ['smp question', splitSmpQuestion],
  ['whole message', decodeOtrMessage],
];

describe('decoders never throw on arbitrary bytes', () => {
  for (const [name, decode] of byteDecoders) {
    it(name, () => {
      fc.assert(fc.property(bytes, (input) => isValueOrError(decode(input))), runs);
    });
  }
});

describe('text decoders never throw on arbitrary strings', () => {
  const texts = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ maxLength: 400 }).map((s) => `?OTR${s}`), fc.string({ maxLength: 200 }).map((s) => `?OTR|${s}`), fc.string().map((s) => `?OTR:${s}.`));
  for (const [name, decode] of [
    ['classify', classifyIncoming],
    ['base64', decodeBase64],
    ['envelope', decodeEncoded],
    ['fragment', decodeFragment],
    ['query', (text: string) => parseQuery(text) ?? 'none'],
    ['whitespace tag', parseWhitespaceTag],
  ] as [string, (input: string) => unknown][]) {
    it(name, () => {
      fc.assert(fc.property(texts, (input) => isValueOrError(decode(input))), runs);
    });
  }
});

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const mpiBody = fc.uint8Array({ minLength: 1, maxLength: 192 }).map((b) => (b[0] === 0 ? Uint8Array.of(1, ...b.subarray(1)) : b));

describe('round trips', () => {
  it('header', () => {
    fc.assert(
      fc.property(fc.constantFrom(2 as const, 3 as const), fc.integer({ min: 0, max: 255 }), u32, u32, (version, type, senderTag, receiverTag) => {
        const decoded = decodeHeader(encodeHeader({ version, type, senderTag, receiverTag }));
        expect(decoded).toEqual({ version, type, senderTag: version === 3 ? senderTag : 0, receiverTag: version === 3 ? receiverTag : 0, bodyOffset: version === 3 ? 11 : 3 });
      }),
      runs,
    );
  });

  it('AKE bodies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 196 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), mpiBody, fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 20, maxLength: 20 }), (encryptedGx, hashedGx, gy, revealedKey, encryptedSignature, mac) => {
        expect(decodeDhCommit(encodeDhCommit({ encryptedGx, hashedGx }))).toEqual({ encryptedGx, hashedGx });
        expect(decodeDhKey(encodeDhKey({ gy }))).toEqual({ gy });
        expect(decodeRevealSignature(encodeRevealSignature({ revealedKey, encryptedSignature, mac }))).toEqual({ revealedKey, encryptedSignature, mac });
        expect(decodeSignature(encodeSignature({ encryptedSignature, mac }))).toEqual({ encryptedSignature, mac });
      }),
      runs,
    );
  });

  it('data message', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), u32, u32, mpiBody, fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 5 }), (flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage, keys) => {
        const oldMacKeys = new Uint8Array(20 * keys).fill(7);
        const { covered, trailer } = encodeDataMessageParts({ flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage }, oldMacKeys);
        const mac = new Uint8Array(20).fill(9);
        const decoded = decodeDataMessage(Uint8Array.from([...covered, ...mac, ...trailer]));
        expect(decoded).toEqual({ flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage, mac, oldMacKeys, macCoveredLength: covered.length });
      }),
      runs,
    );
  });

  it('TLVs and payload', () => {
    const tlv = fc.record({ type: fc.integer({ min: 0, max: 0xffff }), value: fc.uint8Array({ maxLength: 100 }) });
    fc.assert(
      fc.property(fc.array(tlv, { maxLength: 5 }), fc.string({ maxLength: 50 }).filter((s) => !s.includes('\0')), (tlvs, text) => {
        expect(decodeTlvs(encodeTlvs(tlvs))).toEqual(tlvs);
        const message = new TextEncoder().encode(text);
        const payload = decodeDataPayload(encodeDataPayload(message, tlvs));
        expect(payload.message).toEqual(message);
        expect(payload.tlvs).toEqual(tlvs);
      }),
      runs,
    );
  });

  it('SMP payload', () => {
    fc.assert(fc.property(fc.array(mpiBody, { minLength: 1, maxLength: 11 }), (values) => {
      expect(decodeSmpPayload(encodeSmpPayload(values), values.length)).toEqual(values);
    }), runs);
  });

  it('base64 and envelope', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3, maxLength: 300 }), (data) => {
        expect(decodeBase64(encodeBase64(data))).toEqual(data);
        expect(decodeEncoded(encodeEncoded(data))).toEqual(data);
      }),
      runs,
    );
  });

  it('fragments reassemble to the message and respect the size', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 2000 }).map((s) => s.replaceAll(',', '')).filter((s) => s.length > 0), fc.integer({ min: 64, max: 500 }), u32, u32, fc.constantFrom(2 as const, 3 as const), (message, size, senderTag, receiverTag, version) => {
        const fragments = encodeFragments(message, size, version, senderTag, receiverTag)!;
        const pieces = fragments.map((text) => {
          expect(text.length).toBeLessThanOrEqual(size);
          const fragment = decodeFragment(text);
          if (fragment instanceof DecodeError) throw new Error(fragment.detail);
          expect(fragment.count).toBe(fragments.length);
          if (version === 3) expect([fragment.senderTag, fragment.receiverTag]).toEqual([senderTag, receiverTag]);
          return fragment.piece;
        });
        expect(pieces.join('')).toBe(message);
      }),
      { numRuns: 200 },
    );
  });

  it('query and whitespace tag offers', () => {
    fc.assert(
      fc.property(fc.subarray([2, 3], { minLength: 1 }), fc.string({ maxLength: 40 }), (versions, text) => {
        expect([...(parseQuery(encodeQueryMessage(versions)) ?? [])].sort()).toEqual([...versions].sort());
        const clean = text.replaceAll('\t', '').replaceAll(' ', '');
        const tagged = parseWhitespaceTag(clean + encodeWhitespaceTag(versions));
        expect(tagged.text).toBe(clean);
        expect([...(tagged.versions ?? [])].sort()).toEqual([...versions].sort());
      }),
      runs,
    );
  });
});
