/**
 * The 3072-bit DH group ("3072-bit Diffie-Hellman Parameters", "Verifying
 * that an integer is in the DH group", "Generating ECDH and DH keys") and
 * the brace key: the prime against OpenSSL's built-in RFC 3526 group 15,
 * exchanges and subgroup verdicts against Python (test/vectors/pycryptodome/
 * dh3072.json), the range edges, and the brace key KDFs.
 */
import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintToBytes } from '../../../../src/crypto/bigint.js';
import { powMod } from '../../../../src/crypto/pow-mod.js';
import { deterministicRandom } from '../../../../src/crypto/random.js';
import { Secret } from '../../../../src/crypto/secret.js';
import { DH3072_PRIME, DH3072_PRIME_BYTES, DH3072_SUBPRIME } from '../../../../src/crypto/v4/dh3072.js';
import {
  braceKeyFromSharedSecret,
  checkDh3072Public,
  dh3072SharedSecret,
  generateDh3072KeyPair,
  isCryptoRejection,
  isValidDh3072Public,
  kdf,
  nextBraceKey,
  USAGE,
  type CryptoRejection,
} from '../../../../src/crypto/v4/index.js';
import { hex, vectors } from './helpers.js';

interface DhVectors {
  prime: string;
  exchanges: { ourPrivate: string; ourPublic: string; theirPublic: string; shared: string }[];
  subgroup: { value: string; inSubgroup: boolean }[];
}
const dh = vectors('pycryptodome/dh3072.json') as DhVectors;
const bytesOf = (text: string): Uint8Array => bigintToBytes(BigInt('0x' + text));
const code = (value: Uint8Array): string => {
  const verdict = checkDh3072Public(value);
  return verdict === true ? 'accepted' : verdict.code;
};

describe('3072-bit DH group', () => {
  it('the prime is OpenSSL\'s RFC 3526 group 15 and Python\'s', () => {
    expect(hex(DH3072_PRIME_BYTES)).toBe(getDiffieHellman('modp15').getPrime('hex'));
    expect(DH3072_PRIME.toString(16)).toBe(dh.prime);
    expect(DH3072_SUBPRIME * 2n + 1n).toBe(DH3072_PRIME);
  });

  it.each(dh.exchanges)('exchange %#: g3^x and (g3^y)^x as Python computes them', ({ ourPrivate, ourPublic, theirPublic, shared }) => {
    const x = bytesOf(ourPrivate);
    const ours = { publicKey: bytesOf(ourPublic), privateKey: new Secret(Uint8Array.from(x)) };
    expect(hex(generateDh3072KeyPair(() => Uint8Array.from(x.length === 80 ? x : [...new Uint8Array(80 - x.length), ...x])).publicKey)).toBe(ourPublic.padStart(ourPublic.length + (ourPublic.length % 2), '0'));
    const secret = dh3072SharedSecret(ours, bytesOf(theirPublic));
    expect(isCryptoRejection(secret)).toBe(false);
    expect(BigInt('0x' + hex((secret as Secret).expose()))).toBe(BigInt('0x' + shared));
  });

  it.each(dh.subgroup)('subgroup verdict %# agrees with Python\'s x^q == 1', ({ value, inSubgroup }) => {
    expect(isValidDh3072Public(bytesOf(value))).toBe(inSubgroup);
    expect(powMod(DH3072_PRIME_BYTES, BigInt('0x' + value), DH3072_SUBPRIME) === 1n).toBe(inSubgroup);
  });

  it('refuses values outside [2, p-2] and longer than the modulus', () => {
    expect(code(new Uint8Array(0))).toBe('dh-out-of-range');
    expect(code(Uint8Array.of(1))).toBe('dh-out-of-range');
    expect(code(Uint8Array.of(0, 0, 2))).toBe('accepted');
    expect(code(bigintToBytes(DH3072_PRIME - 1n))).toBe('dh-out-of-range');
    expect(code(bigintToBytes(DH3072_PRIME))).toBe('dh-out-of-range');
    expect(code(new Uint8Array(385).fill(1))).toBe('bad-length');
    expect(code(bigintToBytes(DH3072_PRIME - 2n))).toBe('dh-not-in-subgroup');
  });

  it('both ends agree; a value out of range or outside the subgroup gives a rejection, not a secret', () => {
    const a = generateDh3072KeyPair(deterministicRandom('a'));
    const b = generateDh3072KeyPair(deterministicRandom('b'));
    expect(a.privateKey.length).toBe(80);
    const k1 = dh3072SharedSecret(a, b.publicKey) as Secret;
    const k2 = dh3072SharedSecret(b, a.publicKey) as Secret;
    expect(hex(k1.expose())).toBe(hex(k2.expose()));
    expect((dh3072SharedSecret(a, Uint8Array.of(1)) as CryptoRejection).code).toBe('dh-out-of-range');
    expect((dh3072SharedSecret(a, bigintToBytes(DH3072_PRIME - 2n)) as CryptoRejection).code).toBe('dh-not-in-subgroup');
  });

  it('brace keys: KDF(usage_third_brace_key || k_dh, 32) and KDF(usage_brace_key || brace_key, 32)', () => {
    const kDh = new Secret(Uint8Array.of(9, 8, 7));
    const brace = braceKeyFromSharedSecret(kDh);
    expect(hex(brace.expose())).toBe(hex(kdf(USAGE.usage_third_brace_key, 32, Uint8Array.of(9, 8, 7))));
    expect(hex(nextBraceKey(brace).expose())).toBe(hex(kdf(USAGE.usage_brace_key, 32, brace.expose())));
  });
});
