/**
 * Diffie-Hellman over the 1536-bit MODP group: the spec's legal range
 * [2, p-2] at its edges (and libotr's verdicts on the same values, from
 * test/vectors/libotr/dh.json), key generation from an injected random
 * source checked against bigint arithmetic, agreement of both ends, and the
 * numeric ordering of public values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bigintToBytes } from '../../../src/crypto/bigint.js';
import { compareDhPublic, deterministicRandom, dhSharedSecret, generateDhKeyPair, isValidDhPublic } from '../../../src/crypto/index.js';
import { MODP_PRIME as p } from '../../../src/crypto/v3/modp.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toBigint = (value: Uint8Array): bigint => BigInt('0x' + (hex(value) || '0'));

interface DhCase {
  note: string;
  ourPrivate: string;
  theirPublic: string;
  accepted: boolean;
}
const libotrCases = (JSON.parse(readFileSync(new URL('../../vectors/libotr/dh.json', import.meta.url), 'utf8')) as { cases: DhCase[] }).cases;

/** Square-and-multiply reference for 2^x mod p. */
function referencePow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  for (let square = base, rest = exponent; rest > 0n; rest >>= 1n, square = (square * square) % p) {
    if (rest & 1n) result = (result * square) % p;
  }
  return result;
}

describe('isValidDhPublic', () => {
  it('accepts exactly [2, p-2]', () => {
    const verdicts = [0n, 1n, 2n, p - 2n, p - 1n, p, p + 1n].map((value) => isValidDhPublic(bigintToBytes(value)));
    expect(verdicts).toEqual([false, false, true, true, false, false, false]);
    expect(isValidDhPublic(new Uint8Array(0))).toBe(false);
  });

  it('ignores leading zero bytes but refuses values wider than p', () => {
    expect(isValidDhPublic(bytes('0000' + hex(bigintToBytes(p - 2n))))).toBe(true);
    expect(isValidDhPublic(bytes('01' + '00'.repeat(192)))).toBe(false);
  });

  it('agrees with libotr (otrl_dh_compute_v2_auth_keys) on every case of dh.json', () => {
    expect(libotrCases.some((c) => !c.accepted)).toBe(true);
    for (const c of libotrCases) expect([c.note, isValidDhPublic(bytes(c.theirPublic))]).toEqual([c.note, c.accepted]);
  });
});

describe('generateDhKeyPair', () => {
  it('takes a 320-bit exponent from the random source and publishes 2^x mod p', () => {
    const requested: number[] = [];
    const source = deterministicRandom('dh');
    const pair = generateDhKeyPair((length) => {
      requested.push(length);
      return source(length);
    });
    expect(requested).toEqual([40]);
    expect(pair.privateKey.length).toBe(40);
    const x = toBigint(pair.privateKey.expose());
    expect(toBigint(pair.publicKey)).toBe(referencePow(2n, x));
    expect(pair.publicKey[0]).not.toBe(0);
  });

  it('is reproducible from a deterministic source and differs across seeds', () => {
    const a = generateDhKeyPair(deterministicRandom('seed-a'));
    const again = generateDhKeyPair(deterministicRandom('seed-a'));
    const b = generateDhKeyPair(deterministicRandom('seed-b'));
    expect(hex(again.publicKey)).toBe(hex(a.publicKey));
    expect(hex(again.privateKey.expose())).toBe(hex(a.privateKey.expose()));
    expect(hex(b.publicKey)).not.toBe(hex(a.publicKey));
  });

  it('redraws a trivial exponent and gives up on a source of zeros', () => {
    const draws = [new Uint8Array(40), Uint8Array.from({ length: 40 }, (_, i) => (i === 39 ? 1 : 0)), new Uint8Array(40).fill(3)];
    const pair = generateDhKeyPair(() => draws.shift() ?? new Uint8Array(40));
    expect(hex(pair.privateKey.expose())).toBe('03'.repeat(40));
    expect(() => generateDhKeyPair(() => new Uint8Array(40))).toThrow();
  });
});

describe('dhSharedSecret', () => {
  it('gives both ends the same minimal s = g^(xy)', () => {
    const alice = generateDhKeyPair(deterministicRandom('alice'));
    const bob = generateDhKeyPair(deterministicRandom('bob'));
    const atAlice = dhSharedSecret(alice, bob.publicKey);
    const atBob = dhSharedSecret(bob, alice.publicKey);
    expect(atAlice && atBob && hex(atAlice.expose()) === hex(atBob.expose())).toBe(true);
    const xy = toBigint(alice.privateKey.expose()) * toBigint(bob.privateKey.expose());
    expect(toBigint(atAlice?.expose() ?? new Uint8Array(0))).toBe(referencePow(2n, xy));
    expect(atAlice?.expose()[0]).not.toBe(0);
  });

  it('computes s at the edges of the legal range and refuses values outside it', () => {
    const ours = generateDhKeyPair(deterministicRandom('edges'));
    const x = toBigint(ours.privateKey.expose());
    expect(toBigint(dhSharedSecret(ours, bigintToBytes(2n))?.expose() ?? new Uint8Array(0))).toBe(referencePow(2n, x));
    expect(toBigint(dhSharedSecret(ours, bigintToBytes(p - 2n))?.expose() ?? new Uint8Array(0))).toBe(referencePow(p - 2n, x));
    for (const bad of [0n, 1n, p - 1n, p]) expect(dhSharedSecret(ours, bigintToBytes(bad))).toBeUndefined();
  });
});

describe('compareDhPublic', () => {
  it('compares numerically, ignoring leading zeros', () => {
    expect(compareDhPublic(bytes('02'), bytes('0100'))).toBe(-1);
    expect(compareDhPublic(bytes('0100'), bytes('02'))).toBe(1);
    expect(compareDhPublic(bytes('000102'), bytes('0102'))).toBe(0);
    expect(compareDhPublic(bytes('0103'), bytes('0102'))).toBe(1);
    expect(compareDhPublic(bytes('ff'), bytes('0100'))).toBe(-1);
    expect(compareDhPublic(new Uint8Array(0), bytes('00'))).toBe(0);
  });
});
