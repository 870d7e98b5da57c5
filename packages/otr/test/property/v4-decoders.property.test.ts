/**
 * wire/v4: any input gives a value or a typed DecodeError, never an
 * exception; every encoding round-trips through its decoder.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFragment, encodeFragment } from '../../src/wire/fragment.js';
import { DecodeError } from '../../src/errors.js';
import {
  decodeAuthIMessage,
  decodeAuthRMessage,
  decodeClientProfile,
  decodeExtraSymmetricKeyUse,
  decodeIdentityMessage,
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  decodeV4DataMessage,
  decodeV4ErrorMessage,
  decodeV4Message,
  encodeClientProfile,
  encodeExtraSymmetricKeyUse,
  encodeSmpMessage1,
  encodeSmpMessage4,
  encodeV4ErrorMessage,
  encodeV4Message,
  type ClientProfile,
  type RingSignature,
  type V4Message,
} from '../../src/wire/v4/index.js';

const fixed = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
/** A minimal MPI magnitude (no leading zero) of at most 384 bytes. */
const mpi = fc.uint8Array({ maxLength: 384 }).map((bytes) => {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
});
const tag = fc.integer({ min: 0x100, max: 0xffffffff });
const receiverTag = fc.oneof(fc.constant(0), tag);
const point = fixed(57);
const scalar = fixed(57);
const sigma: fc.Arbitrary<RingSignature> = fc.record({ c1: scalar, r1: scalar, c2: scalar, r2: scalar, c3: scalar, r3: scalar });

const profile: fc.Arbitrary<ClientProfile> = fc
  .record({
    ownerInstanceTag: tag,
    publicKey: point,
    forgingKey: point,
    versions: fc.stringMatching(/^[\x21-\x7e]{0,16}$/),
    expiration: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    dsa: fc.option(fc.record({ p: mpi, q: mpi, g: mpi, y: mpi }), { nil: undefined }),
    transitionalSignature: fc.option(fixed(40), { nil: undefined }),
    signature: fixed(114),
  })
  .map(({ dsa, transitionalSignature, ...rest }) => ({
    ...rest,
    ...(dsa === undefined ? {} : { dsaPublicKey: dsa }),
    ...(transitionalSignature === undefined ? {} : { transitionalSignature }),
  }));

const message: fc.Arbitrary<V4Message> = fc.oneof(
  fc.record({ profile, ecdh: point, dh: mpi, firstEcdh: point, firstDh: mpi }).map((body) => ({ kind: 'identity' as const, body })),
  fc.record({ profile, ecdh: point, dh: mpi, sigma, firstEcdh: point, firstDh: mpi }).map((body) => ({ kind: 'auth-r' as const, body })),
  sigma.map((s) => ({ kind: 'auth-i' as const, body: { sigma: s } })),
  fc
    .record({
      flags: fc.integer({ min: 0, max: 255 }),
      previousChainLength: fc.integer({ min: 0, max: 0xffffffff }),
      ratchetId: fc.integer({ min: 0, max: 0xffffffff }),
      messageId: fc.integer({ min: 0, max: 0xffffffff }),
      ecdh: point,
      dh: fc.option(mpi.filter((m) => m.length > 0), { nil: undefined }),
      encryptedMessage: fc.uint8Array({ maxLength: 300 }),
      authenticator: fixed(64),
      revealedMacKeys: fc.uint8Array({ maxLength: 200 }),
    })
    .map((body) => ({ kind: 'data' as const, body })),
);

/** Drops what decoders add (the profile's received bytes, the MAC extent) for comparison. */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'encoded' || key === 'macCoveredLength' || key === 'macInput' ? undefined : typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
}

describe('wire/v4 decoders never throw', () => {
  const decoders: [string, (bytes: Uint8Array) => unknown][] = [
    ['message', decodeV4Message],
    ['client profile', decodeClientProfile],
    ['identity', decodeIdentityMessage],
    ['auth-r', decodeAuthRMessage],
    ['auth-i', decodeAuthIMessage],
    ['data', decodeV4DataMessage],
    ['smp1', decodeSmpMessage1],
    ['smp2', decodeSmpMessage2],
    ['smp3', decodeSmpMessage3],
    ['smp4', decodeSmpMessage4],
    ['extra key', decodeExtraSymmetricKeyUse],
  ];
  for (const [name, decode] of decoders) {
    it(`${name}: any bytes give a value or a DecodeError`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = decode(bytes);
        expect(typeof result).toBe('object');
      }));
    });
  }

  it('mutated valid messages give a value or a DecodeError', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (m, at, byte, cut) => {
        const bytes = encodeV4Message({ senderTag: 0x100, receiverTag: 0 }, m);
        bytes[at % bytes.length] = byte;
        expect(typeof decodeV4Message(bytes)).toBe('object');
        expect(typeof decodeV4Message(bytes.subarray(0, cut % (bytes.length + 1)))).toBe('object');
      }),
      { numRuns: 200 },
    );
  });

  it('text decoders: any text gives a value, undefined or a DecodeError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      expect(typeof decodeFragment(text)).toBe('object');
      const error = decodeV4ErrorMessage(text);
      expect(error === undefined || typeof error.text === 'string').toBe(true);
      expect(typeof decodeFragment(`?OTR|${text}`)).toBe('object');
    }));
  });
});

describe('wire/v4 encodings round-trip', () => {
  it('client profile', () => {
    fc.assert(fc.property(profile, (p) => {
      const bytes = encodeClientProfile(p);
      const decoded = decodeClientProfile(bytes);
      if (decoded instanceof DecodeError) throw new Error(decoded.detail);
      expect(comparable(decoded)).toEqual(comparable(p));
      expect(Buffer.from(decoded.encoded).equals(Buffer.from(bytes))).toBe(true);
    }), { numRuns: 200 });
  });

  it('whole messages with their route', () => {
    fc.assert(fc.property(tag, receiverTag, message, (senderTag, to, m) => {
      const decoded = decodeV4Message(encodeV4Message({ senderTag, receiverTag: to }, m));
      if (decoded instanceof DecodeError) throw new Error(decoded.detail);
      expect([decoded.senderTag, decoded.receiverTag, decoded.kind]).toEqual([senderTag, to, m.kind]);
      expect(comparable(decoded.body)).toEqual(comparable(m.body));
    }), { numRuns: 200 });
  });

  it('SMP values, the extra key TLV, fragments and error messages', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), point, scalar, scalar, (question, p, c, d) => {
      const smp1 = { question, g2a: p, c2: c, d2: d, g3a: p, c3: c, d3: d };
      expect(comparable(decodeSmpMessage1(encodeSmpMessage1(smp1)))).toEqual(comparable(smp1));
      const smp4 = { rb: p, cr: c, d7: d };
      expect(comparable(decodeSmpMessage4(encodeSmpMessage4(smp4)))).toEqual(comparable(smp4));
    }), { numRuns: 50 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 50 }), (context, data) => {
      expect(comparable(decodeExtraSymmetricKeyUse(encodeExtraSymmetricKeyUse({ context, data })))).toEqual(comparable({ context, data }));
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), tag, receiverTag, fc.integer({ min: 1, max: 65535 }), fc.stringMatching(/^[A-Za-z0-9+/=?:.]{1,50}$/), (identifier, senderTag, to, count, piece) => {
      const fragment = { version: 4 as const, identifier, senderTag, receiverTag: to, index: 1 + (identifier % count), count, piece };
      expect(decodeFragment(encodeFragment(fragment))).toEqual(fragment);
    }));
    for (const code of ['ERROR_1', 'ERROR_2', 'ERROR_3'] as const) expect(decodeV4ErrorMessage(encodeV4ErrorMessage(code, 'x'))).toEqual({ code, text: 'x' });
  });
});
