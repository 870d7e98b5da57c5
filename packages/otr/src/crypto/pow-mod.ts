/**
 * Modular exponentiation in OpenSSL. Node exposes it only through
 * DiffieHellman objects: with generator 2 the object is cheap to create, and
 * `computeSecret(base)` returns base^privateKey mod p for any base in
 * [2, p-2]. (Creating an object with another generator makes Node validate
 * the group, which costs ~80 ms.) Objects are cached per modulus.
 */
import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { bigintToBytes, bytesToBigint } from './bigint.js';

const TWO = Buffer.from([2]);
const ONE = Buffer.from([1]);
const cache = new Map<string, DiffieHellman>();
const CACHE_LIMIT = 16;

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

/**
 * base^exponent mod modulus, for an odd modulus given as minimal big-endian
 * bytes. Handles the bases OpenSSL refuses (0, 1, modulus-1) arithmetically.
 */
export function powMod(modulusBytes: Uint8Array, modulus: bigint, base: bigint, exponent: bigint): bigint {
  base %= modulus;
  if (exponent === 0n || base === 1n) return 1n;
  if (base === 0n) return 0n;
  if (base === modulus - 1n) return exponent % 2n === 0n ? 1n : base;
  const engine = engineFor(modulusBytes);
  const exponentBytes = Buffer.from(bigintToBytes(exponent));
  engine.setPrivateKey(exponentBytes);
  exponentBytes.fill(0);
  try {
    if (base === 2n) return bytesToBigint(new Uint8Array(engine.generateKeys()));
    return bytesToBigint(new Uint8Array(engine.computeSecret(Buffer.from(bigintToBytes(base)))));
  } finally {
    // Do not leave the exponent in the cached engine.
    engine.setPrivateKey(ONE);
  }
}
