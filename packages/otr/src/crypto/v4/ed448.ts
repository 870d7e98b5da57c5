/**
 * Ed448-Goldilocks point arithmetic for OTRv4 (OTRv4, "Elliptic Curve
 * Parameters", "Verifying that a point is on the curve", "Point" encoding,
 * "Generating ECDH and DH keys", "Generating Shared Secrets", "HashToScalar")
 * over @noble/curves. Received points go through {@link decodePoint}, which
 * applies every check the spec asks for; an {@link Ed448Point} made any
 * other way comes from arithmetic on checked points.
 *
 * Scalar multiplications dominate the cost of the DAKE and SMP, so they are
 * counted ({@link ed448OperationCounts}) for the benchmarks and tests that
 * compare against the spec's minimum. Multiplications of the base point use
 * noble's precomputed window table; multiplications by secret scalars use
 * noble's constant-time ladder, by public scalars (verification) the faster
 * variable-time one.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { ed448 } from '@noble/curves/ed448.js';
import type { RandomSource } from '../random.js';
import { Secret } from '../secret.js';
import { jacobiSymbol } from '../jacobi.js';
import { hwc, shake256, type UsageId } from './kdf.js';
import { CryptoRejection } from './rejection.js';
import { leToBigint, ORDER, pruneInPlace, reduceScalar, SCALAR_BYTES, scalarValue } from './scalar.js';

/** Bytes of a POINT. */
export const POINT_BYTES = 57;
/** The field prime p = 2^448 - 2^224 - 1. */
const FIELD_PRIME = (1n << 448n) - (1n << 224n) - 1n;
/** The curve constant d = -39081 of x^2 + y^2 = 1 + d x^2 y^2. */
export const CURVE_D = FIELD_PRIME - 39081n;

type NoblePoint = typeof ed448.Point.BASE;
const NOBLE = ed448.Point;

const counts = { baseMultiplications: 0, pointMultiplications: 0, subgroupChecks: 0 };

/** Scalar multiplications done so far in this process: by the base point, by other points, and q * P subgroup checks. */
export function ed448OperationCounts(): { baseMultiplications: number; pointMultiplications: number; subgroupChecks: number } {
  return { ...counts };
}

/** Sets the counters of {@link ed448OperationCounts} back to zero (benchmarks and tests). */
export function resetEd448OperationCounts(): void {
  counts.baseMultiplications = 0;
  counts.pointMultiplications = 0;
  counts.subgroupChecks = 0;
}

/** Module-private access to the noble point inside an {@link Ed448Point}, and construction from one or from a trusted encoding. */
let innerOf: (point: Ed448Point) => NoblePoint;
let wrap: (point: NoblePoint, encoded?: Uint8Array) => Ed448Point;
let wrapEncoded: (encoded: Uint8Array) => Ed448Point;

/**
 * A point of Ed448-Goldilocks in the prime-order subgroup (public; the
 * identity only as an arithmetic result). A point computed by OpenSSL
 * ({@link opensslBasePoint}) starts as its encoding and is decoded into
 * noble's form only if arithmetic needs it (a public key that is only sent
 * or hashed never is).
 */
export class Ed448Point {
  static {
    innerOf = (point) => point.#inner();
    wrap = (point, encoded) => new Ed448Point(point, encoded);
    wrapEncoded = (encoded) => new Ed448Point(undefined, encoded);
  }
  #point: NoblePoint | undefined;
  #encoded: Uint8Array | undefined;

  private constructor(point: NoblePoint | undefined, encoded?: Uint8Array) {
    this.#point = point;
    this.#encoded = encoded;
  }

  /** The noble point; decoded from the (trusted, canonical) encoding on first use. */
  #inner(): NoblePoint {
    this.#point ??= NOBLE.fromBytes(this.#encoded as Uint8Array, false);
    return this.#point;
  }

  /** The base point G. */
  static readonly BASE: Ed448Point = new Ed448Point(NOBLE.BASE);
  /** The identity element I = (0, 1). */
  static readonly IDENTITY: Ed448Point = new Ed448Point(NOBLE.ZERO);

  /** The POINT encoding (57 bytes, little-endian); a fresh copy. */
  encode(): Uint8Array {
    this.#encoded ??= this.#inner().toBytes();
    return Uint8Array.from(this.#encoded);
  }

  /** True for the identity element. */
  isIdentity(): boolean {
    return this.#inner().is0();
  }

  /** Equality of the points (projective comparison; not secret-dependent for public points). */
  equals(other: Ed448Point): boolean {
    return this.#inner().equals(other.#inner());
  }

  /** this + other. */
  add(other: Ed448Point): Ed448Point {
    return new Ed448Point(this.#inner().add(other.#inner()));
  }

  /** -this. */
  negate(): Ed448Point {
    return new Ed448Point(this.#inner().negate());
  }

  /** this - other. */
  subtract(other: Ed448Point): Ed448Point {
    return new Ed448Point(this.#inner().subtract(other.#inner()));
  }
}

/**
 * A received POINT, with the checks of "Point" decoding and "Verifying that
 * a point is on the curve": 57 bytes, y < p, the x-coordinate exists (x = 0
 * only with the sign bit clear), the encoding is the canonical one, the
 * point is not the identity and q * P = I (prime-order subgroup).
 */
export function decodePoint(bytes: Uint8Array): Ed448Point | CryptoRejection {
  if (bytes.length !== POINT_BYTES) return new CryptoRejection('bad-length');
  const y = leToBigint(bytes.subarray(0, POINT_BYTES - 1)) | (BigInt((bytes[POINT_BYTES - 1] ?? 0) & 0x7f) << 448n);
  if (y >= FIELD_PRIME) return new CryptoRejection('non-canonical-point');
  const signAndZeroX = (bytes[POINT_BYTES - 1] ?? 0) & 0x80;
  let point: NoblePoint;
  try {
    point = NOBLE.fromBytes(bytes, false);
  } catch {
    // y is in range, so noble refused for the one other reason of RFC 8032 (x = 0 with x_0 = 1) or because no root exists.
    return new CryptoRejection(signAndZeroX !== 0 && (y === 1n || y === FIELD_PRIME - 1n) ? 'non-canonical-point' : 'not-on-curve');
  }
  const encoded = point.toBytes();
  if (!encoded.every((byte, i) => byte === bytes[i])) return new CryptoRejection('non-canonical-point');
  if (point.is0()) return new CryptoRejection('identity-point');
  counts.subgroupChecks++;
  if (!(isInPrimeOrderSubgroup(y) ?? point.isTorsionFree())) return new CryptoRejection('not-in-subgroup');
  return wrap(point, encoded);
}

const MASK_448 = (1n << 448n) - 1n;

/** x mod p for 0 <= x < 2^900, folding with 2^448 = 2^224 + 1 (mod p). */
function reduceField(x: bigint): bigint {
  let high = x >> 448n;
  while (high !== 0n) {
    x = (x & MASK_448) + high + (high << 224n);
    high = x >> 448n;
  }
  return x >= FIELD_PRIME ? x - FIELD_PRIME : x;
}

function squareTimes(x: bigint, times: number): bigint {
  for (let i = 0; i < times; i++) x = reduceField(x * x);
  return x;
}

/** x^((p+1)/4) = x^(2^446 - 2^222): the square root of x mod p when x is a square (p = 3 mod 4). */
function squareRootCandidate(x: bigint): bigint {
  // x^(2^k - 1) for k = 2, 3, 6, 12, 24, 30, 48, 96, 192, 222, 223, 224, then 222 squarings.
  const e2 = reduceField(squareTimes(x, 1) * x);
  const e3 = reduceField(squareTimes(e2, 1) * x);
  const e6 = reduceField(squareTimes(e3, 3) * e3);
  const e12 = reduceField(squareTimes(e6, 6) * e6);
  const e24 = reduceField(squareTimes(e12, 12) * e12);
  const e30 = reduceField(squareTimes(e24, 6) * e6);
  const e48 = reduceField(squareTimes(e24, 24) * e24);
  const e96 = reduceField(squareTimes(e48, 48) * e48);
  const e192 = reduceField(squareTimes(e96, 96) * e96);
  const e222 = reduceField(squareTimes(e192, 30) * e30);
  const e224 = reduceField(squareTimes(reduceField(squareTimes(e222, 1) * x), 1) * x);
  return squareTimes(e224, 222);
}

/** 1 - d: a non-square mod p (so the order-4 points (+-1, 0) lie outside 2E). */
const ONE_MINUS_D = 1n - CURVE_D + FIELD_PRIME;

/**
 * Whether the point of the curve with y-coordinate y lies in the subgroup
 * of order q, that is q * P = I (noble's `isTorsionFree`), without the
 * multiplication by q: two quadratic characters and one square root.
 *
 * E(F_p) = Z/4 x Z/q (#E = 4q, and the only point of order 2 is
 * T = (0, -1)), so the order-q subgroup is 4E, and P is in it exactly when
 * P is in 2E and a half H of P (2H = P) is in 2E too (the two halves in
 * E(F_p) differ by T, itself in 2E).
 *
 * Membership in 2E. The birational map (x, y) -> (u, v) =
 * ((1 + y) / (1 - y), u / x) of Bernstein, Birkner, Joye, Lange, Peters,
 * "Twisted Edwards curves" (2008), Theorem 3.2, takes the curve to
 * B v^2 = u^3 + A u^2 + u with B = 4 / (1 - d), and X = B u, Y = B^2 v to
 * Y^2 = X (X^2 + a X + b) with b = B^2. On such a curve the map
 * alpha(X, Y) = X mod squares (alpha(0, 0) = b, alpha(I) = 1) is a
 * homomorphism E(F_p) -> F_p^* / F_p^*2 (descent by 2-isogeny:
 * Silverman and Tate, "Rational Points on Elliptic Curves", III.5;
 * Silverman, "The Arithmetic of Elliptic Curves", X.4), so its kernel
 * contains 2E. It is not trivial: the order-4 point (1, 0) has u = 1,
 * alpha = B, of the class of 1 - d, a non-square. E / 2E has order 2, so
 * the kernel is 2E. In Edwards coordinates, with 1 - y^2 = x^2 (1 - d y^2):
 * alpha(P) = (1 - d)(1 + y) / (1 - y) = (1 - d)(1 - d y^2) mod squares,
 * a formula that also gives 1 for I and T. So
 *
 *   P in 2E  <=>  D = (1 - d)(1 - d y^2) is a square.
 *
 * The half. Doubling is y(2H) = (y_H^2 - x_H^2) / (1 - d x_H^2 y_H^2);
 * with x_H^2 = (1 - s) / (1 - d s), s = y_H^2, y(2H) = y becomes
 * d (y + 1) s^2 - 2 (d y + 1) s + (y + 1) = 0, whose discriminant over 4 is
 * D, and whose roots s = (d y + 1 +- sqrt(D)) / (d (y + 1)) have the
 * non-square product 1 / d: exactly one root is a square, y_H^2. For that
 * root, H in 2E when (1 - d)(1 - d s) is a square; for the other root
 * s' = 1 / (d s), (1 - d)(1 - d s') has the opposite character (the
 * product of the two is -x_H^2 times a square, and -1 is a non-square).
 * So, for either root s, the character of s (1 - d)(1 - d s) is that of H,
 * and with N = d y + 1 + sqrt(D) it is the character of
 * d (1 - d) N (y + 1 - N) (multiplied by squares). Hence, for y != +-1:
 *
 *   P in 4E  <=>  D is a square and d (1 - d) N (y + 1 - N) is a square.
 *
 * y = 1 is the identity (in the subgroup), y = -1 is T (not in it). The
 * test suite checks this against noble's `isTorsionFree` on thousands of
 * points of each coset of E[4]. The inputs are public (received points).
 * Undefined would mean a character of 0, which the argument above excludes;
 * the caller then multiplies by q.
 */
export function isInPrimeOrderSubgroup(y: bigint): boolean | undefined {
  if (y === 1n) return true;
  if (y === FIELD_PRIME - 1n) return false;
  const d = CURVE_D;
  const discriminant = reduceField(ONE_MINUS_D * (1n + FIELD_PRIME - reduceField(d * reduceField(y * y))));
  const root = squareRootCandidate(discriminant);
  if (reduceField(root * root) !== discriminant) return false;
  const n = reduceField(d * y + 1n + root);
  const character = reduceField(reduceField(d * ONE_MINUS_D) * reduceField(n * (y + 1n + FIELD_PRIME - n)));
  // Never 0 for y != +-1 (the roots are neither 0 nor 1 / d).
  if (character === 0n) return undefined;
  return jacobiSymbol(character, FIELD_PRIME) === 1;
}

/** The POINT encoding of a point. */
export function encodePoint(point: Ed448Point): Uint8Array {
  return point.encode();
}

/** G * scalar with noble's precomputed base table (constant-time ladder: the scalar may be secret). */
export function multiplyBase(scalar: Uint8Array): Ed448Point {
  counts.baseMultiplications++;
  const value = scalarValue(scalar);
  return value === 0n ? Ed448Point.IDENTITY : wrap(NOBLE.BASE.multiply(value));
}

/** point * scalar for a secret scalar (constant-time ladder). */
export function multiplyPoint(point: Ed448Point, scalar: Uint8Array): Ed448Point {
  counts.pointMultiplications++;
  const value = scalarValue(scalar);
  return value === 0n ? Ed448Point.IDENTITY : wrap(innerOf(point).multiply(value));
}

/** point * scalar for a public scalar (verification): variable time, faster. */
export function multiplyPointPublic(point: Ed448Point, scalar: Uint8Array): Ed448Point {
  counts.pointMultiplications++;
  return wrap(innerOf(point).multiplyUnsafe(scalarValue(scalar)));
}

/** G * a + point * b for public scalars (verification: `G * r + A * c`); see {@link multiplyAddPublic}. */
export function multiplyBaseAndAddPublic(a: Uint8Array, point: Ed448Point, b: Uint8Array): Ed448Point {
  return multiplyAddPublic(a, [[point, b]]);
}

/**
 * G * a + P1 * b1 + P2 * b2 + ... for public scalars and points
 * (verification), variable time: G * a from noble's precomputed base table
 * without the constant-time ladder, the other terms in one multi-scalar
 * multiplication (noble's `mulAddUnsafe`: interleaved wNAF, Straus/Shamir,
 * one chain of doublings for all of them). `a` undefined leaves out G.
 * Counted as one multiplication per term, as if done one by one.
 */
export function multiplyAddPublic(a: Uint8Array | undefined, terms: readonly (readonly [Ed448Point, Uint8Array])[]): Ed448Point {
  let sum = NOBLE.ZERO;
  if (a !== undefined) {
    counts.baseMultiplications++;
    sum = NOBLE.BASE.multiplyUnsafe(scalarValue(a));
  }
  if (terms.length > 0) {
    counts.pointMultiplications += terms.length;
    sum = sum.add(mulAddUnsafe(NOBLE, terms.map(([point]) => innerOf(point)), terms.map(([, scalar]) => scalarValue(scalar))));
  }
  return wrap(sum);
}

/**
 * G * s for the secret scalar s that RFC 8032 (section 5.2.5) derives from
 * a 57-byte `seed`: s = the lower 57 bytes of SHAKE-256(seed, 114), pruned.
 * OpenSSL computes exactly that when it derives an Ed448 public key from a
 * private key, several times faster than noble's base-point table (measured:
 * 0.12 ms against 0.39 ms), so every base-point multiplication by a scalar
 * derived this way from a fresh seed goes through it:
 * {@link generateEcdhKeyPair}, {@link randomScalarAndBasePoint} and
 * long-term keys (eddsa.ts). The point comes back as its encoding (decoded
 * into noble's form only if arithmetic needs it).
 *
 * The key goes in as a JWK: OpenSSL parses it straight into a raw key,
 * where a PKCS#8 DER key goes through OpenSSL's decoder search and costs
 * more than the multiplication itself (0.43 ms). Node 20 wants the JWK's
 * `x` member as a string and, for a private key, reads only `d`; we give an
 * empty `x`, which no Ed448 key has, so a Node that used it or checked it
 * against `d` would throw or answer with something other than 57 bytes.
 * Either way, and whenever the self-test of {@link OPENSSL_BASE_POINT_WORKS}
 * (RFC 8032's first Ed448 vector) failed at load, the answer is undefined
 * and the caller multiplies with noble. The base64url copy of the seed is a
 * JavaScript string, which (like the bigint temporaries of noble's
 * arithmetic) cannot be wiped.
 */
function opensslBasePoint(seed: Uint8Array): Ed448Point | undefined {
  if (!OPENSSL_BASE_POINT_WORKS) return undefined;
  const encoded = opensslPublicKeyOfSeed(seed);
  return encoded === undefined ? undefined : wrapEncoded(encoded);
}

function opensslPublicKeyOfSeed(seed: Uint8Array): Uint8Array | undefined {
  try {
    const d = Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString('base64url');
    const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed448', d, x: '' }, format: 'jwk' });
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    if (typeof x !== 'string') return undefined;
    const encoded = new Uint8Array(Buffer.from(x, 'base64url'));
    return encoded.length === POINT_BYTES ? encoded : undefined;
  } catch {
    return undefined;
  }
}

/** Whether OpenSSL derives RFC 8032's first Ed448 test vector (section 7.4, "Blank") correctly through {@link opensslPublicKeyOfSeed}. */
const OPENSSL_BASE_POINT_WORKS: boolean = (() => {
  const seed = Buffer.from('6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b', 'hex');
  const expected = '5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180';
  const derived = opensslPublicKeyOfSeed(seed);
  return derived !== undefined && Buffer.from(derived).toString('hex') === expected;
})();

/** Whether base-point multiplications from seeds run in OpenSSL (false: noble does them all); for the tests. */
export function opensslBasePointInUse(): boolean {
  return OPENSSL_BASE_POINT_WORKS;
}

/**
 * The secret scalar of a 57-byte symmetric key, as RFC 8032 and "Public keys,
 * Shared Prekeys, Forging keys and Fingerprints" derive it:
 * h = SHAKE-256(sym_key, 114), prune its lower 57 bytes, read them
 * little-endian; returned reduced mod q (the same point: G has order q).
 */
export function secretScalarFromSymmetricKey(symmetricKey: Uint8Array): Secret {
  if (symmetricKey.length !== SCALAR_BYTES) throw new RangeError('the symmetric key is 57 bytes');
  const digest = shake256(2 * SCALAR_BYTES, symmetricKey);
  const lower = digest.subarray(0, SCALAR_BYTES);
  try {
    pruneInPlace(lower);
    return new Secret(reduceScalar(lower));
  } finally {
    digest.fill(0);
  }
}

/**
 * A symmetric key's secret scalar and its public point G * s: the point
 * from OpenSSL's derivation from the key itself ({@link opensslBasePoint}),
 * or noble's multiplication if OpenSSL cannot. Counted as one base-point
 * multiplication either way.
 */
export function keyPairFromSymmetricKey(symmetricKey: Uint8Array): { readonly secret: Secret; readonly publicKey: Ed448Point } {
  const secret = secretScalarFromSymmetricKey(symmetricKey);
  const fromOpenssl = opensslBasePoint(symmetricKey);
  if (fromOpenssl === undefined) return { secret, publicKey: multiplyBase(secret.expose()) };
  counts.baseMultiplications++;
  return { secret, publicKey: fromOpenssl };
}

/**
 * A random value in Z_q as "Considerations while working with elliptic curve
 * parameters" asks: 57 random bytes, h = SHAKE-256(value, 57), pruned, read
 * little-endian, reduced mod q. For the ring signature's and SMP's randoms.
 */
export function randomScalar(random: RandomSource): Secret {
  const value = random(SCALAR_BYTES);
  try {
    return scalarOfRandomValue(value);
  } finally {
    value.fill(0);
  }
}

/** h = SHAKE-256(value, 57), pruned, little-endian, mod q. */
function scalarOfRandomValue(value: Uint8Array): Secret {
  const digest = shake256(SCALAR_BYTES, value);
  try {
    pruneInPlace(digest);
    return new Secret(reduceScalar(digest));
  } finally {
    digest.fill(0);
  }
}

/**
 * {@link randomScalar} and G times it, for the randoms whose point the
 * protocol needs (the ring signature's T_i and G * r_j, the SMP's G * a2,
 * G * r2 and the like). Same random draws, same scalar.
 *
 * Why OpenSSL's Ed448 key derivation gives this point. "Considerations
 * while working with elliptic curve parameters" makes the scalar from the
 * 57-byte value as h = SHAKE-256(value, 57), pruned (the two low bits of
 * the first byte cleared, the last byte cleared, the top bit of the second
 * to last byte set), read little-endian. RFC 8032, section 5.2.5, makes
 * the Ed448 secret scalar from the 57-byte private key as the lower 57
 * bytes of SHAKE-256(key, 114), pruned by the same three rules, read
 * little-endian, and the public key as the encoding of G times it. SHAKE-256
 * is an extendable-output function: SHAKE-256(M, d) is the first d bits
 * of one output stream that does not depend on d (FIPS 202, sections 4
 * and 6.2: the sponge is squeezed and truncated to d bits), so
 * SHAKE-256(value, 57) is exactly the lower 57 bytes of
 * SHAKE-256(value, 114). With the private key = value, both derivations
 * give the same integer s, not merely the same distribution, and the
 * public key OpenSSL derives is the encoding of G * s = G * (s mod q).
 * The tests check the point against noble's G * s for many values.
 */
export function randomScalarAndBasePoint(random: RandomSource): { readonly scalar: Secret; readonly point: Ed448Point } {
  const value = random(SCALAR_BYTES);
  try {
    const scalar = scalarOfRandomValue(value);
    const fromOpenssl = opensslBasePoint(value);
    if (fromOpenssl === undefined) return { scalar, point: multiplyBase(scalar.expose()) };
    counts.baseMultiplications++;
    return { scalar, point: fromOpenssl };
  } finally {
    value.fill(0);
  }
}

/** An ECDH key pair: the secret scalar s and our_ecdh.public = G * s. */
export interface EcdhKeyPair {
  readonly publicKey: Ed448Point;
  readonly secret: Secret;
}

/**
 * generateECDH() of "Generating ECDH and DH keys": r = 57 random bytes,
 * s = pruned lower half of SHAKE-256(r, 114), public G * s (RFC 8032's
 * derivation with r as the private key: OpenSSL's, {@link opensslBasePoint});
 * r and h wiped.
 */
export function generateEcdhKeyPair(random: RandomSource): EcdhKeyPair {
  const r = random(SCALAR_BYTES);
  try {
    const { secret, publicKey } = keyPairFromSymmetricKey(r);
    return { publicKey, secret };
  } finally {
    r.fill(0);
  }
}

/**
 * ECDH(a, B) of "Generating Shared Secrets": K_ecdh = a * B as a POINT,
 * refused when it is the identity (a small-order or zero contribution).
 * `theirPublic` must come from {@link decodePoint}.
 */
export function ecdhSharedSecret(ourSecret: Secret, theirPublic: Ed448Point): Secret | CryptoRejection {
  const shared = multiplyPoint(theirPublic, ourSecret.expose());
  if (shared.isIdentity()) return new CryptoRejection('degenerate-shared-secret');
  return new Secret(shared.encode());
}

/** HashToScalar(usageID || d): h = HWC(usageID || d, 57) read little-endian, mod q ("HashToScalar"). */
export function hashToScalar(usage: UsageId, ...values: Uint8Array[]): Uint8Array {
  const digest = hwc(usage, SCALAR_BYTES, ...values);
  try {
    return reduceScalar(digest);
  } finally {
    digest.fill(0);
  }
}

/** The order q of G (bigint: crypto/ only). */
export const ED448_ORDER = ORDER;
