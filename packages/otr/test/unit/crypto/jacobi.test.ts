/**
 * The Jacobi symbol (crypto/jacobi.ts) against its definitions: for small
 * odd primes, the list of squares found by brute force; for composites, the
 * product of the symbols of the prime factors; for the MODP prime, Euler's
 * criterion x^((p-1)/2) computed by OpenSSL.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jacobiSymbol } from '../../../src/crypto/jacobi.js';
import { MODP_ORDER as q, MODP_PRIME as p, modpPow } from '../../../src/crypto/v3/modp.js';

const SMALL_PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 257, 65537];

/** Legendre by definition: 0 for multiples, 1 for non-zero squares, -1 otherwise. */
function legendreByCounting(a: number, prime: number): number {
  const r = ((a % prime) + prime) % prime;
  if (r === 0) return 0;
  for (let x = 1; x < prime; x++) if ((x * x) % prime === r) return 1;
  return -1;
}

describe('jacobiSymbol', () => {
  it('is the Legendre symbol for small primes (every residue, and negatives and multiples)', () => {
    for (const prime of SMALL_PRIMES.filter((n) => n < 300)) {
      for (let a = -prime; a <= 2 * prime + 1; a++) {
        expect(jacobiSymbol(BigInt(a), BigInt(prime))).toBe(legendreByCounting(a, prime));
      }
    }
  });

  it('is multiplicative in the modulus for composites', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SMALL_PRIMES), fc.constantFrom(...SMALL_PRIMES), fc.integer({ min: -1000, max: 100000 }), (m, n, a) => {
        const expected = legendreByCounting(a, m) * legendreByCounting(a, n) + 0; // + 0 turns -0 into 0
        expect(jacobiSymbol(BigInt(a), BigInt(m * n))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with Euler\'s criterion in the 1536-bit MODP group (OpenSSL), shifted values and powers of two included', () => {
    const euler = (x: bigint): number => {
      const power = modpPow(x, q);
      return power === 1n ? 1 : power === p - 1n ? -1 : 0;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: p - 1n }), (x) => {
        expect(jacobiSymbol(x, p)).toBe(euler(x));
      }),
      { numRuns: 60 },
    );
    for (const x of [1n, 2n, 3n, 4n, 1n << 64n, 1n << 1000n, (1n << 64n) + 1n, p - 1n, p - 2n, p - 4n]) expect(jacobiSymbol(x, p)).toBe(euler(x));
    expect(jacobiSymbol(0n, p)).toBe(0);
    expect(jacobiSymbol(p, p)).toBe(0);
  });

  it('refuses even and tiny moduli', () => {
    expect(() => jacobiSymbol(3n, 8n)).toThrow(RangeError);
    expect(() => jacobiSymbol(3n, 1n)).toThrow(RangeError);
  });
});
