/**
 * DSA: key generation through OpenSSL, sign/verify round trips, every
 * rejection dsaVerify promises (damaged value or signature, r or s at 0 or q,
 * wrong lengths, bad keys), key import checks and the redacted private key.
 * Agreement with libotr itself is in dsa.libotr.test.ts.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  deterministicRandom,
  dsaPrivateKeyFromParts,
  dsaPrivateKeyToParts,
  dsaSign,
  dsaVerify,
  formatFingerprint,
  generateDsaKey,
  isValidDsaPublicKey,
  type DsaPublicKey,
} from '../../../src/crypto/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const toBigint = (value: Uint8Array): bigint => BigInt('0x' + (hex(value) || '0'));
const fromBigint = (value: bigint, width = 0): Uint8Array => {
  const text = value.toString(16);
  return new Uint8Array(Buffer.from(text.padStart(Math.max(width * 2, text.length + (text.length % 2)), '0'), 'hex'));
};
const bitLength = (value: Uint8Array): number => toBigint(value).toString(2).length;

function referencePow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let square = base % modulus, rest = exponent; rest > 0n; rest >>= 1n, square = (square * square) % modulus) {
    if (rest & 1n) result = (result * square) % modulus;
  }
  return result;
}

const key = generateDsaKey();
const parts = dsaPrivateKeyToParts(key);
const value = new Uint8Array(32).fill(7);
const signature = dsaSign(key, value, deterministicRandom('sig'));
const q = toBigint(key.publicKey.q);

/** A copy of `bytes` with one bit flipped. */
function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

describe('generateDsaKey', () => {
  it('makes a 1024/160 key whose parts are consistent', () => {
    expect(bitLength(key.publicKey.p)).toBe(1024);
    expect(bitLength(key.publicKey.q)).toBe(160);
    const p = toBigint(key.publicKey.p);
    const g = toBigint(key.publicKey.g);
    expect((p - 1n) % q).toBe(0n);
    expect(referencePow(g, q, p)).toBe(1n);
    expect(toBigint(key.publicKey.y)).toBe(referencePow(g, toBigint(parts.x.expose()), p));
    expect(isValidDsaPublicKey(key.publicKey)).toBe(true);
  });

  it('gives minimal MPI bodies', () => {
    for (const field of [key.publicKey.p, key.publicKey.q, key.publicKey.g, key.publicKey.y]) expect(field[0]).not.toBe(0);
  });
});

describe('dsaSign and dsaVerify', () => {
  it('round-trips, with 40-byte signatures', () => {
    expect(signature.length).toBe(40);
    expect(dsaVerify(key.publicKey, value, signature)).toBe(true);
    for (const seed of ['a', 'b', 'c']) {
      const other = new Uint8Array(32).fill(seed.charCodeAt(0));
      expect(dsaVerify(key.publicKey, other, dsaSign(key, other, deterministicRandom(seed)))).toBe(true);
    }
  });

  it('draws k from the injected source: same seed, same signature; other seed, other signature', () => {
    expect(hex(dsaSign(key, value, deterministicRandom('sig')))).toBe(hex(signature));
    expect(hex(dsaSign(key, value, deterministicRandom('other')))).not.toBe(hex(signature));
  });

  it('rejects a changed value and a damaged signature', () => {
    expect(dsaVerify(key.publicKey, flip(value, 31), signature)).toBe(false);
    expect(dsaVerify(key.publicKey, flip(value, 0), signature)).toBe(false);
    expect(dsaVerify(key.publicKey, value, flip(signature, 19))).toBe(false);
    expect(dsaVerify(key.publicKey, value, flip(signature, 39))).toBe(false);
  });

  it('rejects r or s at 0 or q (and above), as libgcrypt does', () => {
    const r = signature.subarray(0, 20);
    const s = signature.subarray(20);
    const join = (a: Uint8Array, b: Uint8Array): Uint8Array => Uint8Array.from([...a, ...b]);
    const zero = new Uint8Array(20);
    const qBytes = fromBigint(q, 20);
    const max = new Uint8Array(20).fill(0xff);
    for (const bad of [join(zero, s), join(r, zero), join(qBytes, s), join(r, qBytes), join(max, s), join(r, max)]) {
      expect(dsaVerify(key.publicKey, value, bad)).toBe(false);
    }
  });

  it('rejects signatures of the wrong length', () => {
    for (const bad of [new Uint8Array(0), signature.subarray(0, 39), Uint8Array.from([...signature, 0]), Uint8Array.from([0, ...signature])]) {
      expect(dsaVerify(key.publicKey, value, bad)).toBe(false);
    }
  });

  it('rejects another key and bad keys without throwing', () => {
    const other = generateDsaKey();
    expect(dsaVerify(other.publicKey, value, signature)).toBe(false);
    const p = toBigint(key.publicKey.p);
    const broken: DsaPublicKey[] = [
      { ...key.publicKey, p: fromBigint(p + 1n) },
      { ...key.publicKey, q: fromBigint(q + 2n) },
      { ...key.publicKey, g: fromBigint(1n) },
      { ...key.publicKey, y: fromBigint(p - 1n) },
      { ...key.publicKey, y: new Uint8Array(0) },
    ];
    for (const bad of broken) expect(dsaVerify(bad, value, signature)).toBe(false);
  });

  it('signs the value as an integer mod q (libotr/libgcrypt), not its leftmost 160 bits', () => {
    const shifted = fromBigint(toBigint(value) + q, 32);
    expect(dsaVerify(key.publicKey, shifted, signature)).toBe(true);
    expect(dsaVerify(key.publicKey, value.subarray(0, 20), signature)).toBe(false);
  });
});

describe('isValidDsaPublicKey', () => {
  const p = toBigint(key.publicKey.p);
  it('accepts the key and refuses wrong sizes and out-of-range g and y', () => {
    expect(isValidDsaPublicKey(key.publicKey)).toBe(true);
    expect(isValidDsaPublicKey({ ...key.publicKey, p: key.publicKey.p.subarray(1) })).toBe(false);
    expect(isValidDsaPublicKey({ ...key.publicKey, q: key.publicKey.q.subarray(1) })).toBe(false);
    expect(isValidDsaPublicKey({ ...key.publicKey, p: fromBigint((p << 2050n) + 1n) })).toBe(false);
    for (const g of [0n, 1n, p - 1n, p]) expect(isValidDsaPublicKey({ ...key.publicKey, g: fromBigint(g) })).toBe(false);
    for (const y of [0n, 1n, p - 1n, p]) expect(isValidDsaPublicKey({ ...key.publicKey, y: fromBigint(y) })).toBe(false);
    expect(isValidDsaPublicKey({ ...key.publicKey, g: fromBigint(2n), y: fromBigint(p - 2n) })).toBe(true);
  });

  it('requires q to divide p-1', () => {
    expect(isValidDsaPublicKey({ ...key.publicKey, q: fromBigint(q + 2n) })).toBe(false);
  });
});

describe('dsaPrivateKeyFromParts and dsaPrivateKeyToParts', () => {
  it('round-trip, and the exported x is a fresh Secret', () => {
    const again = dsaPrivateKeyFromParts({ ...parts, x: parts.x.expose() });
    expect(again && hex(again.publicKey.y)).toBe(hex(key.publicKey.y));
    const exported = dsaPrivateKeyToParts(key);
    exported.x.wipe();
    expect(dsaVerify(key.publicKey, value, dsaSign(key, value, deterministicRandom('after-wipe')))).toBe(true);
  });

  it('accepts leading zeros and stores minimal values', () => {
    const padded = dsaPrivateKeyFromParts({ ...parts, p: Uint8Array.from([0, ...parts.p]), x: Uint8Array.from([0, 0, ...parts.x.expose()]) });
    expect(padded && hex(padded.publicKey.p)).toBe(hex(key.publicKey.p));
  });

  it('refuses x outside (1, q), a y that is not g^x, and a bad public key', () => {
    const x = toBigint(parts.x.expose());
    for (const badX of [0n, 1n, q, q + x]) expect(dsaPrivateKeyFromParts({ ...parts, x: fromBigint(badX) })).toBeUndefined();
    expect(dsaPrivateKeyFromParts({ ...parts, x: fromBigint(x ^ 1n) })).toBeUndefined();
    expect(dsaPrivateKeyFromParts({ ...parts, y: flip(parts.y, 10), x: parts.x.expose() })).toBeUndefined();
    expect(dsaPrivateKeyFromParts({ ...parts, g: fromBigint(1n), x: parts.x.expose() })).toBeUndefined();
  });
});

describe('fingerprints and redaction', () => {
  it('formats fingerprints like libotr', () => {
    expect(formatFingerprint(new Uint8Array(20).fill(0xab))).toBe('ABABABAB ABABABAB ABABABAB ABABABAB ABABABAB');
    expect(formatFingerprint(Uint8Array.from({ length: 20 }, (_, i) => i))).toBe('00010203 04050607 08090A0B 0C0D0E0F 10111213');
  });

  it('never shows x', () => {
    const xHex = hex(parts.x.expose());
    const xDecimal = toBigint(parts.x.expose()).toString();
    for (const shown of [inspect(key, { depth: 10, showHidden: true }), JSON.stringify(key), String(key), `key: ${String(key)}`, JSON.stringify({ key })]) {
      expect(shown.toLowerCase()).not.toContain(xHex.slice(0, 16));
      expect(shown).not.toContain(xDecimal.slice(0, 16));
      expect(shown).toContain('redacted');
    }
  });
});
