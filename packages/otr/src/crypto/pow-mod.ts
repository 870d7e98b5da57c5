/**
 * Modular exponentiation in OpenSSL, for the 1536-bit MODP group (Protocol-v3,
 * "Definitions") and for DSA moduli ("Public keys, signatures, and
 * fingerprints"). Node exposes it only through DiffieHellman objects: with
 * generator 2 the object is cheap to create (creating one with another
 * generator makes Node validate the group, ~80 ms), `generateKeys()` gives
 * 2^x mod p and `computeSecret(base)` gives base^x mod p for any base in
 * [2, p-2]. Each modulus is prepared once (engine, bit length, m-1,
 * (m-1)/2) and cached.
 *
 * OpenSSL 3 refuses to return a shared secret equal to 1 or p-1 (NIST SP
 * 800-56A), which legitimate arithmetic does produce (x^q for an element of
 * order q, a peer's exponent that is a multiple of the order). Then
 * base^(e-1) is neither 1 nor p-1 (base is not ±1), so one more
 * multiplication gives the answer.
 */
import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { bigintToBytes, bytesToBigint, mod, stripLeadingZeros } from './bigint.js';

const ONE = Buffer.from([1]);
const TWO = Buffer.from([2]);
/** OpenSSL's DH refuses moduli outside [512, 10000] bits; ours are 1024 to 3072. */
const MIN_MODULUS_BITS = 512;
const MAX_MODULUS_BITS = 10_000;
const CACHE_LIMIT = 16;

/** A modulus made ready for exponentiation. */
interface Prepared {
  readonly engine: DiffieHellman;
  readonly value: bigint;
  readonly minusOne: bigint;
  readonly half: bigint;
}

/** By content (base64 of the bytes), bounded; and by identity, for the common case of the same array. */
const byContent = new Map<string, Prepared>();
const byIdentity = new WeakMap<Uint8Array, Prepared>();

function prepare(modulusBytes: Uint8Array): Prepared {
  const known = byIdentity.get(modulusBytes);
  if (known !== undefined) return known;
  const key = view(modulusBytes).toString('base64');
  let prepared = byContent.get(key);
  if (prepared === undefined) {
    const value = bytesToBigint(modulusBytes);
    const bits = value.toString(2).length;
    if ((value & 1n) === 0n || bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) throw new RangeError('unsupported modulus');
    prepared = { engine: createDiffieHellman(Buffer.from(stripLeadingZeros(modulusBytes)), TWO), value, minusOne: value - 1n, half: (value - 1n) >> 1n };
    if (byContent.size >= CACHE_LIMIT) {
      const oldest = byContent.keys().next().value;
      if (oldest !== undefined) byContent.delete(oldest);
    }
    byContent.set(key, prepared);
  }
  byIdentity.set(modulusBytes, prepared);
  return prepared;
}

/** A Buffer sharing memory with `bytes` (no copy of a secret exponent is left behind). */
function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * base^exponent in OpenSSL, for base in [2, modulus-2] given as big-endian
 * bytes (or undefined for 2); the result is OpenSSL's fresh buffer, zero-padded
 * to the modulus size. Throws when the result is 1 or modulus-1.
 */
function opensslPow(prepared: Prepared, base: Uint8Array | undefined, exponent: Uint8Array): Buffer {
  const engine = prepared.engine;
  engine.setPrivateKey(view(exponent));
  try {
    return base === undefined ? engine.generateKeys() : engine.computeSecret(view(base));
  } finally {
    // Do not leave the exponent in the cached engine.
    engine.setPrivateKey(ONE);
  }
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}

const isOdd = (exponent: bigint | Uint8Array): boolean =>
  typeof exponent === 'bigint' ? (exponent & 1n) === 1n : ((exponent[exponent.length - 1] ?? 0) & 1) === 1;

/**
 * base^exponent mod modulus, for an odd modulus of 512 to 10000 bits given
 * as big-endian bytes. The exponent is a non-negative bigint or big-endian
 * bytes (bytes let a secret exponent skip bigint). Bases outside
 * [2, modulus-2] are handled arithmetically.
 */
export function powMod(modulusBytes: Uint8Array, base: bigint, exponent: bigint | Uint8Array): bigint {
  const prepared = prepare(modulusBytes);
  const { value: modulus } = prepared;
  if (typeof exponent === 'bigint' && exponent < 0n) throw new RangeError('negative exponent');
  const reduced = base >= 0n && base < modulus ? base : mod(base, modulus);
  const zeroExponent = typeof exponent === 'bigint' ? exponent === 0n : isZero(exponent);
  if (zeroExponent || reduced === 1n) return 1n;
  if (reduced === 0n) return 0n;
  if (reduced === prepared.minusOne) return isOdd(exponent) ? reduced : 1n;
  // Euler's criterion x^((m-1)/2) (the subgroup membership test) and Fermat's
  // x^(m-1) give ±1 by design: skip the attempt OpenSSL would refuse.
  if (exponent === prepared.half || exponent === prepared.minusOne) return powByOneLess(prepared, reduced, exponent);
  const exponentBytes = typeof exponent === 'bigint' ? bigintToBytes(exponent) : exponent;
  try {
    // The result may be secret (an SMP generator g2, g3): wipe OpenSSL's buffer once read.
    const result = opensslPow(prepared, reduced === 2n ? undefined : bigintToBytes(reduced), exponentBytes);
    const value = bytesToBigint(result);
    result.fill(0);
    return value;
  } catch {
    // The result is 1 or modulus-1 (see above).
    return powByOneLess(prepared, reduced, exponent);
  } finally {
    if (exponentBytes !== exponent) exponentBytes.fill(0);
  }
}

/**
 * base^exponent mod modulus with base and result as minimal big-endian bytes,
 * for a base the caller has checked lies in [2, modulus-2] and a secret
 * exponent of at least 2 bits' worth (DH: 2^x and (g^y)^x). The result is a
 * fresh array the caller owns (and wipes, for a shared secret).
 */
export function powModBytes(modulusBytes: Uint8Array, base: Uint8Array, exponent: Uint8Array): Uint8Array {
  const prepared = prepare(modulusBytes);
  const body = stripLeadingZeros(base);
  const isTwo = body.length === 1 && body[0] === 2;
  let result: Uint8Array;
  try {
    result = opensslPow(prepared, isTwo ? undefined : body, exponent);
  } catch {
    return bigintToBytes(powByOneLess(prepared, bytesToBigint(body), exponent));
  }
  return stripLeadingZeros(result);
}

/** base^(e-1) * base: for a base in [2, m-2] and e >= 1, base^(e-1) is never ±1 when base^e is. */
function powByOneLess(prepared: Prepared, base: bigint, exponent: bigint | Uint8Array): bigint {
  const lower = bigintToBytes((typeof exponent === 'bigint' ? exponent : bytesToBigint(exponent)) - 1n);
  try {
    const partial = bytesToBigint(opensslPow(prepared, base === 2n ? undefined : bigintToBytes(base), lower));
    return mod(partial * base, prepared.value);
  } finally {
    lower.fill(0);
  }
}
