/**
 * Modular exponentiation through OpenSSL (modpPow, powMod) against a plain
 * bigint square-and-multiply, on random values and on the values OpenSSL's
 * Diffie-Hellman refuses to produce or take (bases 0, 1, p-1; results 1 and
 * p-1, as x^q gives for every element).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigintToBytes } from '../../../src/crypto/bigint.js';
import { MODP_GENERATOR, MODP_ORDER as q, MODP_PRIME as p, MODP_PRIME_BYTES, modpPow } from '../../../src/crypto/v3/modp.js';
import { powMod } from '../../../src/crypto/pow-mod.js';

/** The reference: right-to-left square-and-multiply in bigint. */
function referencePow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result % modulus;
}

// A DSA modulus (1024-bit p with a 160-bit q dividing p-1): libotr's key in test/vectors/libotr/dsa.json.
const dsaVectors = JSON.parse(readFileSync(new URL('../../vectors/libotr/dsa.json', import.meta.url), 'utf8')) as {
  keys: { key: { p: string; q: string; g: string } }[];
};
const DSA_P = BigInt('0x' + (dsaVectors.keys[0]?.key.p ?? ''));
const DSA_Q = BigInt('0x' + (dsaVectors.keys[0]?.key.q ?? ''));
const DSA_G = BigInt('0x' + (dsaVectors.keys[0]?.key.g ?? ''));
const DSA_P_BYTES = bigintToBytes(DSA_P);

describe('modpPow (1536-bit MODP group)', () => {
  it('agrees with square-and-multiply on random bases and exponents', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: p + 5n }), fc.bigInt({ min: 0n, max: 1n << 1600n }), (base, exponent) => {
        expect(modpPow(base, exponent)).toBe(referencePow(base, exponent, p));
      }),
      { numRuns: 40 },
    );
  });

  it('agrees on short (320-bit, DH-sized) exponents given as bytes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n, max: p - 2n }), fc.uint8Array({ minLength: 40, maxLength: 40 }), (base, exponent) => {
        const asBigint = BigInt('0x' + (Buffer.from(exponent).toString('hex') || '0'));
        expect(modpPow(base, exponent)).toBe(referencePow(base, asBigint, p));
      }),
      { numRuns: 40 },
    );
  });

  it('handles the bases OpenSSL refuses: 0, 1, p-1, p, p+1', () => {
    for (const base of [0n, 1n, p - 1n, p, p + 1n]) {
      for (const exponent of [0n, 1n, 2n, 3n, q]) {
        expect(modpPow(base, exponent)).toBe(referencePow(base, exponent, p));
      }
    }
  });

  it('handles the results OpenSSL refuses: x^q is 1 for squares and p-1 for non-squares', () => {
    expect(modpPow(MODP_GENERATOR, q)).toBe(1n); // g = 2 generates the order-q subgroup
    expect(modpPow(4n, q)).toBe(1n);
    expect(modpPow(3n, q)).toBe(referencePow(3n, q, p));
    expect([1n, p - 1n]).toContain(modpPow(3n, q));
    expect(modpPow(p - 2n, q)).toBe(referencePow(p - 2n, q, p));
    expect(modpPow(4n, 2n * q)).toBe(1n);
    expect(modpPow(5n, p - 1n)).toBe(1n); // Fermat
    expect(modpPow(7n, 0n)).toBe(1n);
    expect(modpPow(7n, new Uint8Array(0))).toBe(1n);
    expect(modpPow(7n, new Uint8Array(40))).toBe(1n);
  });

  it('multiplies exponents as a group should: (g^a)^b = g^(ab)', () => {
    const a = 0x1234567890abcdef1234567890abcdefn;
    const b = 0xfedcba0987654321fedcba0987654321n;
    expect(modpPow(modpPow(2n, a), b)).toBe(modpPow(2n, a * b));
  });

  it('refuses negative exponents', () => {
    expect(() => modpPow(2n, -1n)).toThrow(RangeError);
  });
});

describe('powMod (DSA moduli)', () => {
  it('agrees with square-and-multiply on random values mod a 1024-bit DSA p', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: DSA_P }), fc.bigInt({ min: 0n, max: 1n << 200n }), (base, exponent) => {
        expect(powMod(DSA_P_BYTES, base, exponent)).toBe(referencePow(base, exponent, DSA_P));
      }),
      { numRuns: 40 },
    );
  });

  it('gives g^q = 1 and g^(2q) = 1 for the order-q generator (results OpenSSL refuses)', () => {
    expect(powMod(DSA_P_BYTES, DSA_G, DSA_Q)).toBe(1n);
    expect(powMod(DSA_P_BYTES, DSA_G, 2n * DSA_Q)).toBe(1n);
    expect(powMod(DSA_P_BYTES, DSA_G, DSA_Q + 1n)).toBe(DSA_G);
    expect(powMod(DSA_P_BYTES, 5n, (DSA_P - 1n) / 2n)).toBe(referencePow(5n, (DSA_P - 1n) / 2n, DSA_P));
  });

  it('keeps separate moduli apart in its cache', () => {
    expect(powMod(DSA_P_BYTES, 3n, 12345n)).toBe(referencePow(3n, 12345n, DSA_P));
    expect(powMod(MODP_PRIME_BYTES, 3n, 12345n)).toBe(referencePow(3n, 12345n, p));
    expect(powMod(DSA_P_BYTES, 3n, 12345n)).toBe(referencePow(3n, 12345n, DSA_P));
  });

  it('refuses even and tiny moduli', () => {
    expect(() => powMod(bigintToBytes(DSA_P + 1n), 3n, 5n)).toThrow(RangeError);
    expect(() => powMod(bigintToBytes(23n), 3n, 5n)).toThrow(RangeError);
  });
});
