/**
 * Modular exponentiation in OpenSSL, for the 1536-bit MODP group (Protocol-v3,
 * "Definitions") and for DSA moduli ("Public keys, signatures, and
 * fingerprints"). Node exposes it only through DiffieHellman objects: with
 * generator 2 the object is cheap to create (creating one with another
 * generator makes Node validate the group, ~80 ms), `generateKeys()` gives
 * 2^x mod p and `computeSecret(base)` gives base^x mod p for any base in
 * [2, p-2]. Objects are cached per modulus.
 *
 * OpenSSL 3 refuses to return a shared secret equal to 1 or p-1 (NIST SP
 * 800-56A), which legitimate arithmetic does produce (x^q for an element of
 * order q, a peer's exponent that is a multiple of the order). Then
 * base^(e-1) is neither 1 nor p-1 (base is not ±1), so one more
 * multiplication gives the answer.
 */
import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { bigintToBytes, bytesToBigint, mod } from './bigint.js';

const TWO = Buffer.from([2]);
const ONE = Buffer.from([1]);
const cache = new Map<string, DiffieHellman>();
const CACHE_LIMIT = 16;
/** OpenSSL's DH refuses moduli outside [512, 10000] bits; ours are 1024 to 3072. */
const MIN_MODULUS_BITS = 512;
const MAX_MODULUS_BITS = 10_000;

function engineFor(modulus: Uint8Array): DiffieHellman {
  const key = Buffer.from(modulus).toString('base64');
  let engine = cache.get(key);
  if (engine === undefined) {
    engine = createDiffieHellman(Buffer.from(modulus), TWO);
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, engine);
  }
  return engine;
}

/** A Buffer sharing memory with `bytes` (no copy of a secret exponent is left behind). */
function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** base^exponent in OpenSSL, for base in [2, modulus-2]; throws when the result is 1 or modulus-1. */
function opensslPow(modulusBytes: Uint8Array, base: bigint, exponent: Uint8Array): bigint {
  const engine = engineFor(modulusBytes);
  engine.setPrivateKey(view(exponent));
  try {
    if (base === 2n) return bytesToBigint(new Uint8Array(engine.generateKeys()));
    return bytesToBigint(new Uint8Array(engine.computeSecret(Buffer.from(bigintToBytes(base)))));
  } finally {
    // Do not leave the exponent in the cached engine.
    engine.setPrivateKey(ONE);
  }
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}

/**
 * base^exponent mod modulus, for an odd modulus of 512 to 10000 bits given
 * both as minimal big-endian bytes and as a bigint. The exponent is a
 * non-negative bigint or big-endian bytes (bytes let a secret exponent skip
 * bigint). Bases outside [2, modulus-2] are handled arithmetically.
 */
export function powMod(modulusBytes: Uint8Array, modulus: bigint, base: bigint, exponent: bigint | Uint8Array): bigint {
  const bits = modulus.toString(2).length;
  if ((modulus & 1n) === 0n || bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) throw new RangeError('unsupported modulus');
  if (typeof exponent === 'bigint' && exponent < 0n) throw new RangeError('negative exponent');
  const reduced = mod(base, modulus);
  const zeroExponent = typeof exponent === 'bigint' ? exponent === 0n : isZero(exponent);
  if (zeroExponent || reduced === 1n) return 1n;
  if (reduced === 0n) return 0n;
  if (reduced === modulus - 1n) {
    const odd = typeof exponent === 'bigint' ? (exponent & 1n) === 1n : ((exponent[exponent.length - 1] ?? 0) & 1) === 1;
    return odd ? reduced : 1n;
  }
  // Euler's criterion x^((m-1)/2) (the subgroup membership test) and Fermat's
  // x^(m-1) give ±1 by design: skip the attempt OpenSSL would refuse.
  if (exponent === (modulus - 1n) >> 1n || exponent === modulus - 1n) return powByOneLess(modulusBytes, modulus, reduced, exponent);
  const exponentBytes = typeof exponent === 'bigint' ? bigintToBytes(exponent) : exponent;
  try {
    return opensslPow(modulusBytes, reduced, exponentBytes);
  } catch {
    // The result is 1 or modulus-1 (see above).
    return powByOneLess(modulusBytes, modulus, reduced, exponent);
  } finally {
    if (exponentBytes !== exponent) exponentBytes.fill(0);
  }
}

/** base^(e-1) * base: for a base in [2, m-2] and e >= 1, base^(e-1) is never ±1 when base^e is. */
function powByOneLess(modulusBytes: Uint8Array, modulus: bigint, base: bigint, exponent: bigint | Uint8Array): bigint {
  const lower = bigintToBytes((typeof exponent === 'bigint' ? exponent : bytesToBigint(exponent)) - 1n);
  try {
    return mod(opensslPow(modulusBytes, base, lower) * base, modulus);
  } finally {
    lower.fill(0);
  }
}
