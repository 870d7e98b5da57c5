/**
 * Ed448 points and scalars (OTRv4, "Elliptic Curve Parameters", "Verifying
 * that a point is on the curve", "Encoding and Decoding"): the spec's
 * parameters, RFC 8032's public keys and group equation computed with our
 * arithmetic, every rejection of decodePoint and decodeScalar, scalar
 * arithmetic against bigint, ECDH agreement and the operation counters.
 */
import { describe, expect, it } from 'vitest';
import { ed448 } from '@noble/curves/ed448.js';
import { deterministicRandom } from '../../../../src/crypto/random.js';
import { ED448_ORDER } from '../../../../src/crypto/v4/ed448.js';
import { ORDER_BYTES } from '../../../../src/crypto/v4/scalar.js';
import {
  decodePoint,
  decodeScalar,
  ecdhSharedSecret,
  Ed448Point,
  ed448OperationCounts,
  generateEcdhKeyPair,
  hashToScalar,
  isCryptoRejection,
  keyPairFromSymmetricKey,
  multiplyAddPublic,
  multiplyBase,
  multiplyPoint,
  multiplyPointPublic,
  opensslBasePointInUse,
  randomScalar,
  randomScalarAndBasePoint,
  rejectionReason,
  resetEd448OperationCounts,
  scalarAdd,
  scalarMul,
  scalarNegate,
  scalarSub,
  secretScalarFromSymmetricKey,
  shake256,
  USAGE,
  type CryptoRejection,
} from '../../../../src/crypto/v4/index.js';
import { fromHex, fromLe, hex, le, P, Q, vectors } from './helpers.js';

interface RfcCase { name: string; secretKey: string; publicKey: string; message: string; signature: string }
const rfc = (vectors('rfc8032/ed448.json') as { cases: RfcCase[] }).cases;

const rejected = (bytes: Uint8Array): string => {
  const result = decodePoint(bytes);
  return isCryptoRejection(result) ? result.code : 'accepted';
};

describe('Ed448 parameters', () => {
  it('q is the spec value, noble agrees, and q * G = I', () => {
    expect(ED448_ORDER).toBe(Q);
    expect(ed448.Point.Fn.ORDER).toBe(Q);
    expect(fromLe(ORDER_BYTES)).toBe(Q);
    expect(multiplyPointPublic(Ed448Point.BASE, le(Q - 1n)).add(Ed448Point.BASE).isIdentity()).toBe(true);
  });

  it('the base point encodes the spec coordinates (y, with the sign of x)', () => {
    const x = 224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710n;
    const y = 298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660n;
    const expected = le(y);
    expected[56]! |= Number(x & 1n) << 7;
    expect(hex(Ed448Point.BASE.encode())).toBe(hex(expected));
  });
});

describe('RFC 8032 section 7.4 through our arithmetic', () => {
  it.each(rfc)('$name: G * sk is the published public key', ({ secretKey, publicKey }) => {
    const sk = secretScalarFromSymmetricKey(fromHex(secretKey));
    expect(hex(multiplyBase(sk.expose()).encode())).toBe(publicKey);
  });

  it.each(rfc)('$name: S * G = R + k * H holds for the published signature', ({ publicKey, message, signature }) => {
    const sig = fromHex(signature);
    const R = decodePoint(sig.subarray(0, 57)) as Ed448Point;
    const S = decodeScalar(sig.subarray(57)) as Uint8Array;
    const H = decodePoint(fromHex(publicKey)) as Ed448Point;
    const dom = new Uint8Array([...new TextEncoder().encode('SigEd448'), 0, 0]);
    const k = fromLe(shake256(114, dom, R.encode(), H.encode(), fromHex(message))) % Q;
    expect(multiplyBase(S).equals(R.add(multiplyPointPublic(H, le(k))))).toBe(true);
  });
});

describe('decodePoint: the checks of "Verifying that a point is on the curve"', () => {
  it('accepts a point and gives back its encoding', () => {
    const encoded = fromHex(rfc[0]!.publicKey);
    const point = decodePoint(encoded) as Ed448Point;
    expect(isCryptoRejection(point)).toBe(false);
    expect(hex(point.encode())).toBe(rfc[0]!.publicKey);
  });

  it('refuses a wrong length', () => {
    expect(rejected(new Uint8Array(56))).toBe('bad-length');
    expect(rejected(new Uint8Array(58))).toBe('bad-length');
  });

  it('refuses the identity point', () => {
    expect(rejected(Ed448Point.IDENTITY.encode())).toBe('identity-point');
  });

  it('refuses y >= p and the bits above it', () => {
    expect(rejected(le(P))).toBe('non-canonical-point');
    expect(rejected(le(P + 1n))).toBe('non-canonical-point');
    const highBits = Ed448Point.BASE.encode();
    highBits[56]! |= 0x01;
    expect(rejected(highBits)).toBe('non-canonical-point');
  });

  it('refuses x = 0 with the sign bit set (non-canonical identity and order-2 point)', () => {
    const identityWithSign = le(1n);
    identityWithSign[56] = 0x80;
    expect(rejected(identityWithSign)).toBe('non-canonical-point');
    const minusOne = le(P - 1n);
    minusOne[56] = 0x80;
    expect(rejected(minusOne)).toBe('non-canonical-point');
  });

  it('refuses a y with no x on the curve', () => {
    let y = 2n;
    for (; ; y++) {
      try {
        ed448.Point.fromBytes(le(y));
      } catch {
        break;
      }
    }
    expect(rejected(le(y))).toBe('not-on-curve');
  });

  it('refuses the small-order points (orders 2 and 4)', () => {
    expect(rejected(le(P - 1n))).toBe('not-in-subgroup');
    expect(rejected(le(0n))).toBe('not-in-subgroup');
    const other = le(0n);
    other[56] = 0x80;
    expect(rejected(other)).toBe('not-in-subgroup');
  });

  it('refuses a point of the full group outside the prime-order subgroup', () => {
    const torsion = ed448.Point.fromBytes(le(0n));
    const mixed = ed448.Point.BASE.multiply(12345n).add(torsion).toBytes();
    expect(rejected(mixed)).toBe('not-in-subgroup');
  });

  it('reports rejected points as bad group elements', () => {
    expect(rejectionReason(decodePoint(le(0n)) as CryptoRejection)).toBe('bad-group-element');
  });
});

describe('scalars mod q', () => {
  it('decodeScalar refuses q and above, and wrong lengths', () => {
    expect(hex(decodeScalar(le(Q - 1n)) as Uint8Array)).toBe(hex(le(Q - 1n)));
    expect((decodeScalar(le(Q)) as CryptoRejection).code).toBe('scalar-out-of-range');
    expect((decodeScalar(new Uint8Array(57).fill(0xff)) as CryptoRejection).code).toBe('scalar-out-of-range');
    expect((decodeScalar(new Uint8Array(56)) as CryptoRejection).code).toBe('bad-length');
    expect(rejectionReason(decodeScalar(le(Q)) as CryptoRejection)).toBe('bad-exponent');
  });

  it('add, subtract, multiply and negate agree with bigint arithmetic', () => {
    const random = deterministicRandom('scalars');
    for (let i = 0; i < 20; i++) {
      const a = fromLe(random(57)) % Q;
      const b = fromLe(random(57)) % Q;
      expect(fromLe(scalarAdd(le(a), le(b)))).toBe((a + b) % Q);
      expect(fromLe(scalarSub(le(a), le(b)))).toBe((((a - b) % Q) + Q) % Q);
      expect(fromLe(scalarMul(le(a), le(b)))).toBe((a * b) % Q);
      expect(fromLe(scalarNegate(le(a)))).toBe((Q - a) % Q);
    }
  });

  it('randomScalar hashes, prunes and reduces as the spec says', () => {
    const value = deterministicRandom('r')(57);
    const h = shake256(57, value);
    h[0]! &= 0xfc;
    h[56] = 0;
    h[55]! |= 0x80;
    expect(fromLe(randomScalar(deterministicRandom('r')).expose())).toBe(fromLe(h) % Q);
  });

  it('HashToScalar is HWC(usage || d, 57) read little-endian mod q', () => {
    const data = new TextEncoder().encode('d');
    expect(fromLe(hashToScalar(USAGE.usage_auth, data))).toBe(fromLe(shake256(57, new TextEncoder().encode('OTRv4'), Uint8Array.of(0x1a), data)) % Q);
  });
});

describe('point arithmetic', () => {
  it('(a + b) * G = a * G + b * G and a * (b * G) = (a * b) * G', () => {
    const random = deterministicRandom('points');
    const a = randomScalar(random).expose();
    const b = randomScalar(random).expose();
    expect(multiplyBase(scalarAdd(a, b)).equals(multiplyBase(a).add(multiplyBase(b)))).toBe(true);
    expect(multiplyPoint(multiplyBase(b), a).equals(multiplyBase(scalarMul(a, b)))).toBe(true);
    expect(multiplyPointPublic(multiplyBase(b), a).equals(multiplyBase(scalarMul(a, b)))).toBe(true);
    expect(multiplyBase(a).subtract(multiplyBase(a)).isIdentity()).toBe(true);
    expect(multiplyBase(new Uint8Array(57)).isIdentity()).toBe(true);
  });

  it('the multi-scalar verification G * a + P1 * b1 + P2 * b2 equals the sum of separate multiplications', () => {
    const random = deterministicRandom('multi-scalar');
    const [a, b1, b2] = [0, 1, 2].map(() => randomScalar(random).expose()) as [Uint8Array, Uint8Array, Uint8Array];
    const [p1, p2] = [multiplyBase(randomScalar(random).expose()), multiplyBase(randomScalar(random).expose())];
    const zero = new Uint8Array(57);
    const separate = multiplyBase(a).add(multiplyPointPublic(p1, b1)).add(multiplyPointPublic(p2, b2));
    expect(hex(multiplyAddPublic(a, [[p1, b1], [p2, b2]]).encode())).toBe(hex(separate.encode()));
    expect(multiplyAddPublic(undefined, [[p1, b1], [p2, b2]]).equals(separate.subtract(multiplyBase(a)))).toBe(true);
    expect(multiplyAddPublic(a, [[p1, b1]]).equals(multiplyBase(a).add(multiplyPointPublic(p1, b1)))).toBe(true);
    expect(multiplyAddPublic(zero, [[p1, zero]]).isIdentity()).toBe(true);
    expect(multiplyAddPublic(a, []).equals(multiplyBase(a))).toBe(true);
    expect(multiplyAddPublic(undefined, [[p1, b1], [p1.negate(), b1]]).isIdentity()).toBe(true);
    resetEd448OperationCounts();
    multiplyAddPublic(a, [[p1, b1], [p2, b2]]);
    expect(ed448OperationCounts()).toEqual({ baseMultiplications: 1, pointMultiplications: 2, subgroupChecks: 0 });
  });

  it('ECDH: both sides agree, and the identity result is refused', () => {
    const alice = generateEcdhKeyPair(deterministicRandom('alice'));
    const bob = generateEcdhKeyPair(deterministicRandom('bob'));
    const k1 = ecdhSharedSecret(alice.secret, decodePoint(bob.publicKey.encode()) as Ed448Point);
    const k2 = ecdhSharedSecret(bob.secret, alice.publicKey);
    expect(hex((k1 as { expose(): Uint8Array }).expose())).toBe(hex((k2 as { expose(): Uint8Array }).expose()));
    expect((ecdhSharedSecret(alice.secret, Ed448Point.IDENTITY) as CryptoRejection).code).toBe('degenerate-shared-secret');
  });

  it('counts base multiplications, other multiplications and subgroup checks', () => {
    resetEd448OperationCounts();
    const pair = generateEcdhKeyPair(deterministicRandom('count'));
    decodePoint(pair.publicKey.encode());
    multiplyPoint(pair.publicKey, pair.secret.expose());
    expect(ed448OperationCounts()).toEqual({ baseMultiplications: 1, pointMultiplications: 1, subgroupChecks: 1 });
  });
});

describe('base-point multiplications from a seed run in OpenSSL and equal noble\'s G * s', () => {
  it('OpenSSL\'s derivation is in use on this Node', () => {
    expect(opensslBasePointInUse()).toBe(true);
  });

  it('RFC 8032 section 7.4: the public key of each secret key', () => {
    for (const c of rfc) {
      const { secret, publicKey } = keyPairFromSymmetricKey(fromHex(c.secretKey));
      expect(hex(publicKey.encode())).toBe(c.publicKey);
      expect(hex(multiplyBase(secret.expose()).encode())).toBe(c.publicKey);
    }
  });

  it('keyPairFromSymmetricKey: OpenSSL\'s G * s equals noble\'s for 300 seeds, and the point does arithmetic', () => {
    const random = deterministicRandom('openssl-base-kat');
    for (let i = 0; i < 300; i++) {
      const seed = random(57);
      const { secret, publicKey } = keyPairFromSymmetricKey(seed);
      expect(fromLe(secret.expose())).toBe(fromLe(secretScalarFromSymmetricKey(seed).expose()));
      const noble = multiplyBase(secret.expose());
      expect(hex(publicKey.encode())).toBe(hex(noble.encode()));
      if (i % 50 === 0) expect(publicKey.add(Ed448Point.BASE).equals(noble.add(Ed448Point.BASE))).toBe(true);
    }
  });

  it('randomScalarAndBasePoint: the scalar of randomScalar (same draws) and noble\'s G times it, for 300 draws', () => {
    const a = deterministicRandom('openssl-random-scalar');
    const b = deterministicRandom('openssl-random-scalar');
    for (let i = 0; i < 300; i++) {
      const { scalar, point } = randomScalarAndBasePoint(a);
      expect(hex(scalar.expose())).toBe(hex(randomScalar(b).expose()));
      expect(hex(point.encode())).toBe(hex(multiplyBase(scalar.expose()).encode()));
    }
  });

  it('generateEcdhKeyPair: the public key is G * secret, and a lazily decoded point compares and adds like any other', () => {
    const random = deterministicRandom('openssl-ecdh');
    for (let i = 0; i < 50; i++) {
      const pair = generateEcdhKeyPair(random);
      const noble = multiplyBase(pair.secret.expose());
      expect(pair.publicKey.equals(noble)).toBe(true);
      expect(pair.publicKey.isIdentity()).toBe(false);
      expect(pair.publicKey.negate().add(noble).isIdentity()).toBe(true);
    }
  });

  it('still counts one base multiplication each', () => {
    resetEd448OperationCounts();
    generateEcdhKeyPair(deterministicRandom('count-openssl'));
    randomScalarAndBasePoint(deterministicRandom('count-openssl'));
    keyPairFromSymmetricKey(new Uint8Array(57).fill(7));
    expect(ed448OperationCounts()).toEqual({ baseMultiplications: 3, pointMultiplications: 0, subgroupChecks: 0 });
  });
});
