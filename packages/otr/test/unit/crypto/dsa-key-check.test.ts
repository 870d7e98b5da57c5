/**
 * Checks on the DSA keys we load or import (ours: a bad one would make
 * every AKE fail on the peer's side while ours reports `secure`): p of 1024
 * bits and prime, q of 160 bits, prime and dividing p-1, g and y of order q,
 * y = g^x mod p. Peers' keys get the cheap checks only (dsa-modulus.test.ts).
 */
import { checkPrimeSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  checkDsaKeyParts,
  DsaKeyError,
  DsaPrivateKey,
  dsaPrivateKeyFromParts,
  dsaPrivateKeyFromPrivateParts,
  dsaPrivateKeyToParts,
  generateDsaKey,
  makeDsaPrivateKey,
  Secret,
} from '../../../src/crypto/index.js';

const toBigint = (value: Uint8Array): bigint => BigInt('0x' + (Buffer.from(value).toString('hex') || '0'));
const fromBigint = (value: bigint): Uint8Array => {
  const text = value.toString(16);
  return new Uint8Array(Buffer.from(text.length % 2 === 0 ? text : `0${text}`, 'hex'));
};
function pow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let square = base % modulus, rest = exponent; rest > 0n; rest >>= 1n, square = (square * square) % modulus) {
    if (rest & 1n) result = (result * square) % modulus;
  }
  return result;
}

const good = generateDsaKey();
const goodParts = dsaPrivateKeyToParts(good);
const p = toBigint(good.publicKey.p);
const q = toBigint(good.publicKey.q);
const g = toBigint(good.publicKey.g);
const x = toBigint(goodParts.x.expose());

/** A 1024-bit composite p with the key's q dividing p-1, and a g, y = g^x consistent with it: every check but primality passes. */
function compositeModulus(): { p: bigint; g: bigint; y: bigint } {
  for (let k = (1n << 864n) + 2n; ; k += 2n) {
    const candidate = q * k + 1n;
    if (checkPrimeSync(candidate)) continue;
    const generator = pow(3n, k, candidate);
    if (generator > 1n && pow(generator, q, candidate) === 1n) return { p: candidate, g: generator, y: pow(generator, x, candidate) };
    // g^q = 3^(p-1) mod a composite p is rarely 1: take g = 2 and let the subgroup check come after primality.
    return { p: candidate, g: 2n, y: pow(2n, x, candidate) };
  }
}

const bytes = (values: { p: bigint; q: bigint; g: bigint; y: bigint; x: bigint }) => ({
  p: fromBigint(values.p),
  q: fromBigint(values.q),
  g: fromBigint(values.g),
  y: fromBigint(values.y),
  x: fromBigint(values.x),
});

describe('key import accepts inconsistent DSA parameters', () => {
  it('a composite p is refused (p-not-prime)', () => {
    const composite = compositeModulus();
    expect(composite.p.toString(2)).toHaveLength(1024);
    const parts = bytes({ ...composite, q, x });
    expect(dsaPrivateKeyFromParts(parts)).toBeUndefined();
    expect(checkDsaKeyParts(parts)).toBe('p-not-prime');
    expect(() => makeDsaPrivateKey(parts)).toThrow(DsaKeyError);
  });

  it('a g outside the subgroup of order q is refused (g-not-of-order-q)', () => {
    let outside = 2n;
    while (pow(outside, q, p) === 1n) outside++;
    const parts = bytes({ p, q, g: outside, y: pow(outside, x, p), x });
    expect(dsaPrivateKeyFromParts(parts)).toBeUndefined();
    expect(checkDsaKeyParts(parts)).toBe('g-not-of-order-q');
    expect(dsaPrivateKeyFromPrivateParts({ p: parts.p, q: parts.q, g: parts.g, x: parts.x })).toBeUndefined();
  });

  it('a y that is not g^x is refused (y-not-g-to-x), and a y outside the subgroup (y-not-of-order-q)', () => {
    expect(checkDsaKeyParts(bytes({ p, q, g, y: (pow(g, x, p) * g) % p, x }))).toBe('y-not-g-to-x');
    expect(dsaPrivateKeyFromParts(bytes({ p, q, g, y: (pow(g, x, p) * g) % p, x }))).toBeUndefined();
    expect(checkDsaKeyParts(bytes({ p, q, g, y: p - 1n, x }))).toBe('y-not-of-order-q');
  });

  it('q not dividing p-1, wrong sizes and x out of range are refused', () => {
    expect(checkDsaKeyParts(bytes({ p, q: q + 2n, g, y: pow(g, x, p), x }))).toBe('q-not-dividing-p-1');
    expect(checkDsaKeyParts(bytes({ p: p >> 8n, q, g, y: 2n, x }))).toBe('p-size');
    expect(checkDsaKeyParts(bytes({ p, q: q >> 8n, g, y: 2n, x }))).toBe('q-size');
    expect(checkDsaKeyParts(bytes({ p, q, g, y: pow(g, x, p), x: q }))).toBe('x-out-of-range');
    expect(checkDsaKeyParts(bytes({ p, q, g, y: pow(g, x, p), x: 0n }))).toBe('x-out-of-range');
  });

  it('a DsaPrivateKey cannot be made from inconsistent parts: the constructor throws a typed UsageError', () => {
    const publicKey = { ...good.publicKey, y: fromBigint((pow(g, x, p) * g) % p) };
    let thrown: unknown;
    try {
      new DsaPrivateKey(publicKey, new Secret(fromBigint(x)));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toBeInstanceOf(DsaKeyError);
    expect((thrown as DsaKeyError).code).toBe('bad-dsa-key');
    expect((thrown as DsaKeyError).problem).toBe('y-not-g-to-x');
    // The message names the problem, never a number of the key.
    expect((thrown as Error).message).not.toContain(x.toString(16));
    expect(new DsaPrivateKey(good.publicKey, new Secret(fromBigint(x))).publicKey).toBe(good.publicKey);
  });

  it('a consistent key passes', () => {
    expect(checkDsaKeyParts({ ...good.publicKey, x: goodParts.x.expose() })).toBeUndefined();
    expect(dsaPrivateKeyFromParts({ ...good.publicKey, x: goodParts.x.expose() })).toBeDefined();
  });
});
