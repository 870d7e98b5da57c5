/**
 * The ring signature ("Ring Signature Authentication"): no public vector
 * exists, so these check the spec's algebra and internal consistency: a
 * signature from each of the three positions verifies, c = c1 + c2 + c3,
 * and every alteration (c or r, message, keys, order, out-of-range scalars,
 * bad points) fails. Also the counted scalar multiplications.
 */
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../../src/crypto/random.js';
import { RING_SIGNATURE_MESSAGE_AS_DATA } from '../../../../src/crypto/v4/ring-signature.js';
import { ORDER_BYTES } from '../../../../src/crypto/v4/scalar.js';
import {
  decodePoint,
  decodeRingSignature,
  Ed448KeyPair,
  Ed448Point,
  ed448OperationCounts,
  encodeRingSignature,
  hashToScalar,
  isCryptoRejection,
  multiplyBase,
  multiplyPointPublic,
  resetEd448OperationCounts,
  RING_SIGNATURE_BYTES,
  ringSign,
  ringVerify,
  scalarAdd,
  USAGE,
  type CryptoRejection,
  type Ring,
  type RingSignature,
} from '../../../../src/crypto/v4/index.js';
import { UsageError } from '../../../../src/errors.js';
import { fromLe, hex, le, Q } from './helpers.js';

const keys = ['A1', 'A2', 'A3'].map((name) => Ed448KeyPair.generate(deterministicRandom(`ring-${name}`))) as [Ed448KeyPair, Ed448KeyPair, Ed448KeyPair];
const ring: Ring = [keys[0].publicKey, keys[1].publicKey, keys[2].publicKey];
const message = new TextEncoder().encode('the DAKE transcript t');
const random = deterministicRandom('ring-randoms');
const sigmas = keys.map((key) => ringSign(random, key, ring, message));
const names = ['c1', 'r1', 'c2', 'r2', 'c3', 'r3'] as const;

function altered(sigma: RingSignature, field: (typeof names)[number]): RingSignature {
  const value = Uint8Array.from(sigma[field]);
  value[0]! ^= 0x01;
  return { ...sigma, [field]: value };
}

describe('ring signature: sign and verify', () => {
  it.each([0, 1, 2])('a signature made with the key at position %i verifies', (position) => {
    expect(ringVerify(ring, sigmas[position]!, message)).toBe(true);
  });

  it.each([0, 1, 2])('position %i: c = c1 + c2 + c3 is HashToScalar over G, q, the keys, the recomputed T and m', (position) => {
    const sigma = sigmas[position]!;
    const t = ring.map((key, i) => multiplyBase(sigma[names[2 * i + 1]!]).add(multiplyPointPublic(key, sigma[names[2 * i]!])).encode());
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, message.length);
    const c = hashToScalar(USAGE.usage_auth, Ed448Point.BASE.encode(), ORDER_BYTES, ...ring.map((k) => k.encode()), ...t, ...(RING_SIGNATURE_MESSAGE_AS_DATA ? [length] : []), message);
    expect(hex(scalarAdd(scalarAdd(sigma.c1, sigma.c2), sigma.c3))).toBe(hex(c));
  });

  it('encodes as 342 bytes and decodes back', () => {
    const bytes = encodeRingSignature(sigmas[0]!);
    expect(bytes.length).toBe(RING_SIGNATURE_BYTES);
    expect(ringVerify(ring, decodeRingSignature(bytes) as RingSignature, message)).toBe(true);
  });

  it('costs 3 base and 2 other multiplications to sign, 3 and 3 to verify', () => {
    resetEd448OperationCounts();
    const sigma = ringSign(random, keys[1], ring, message);
    expect(ed448OperationCounts()).toEqual({ baseMultiplications: 3, pointMultiplications: 2, subgroupChecks: 0 });
    resetEd448OperationCounts();
    ringVerify(ring, sigma, message);
    expect(ed448OperationCounts()).toEqual({ baseMultiplications: 3, pointMultiplications: 3, subgroupChecks: 0 });
  });
});

describe('ring signature: tampering fails', () => {
  it.each(names)('a changed %s does not verify', (field) => {
    for (const sigma of sigmas) expect(ringVerify(ring, altered(sigma, field), message)).toBe(false);
  });

  it('a changed message does not verify', () => {
    expect(ringVerify(ring, sigmas[0]!, new TextEncoder().encode('the DAKE transcript T'))).toBe(false);
    expect(ringVerify(ring, sigmas[0]!, new Uint8Array(0))).toBe(false);
  });

  it('other keys, or the same keys in another order, do not verify', () => {
    const stranger = Ed448KeyPair.generate(deterministicRandom('stranger')).publicKey;
    expect(ringVerify([stranger, ring[1], ring[2]], sigmas[0]!, message)).toBe(false);
    expect(ringVerify([ring[1], ring[0], ring[2]], sigmas[0]!, message)).toBe(false);
    expect(ringVerify([ring[0], ring[2], ring[1]], sigmas[2]!, message)).toBe(false);
  });

  it('a ring containing the identity does not verify', () => {
    expect(ringVerify([Ed448Point.IDENTITY, ring[1], ring[2]], sigmas[1]!, message)).toBe(false);
  });

  it('scalars >= q are refused when the signature is decoded', () => {
    for (let i = 0; i < 6; i++) {
      const bytes = encodeRingSignature(sigmas[0]!);
      bytes.set(le(Q), i * 57);
      expect((decodeRingSignature(bytes) as CryptoRejection).code).toBe('scalar-out-of-range');
    }
    expect((decodeRingSignature(new Uint8Array(341)) as CryptoRejection).code).toBe('bad-length');
  });

  it('c_i + q (the same value mod q) cannot be smuggled in', () => {
    const bytes = encodeRingSignature(sigmas[0]!);
    bytes.set(le(fromLe(sigmas[0]!.c1) + Q), 0);
    expect(isCryptoRejection(decodeRingSignature(bytes))).toBe(true);
  });

  it('points not on the curve, of small order or the identity never become ring keys', () => {
    const notOnCurve = new Uint8Array(57);
    notOnCurve[0] = 2;
    const smallOrder = new Uint8Array(57);
    for (const bytes of [notOnCurve, smallOrder, Ed448Point.IDENTITY.encode()]) expect(isCryptoRejection(decodePoint(bytes))).toBe(true);
  });
});

describe('ring signature: misuse', () => {
  it('signing with a key outside the ring, a repeated key or the identity is a UsageError', () => {
    const stranger = Ed448KeyPair.generate(deterministicRandom('outsider'));
    expect(() => ringSign(random, stranger, ring, message)).toThrow(UsageError);
    expect(() => ringSign(random, keys[0], [ring[0], ring[0], ring[2]], message)).toThrow(UsageError);
    expect(() => ringSign(random, keys[1], [Ed448Point.IDENTITY, ring[1], ring[2]], message)).toThrow(UsageError);
  });
});
