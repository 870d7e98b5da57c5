/**
 * DSA and fingerprints against libotr itself (test/vectors/libotr/dsa.json,
 * written by generate-crypto-kat.py with crypto-kat.c on libotr5-dev): we
 * read libotr's keys and fingerprints the same way, accept every signature
 * libotr made over 32-byte values, and make exactly the signatures libotr
 * was shown to accept; the controls libotr rejected we reject too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deterministicRandom, dsaPrivateKeyFromParts, dsaSign, dsaVerify, fingerprint, formatFingerprint, type DsaPublicKey } from '../../../src/crypto/index.js';

interface Signed {
  value: string;
  signature: string;
}
interface OurSigned extends Signed {
  seed: string;
  libotr: 'good' | 'bad';
}
interface Control extends Signed {
  what: string;
  libotr: 'good' | 'bad';
}
interface KeyCase {
  name: string;
  origin: string;
  key: { p: string; q: string; g: string; y: string; x: string };
  fingerprint: string;
  fingerprintHuman: string;
  libotrSignatures: Signed[];
  ourSignatures: OurSigned[];
  controls: Control[];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const { keys } = JSON.parse(readFileSync(new URL('../../vectors/libotr/dsa.json', import.meta.url), 'utf8')) as { keys: KeyCase[] };

function publicKeyOf(c: KeyCase): DsaPublicKey {
  return { p: bytes(c.key.p), q: bytes(c.key.q), g: bytes(c.key.g), y: bytes(c.key.y) };
}

describe('libotr DSA vectors', () => {
  it('cover libotr-, OpenSSL- and hand-made keys, one with a short y', () => {
    expect(keys.map((c) => c.name)).toEqual(['libotr', 'short-y', 'ours']);
    expect(keys.find((c) => c.name === 'short-y')?.key.y.length).toBeLessThan(256);
  });

  for (const c of keys) {
    describe(`key "${c.name}" (${c.origin})`, () => {
      const publicKey = publicKeyOf(c);

      it('imports, and has libotr fingerprint (raw and human form)', () => {
        const key = dsaPrivateKeyFromParts({ ...publicKey, x: bytes(c.key.x) });
        expect(key).toBeDefined();
        expect(hex(fingerprint(publicKey))).toBe(c.fingerprint);
        expect(formatFingerprint(fingerprint(publicKey))).toBe(c.fingerprintHuman);
      });

      it('accepts every signature libotr made, and none over another value', () => {
        expect(c.libotrSignatures.length).toBeGreaterThan(0);
        for (const signed of c.libotrSignatures) {
          expect([signed.value, dsaVerify(publicKey, bytes(signed.value), bytes(signed.signature))]).toEqual([signed.value, true]);
          const other = bytes(signed.value);
          other[0] = (other[0] ?? 0) ^ 0x80;
          expect(dsaVerify(publicKey, other, bytes(signed.signature))).toBe(false);
        }
      });

      it('makes exactly the signatures libotr accepted', () => {
        const key = dsaPrivateKeyFromParts({ ...publicKey, x: bytes(c.key.x) });
        if (key === undefined) throw new Error('key refused');
        for (const signed of c.ourSignatures) {
          expect(signed.libotr).toBe('good');
          expect(hex(dsaSign(key, bytes(signed.value), deterministicRandom(signed.seed)))).toBe(signed.signature);
          expect(dsaVerify(publicKey, bytes(signed.value), bytes(signed.signature))).toBe(true);
        }
      });

      it('rejects what libotr rejected', () => {
        expect(c.controls.length).toBeGreaterThan(0);
        for (const control of c.controls) {
          expect([control.what, control.libotr]).toEqual([control.what, 'bad']);
          expect(dsaVerify(publicKey, bytes(control.value), bytes(control.signature))).toBe(false);
        }
      });
    });
  }
});
