/**
 * Every decoder: any input gives a value or a typed DecodeError, never an
 * exception; every encoding round-trips through its decoder.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.js';
import {
  classifyIncoming,
  decodeBase64,
  decodeCommittedGx,
  decodeDataMessage,
  decodeDataPayload,
  decodeDhCommit,
  decodeDhKey,
  decodeEncoded,
  decodeErrorMessage,
  decodeExtraKeyUse,
  decodeFragment,
  decodeHeader,
  decodeOtrBody,
  decodeOtrMessage,
  decodePublicKey,
  decodeRevealSignature,
  decodeSignature,
  decodeSignatureMacInput,
  decodeSignaturePayload,
  decodeSmpPayload,
  decodeTlvs,
  decodeTlvsPrefix,
  encodeBase64,
  encodeDataPayload,
  encodeEncoded,
  encodeErrorMessage,
  encodeExtraKeyUse,
  encodeFragment,
  encodeFragments,
  encodeHeader,
  encodeOtrMessage,
  encodePublicKey,
  encodeQueryMessage,
  encodeSignatureMacInput,
  encodeSignaturePayload,
  encodeSmpPayload,
  encodeTlvs,
  encodeWhitespaceTag,
  findQuery,
  parseQuery,
  parseWhitespaceTag,
  splitSmpQuestion,
  type AkeMessage,
  type OtrMessage,
  type Route,
} from '../../src/wire/index.js';

const runs = { numRuns: 500 };
const bytes = fc.uint8Array({ maxLength: 600 });
const isValueOrError = (value: unknown): boolean => value instanceof DecodeError || (value !== undefined && value !== null);

const byteDecoders: [string, (input: Uint8Array) => unknown][] = [
  ['header', decodeHeader],
  ['dh-commit', decodeDhCommit],
  ['committed g^x', decodeCommittedGx],
  ['dh-key', decodeDhKey],
  ['reveal-signature', decodeRevealSignature],
  ['signature', decodeSignature],
  ['data', decodeDataMessage],
  ['public key', decodePublicKey],
  ['signature payload', decodeSignaturePayload],
  ['signature MAC input', decodeSignatureMacInput],
  ['tlvs', decodeTlvs],
  ['tlvs prefix', decodeTlvsPrefix],
  ['extra key use', decodeExtraKeyUse],
  ['data payload', decodeDataPayload],
  ['smp payload', (input) => decodeSmpPayload(input, 6)],
  ['smp question', splitSmpQuestion],
  ['whole message', decodeOtrMessage],
];

/** Arbitrary bytes, and bytes that start like a v2 or v3 message of each type. */
const messageLike = fc.oneof(
  bytes,
  fc
    .tuple(fc.constantFrom(2, 3), fc.constantFrom(0x02, 0x03, 0x0a, 0x11, 0x12, 0x00), fc.uint8Array({ minLength: 8, maxLength: 8 }), bytes)
    .map(([version, type, tags, rest]) => Uint8Array.of(0, version, type, ...(version === 3 ? tags : []), ...rest)),
);

describe('decoders never throw on arbitrary bytes', () => {
  for (const [name, decode] of byteDecoders) {
    it(name, () => {
      fc.assert(fc.property(messageLike, (input) => isValueOrError(decode(input))), runs);
    });
  }
});

describe('text decoders never throw on arbitrary strings', () => {
  const piece = fc.string({ maxLength: 60 });
  const texts = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.string({ maxLength: 400, unit: 'binary' }),
    piece.map((s) => `?OTR${s}`),
    piece.map((s) => `?OTR|${s}`),
    piece.map((s) => `?OTR,${s}`),
    fc.tuple(fc.nat(70000), fc.nat(70000), piece).map(([k, n, s]) => `?OTR,${k},${n},${s},`),
    fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(70000), fc.nat(70000), piece).map(([a, b, k, n, s]) => `?OTR|${a.toString(16)}|${b.toString(16)},${k},${n},${s},`),
    fc
      .tuple(fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(70000), fc.nat(70000), piece)
      .map(([i, a, b, k, n, s]) => `?OTR|${i.toString(16)}|${a.toString(16)}|${b.toString(16)},${k},${n},${s},`),
    fc.base64String({ maxLength: 200 }).map((s) => `?OTR:${s}.`),
    fc.tuple(piece, fc.base64String({ maxLength: 200 }), piece).map(([a, s, b]) => `${a}?OTR:${s}.${b}`),
    piece.map((s) => `?OTR Error:${s}`),
  );
  for (const [name, decode] of [
    ['classify', classifyIncoming],
    ['base64', decodeBase64],
    ['envelope', decodeEncoded],
    ['fragment', decodeFragment],
    ['query', (text: string) => findQuery(text) ?? 'none'],
    ['error message', (text: string) => decodeErrorMessage(text) ?? 'none'],
    ['whitespace tag', parseWhitespaceTag],
  ] as [string, (input: string) => unknown][]) {
    it(name, () => {
      fc.assert(fc.property(texts, (input) => isValueOrError(decode(input))), runs);
    });
  }
});

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const senderTag = fc.integer({ min: 0x100, max: 0xffffffff });
const receiverTag = fc.oneof(fc.constant(0), senderTag);
const route: fc.Arbitrary<Route> = fc.oneof(
  fc.record({ version: fc.constant(3 as const), senderTag, receiverTag }),
  fc.constant({ version: 2 as const, senderTag: 0, receiverTag: 0 }),
);
const fixed = (length: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: length, maxLength: length });
/** A minimal MPI magnitude (no leading zero byte), possibly empty (zero). */
const mpiBody = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max }).map((b) => (b[0] === 0 ? b.subarray(1) : b)).filter((b) => b[0] !== 0);
const publicKey = fc.record({ p: mpiBody(128), q: mpiBody(20).filter((q) => q.length > 0), g: mpiBody(128), y: mpiBody(128) });

/** An AKE message in `route`'s version. */
const akeIn = <B,>(type: AkeMessage['type'], body: fc.Arbitrary<B>): fc.Arbitrary<OtrMessage> =>
  fc.tuple(route, body).map(([r, b]) => ({ ...r, type: 'ake', ake: { type, version: r.version, body: b } }) as OtrMessage);

const binaryMessage: fc.Arbitrary<OtrMessage> = fc.oneof(
  akeIn('dh-commit', fc.record({ encryptedGx: fc.uint8Array({ maxLength: 196 }), hashedGx: fixed(32) })),
  akeIn('dh-key', fc.record({ gy: mpiBody(192) })),
  akeIn('reveal-signature', fc.record({ revealedKey: fixed(16), encryptedSignature: fc.uint8Array({ maxLength: 500 }), mac: fixed(20) })),
  akeIn('signature', fc.record({ encryptedSignature: fc.uint8Array({ maxLength: 500 }), mac: fixed(20) })),
  fc.tuple(
    route,
    fc.record({
      flags: fc.integer({ min: 0, max: 255 }),
      senderKeyId: u32,
      recipientKeyId: u32,
      nextDh: mpiBody(192),
      counter: fixed(8),
      encryptedMessage: fc.uint8Array({ maxLength: 300 }),
      mac: fixed(20),
      oldMacKeys: fc.uint8Array({ maxLength: 100 }),
    }),
  ).map(([r, data]): OtrMessage => ({ ...r, type: 'data', data })),
);

describe('round trips', () => {
  it('header (tags up to 0xffffffff stay unsigned)', () => {
    fc.assert(
      fc.property(route, fc.integer({ min: 0, max: 255 }), (r, type) => {
        expect(decodeHeader(encodeHeader({ ...r, type }))).toEqual({ ...r, type, bodyOffset: r.version === 3 ? 11 : 3 });
      }),
      runs,
    );
  });

  it('every binary message, through the armour', () => {
    fc.assert(
      fc.property(binaryMessage, (message) => {
        const bytes = encodeOtrMessage(message);
        const text = encodeEncoded(bytes);
        const decoded = decodeOtrMessage(decodeEncoded(text) as Uint8Array);
        if (decoded instanceof DecodeError) throw new Error(decoded.detail);
        if (decoded.type === 'data') {
          const { version, macInput, ...data } = decoded.data;
          expect({ ...decoded, data }).toEqual(message);
          expect(version).toBe(message.version);
          expect(macInput).toEqual(bytes.subarray(0, bytes.length - 20 - 4 - data.oldMacKeys.length));
        } else {
          expect(decoded).toEqual(message);
        }
        const incoming = classifyIncoming(text);
        expect(incoming).toMatchObject({ kind: 'encoded', header: { version: message.version, senderTag: message.senderTag } });
        if (incoming.kind === 'encoded') expect(decodeOtrBody(incoming.header, incoming.bytes)).toEqual(decoded);
      }),
      runs,
    );
  });

  it('public key, signature payload and its MAC input', () => {
    fc.assert(
      fc.property(publicKey, u32, mpiBody(192), mpiBody(192), fc.uint8Array({ maxLength: 40 }), (key, keyId, ownDh, otherDh, seed) => {
        expect(decodePublicKey(encodePublicKey(key))).toEqual(key);
        const signature = Uint8Array.from({ length: 2 * key.q.length }, (_, i) => seed[i % Math.max(seed.length, 1)] ?? i);
        expect(decodeSignaturePayload(encodeSignaturePayload({ publicKey: key, keyId, signature }))).toEqual({ publicKey: key, keyId, signature });
        expect(decodeSignatureMacInput(encodeSignatureMacInput({ ownDh, otherDh, publicKey: key, keyId }))).toEqual({ ownDh, otherDh, publicKey: key, keyId });
      }),
      runs,
    );
  });

  it('TLVs, extra key use and payload', () => {
    const tlv = fc.record({ type: fc.integer({ min: 0, max: 0xffff }), value: fc.uint8Array({ maxLength: 100 }) });
    fc.assert(
      fc.property(fc.array(tlv, { maxLength: 5 }), fc.string({ maxLength: 50 }).filter((s) => !s.includes('\0')), u32, fc.uint8Array({ maxLength: 30 }), (tlvs, text, use, useData) => {
        expect(decodeTlvs(encodeTlvs(tlvs))).toEqual(tlvs);
        expect(decodeExtraKeyUse(encodeExtraKeyUse({ use, useData }))).toEqual({ use, useData });
        const message = new TextEncoder().encode(text);
        expect(decodeDataPayload(encodeDataPayload(message, tlvs))).toEqual({ message, tlvs, malformedTlvs: false });
      }),
      runs,
    );
  });

  it('SMP payload', () => {
    fc.assert(fc.property(fc.array(mpiBody(192).filter((b) => b.length > 0), { minLength: 1, maxLength: 11 }), (values) => {
      expect(decodeSmpPayload(encodeSmpPayload(values), values.length)).toEqual(values);
    }), runs);
  });

  it('base64 and envelope', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(decodeBase64(encodeBase64(data))).toEqual(data);
        const armoured = decodeEncoded(encodeEncoded(data));
        if (data.length === 0) expect(armoured).toBeInstanceOf(DecodeError);
        else expect(armoured).toEqual(data);
      }),
      runs,
    );
  });

  it('fragments (v2, v3 and v4 with its identifier) decode to the message and respect the size', () => {
    const fragmentRoute = fc.oneof(
      route.map((r) => ({ ...r, identifier: undefined })),
      fc.record({ version: fc.constant(4 as const), senderTag, receiverTag, identifier: u32 }),
    );
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 2000 }).map((s) => s.replaceAll(',', '')).filter((s) => s.length > 0),
        fc.integer({ min: 46, max: 500 }),
        fragmentRoute,
        (message, size, r) => {
          const fragments = encodeFragments(message, size, r.version, r.senderTag, r.receiverTag, r.identifier);
          const pieces = fragments.map((text) => {
            expect(text.length).toBeLessThanOrEqual(size);
            const fragment = decodeFragment(text);
            if (fragment instanceof DecodeError) throw new Error(fragment.detail);
            expect(fragment.count).toBe(fragments.length);
            expect([fragment.version, fragment.senderTag, fragment.receiverTag]).toEqual([r.version, r.senderTag, r.receiverTag]);
            expect(fragment.version === 4 ? fragment.identifier : undefined).toBe(r.identifier);
            expect(encodeFragment(fragment)).toBe(text);
            return fragment.piece;
          });
          expect(pieces.join('')).toBe(message);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('query, whitespace tag and error offers', () => {
    fc.assert(
      fc.property(fc.subarray([2, 3], { minLength: 1 }), fc.string({ maxLength: 40 }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (versions, text, name) => {
        expect([...(parseQuery(encodeQueryMessage(versions, name)) ?? [])].sort()).toEqual([...versions].sort());
        const clean = text.replaceAll('\t', '').replaceAll(' ', '');
        const tagged = parseWhitespaceTag(clean + encodeWhitespaceTag(versions));
        expect(tagged.text).toBe(clean);
        expect([...(tagged.versions ?? [])].sort()).toEqual([...versions].sort());
        expect(decodeErrorMessage(encodeErrorMessage(clean))?.text).toBe(clean.trim());
      }),
      runs,
    );
  });
});
