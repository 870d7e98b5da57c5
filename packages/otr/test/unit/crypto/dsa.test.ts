import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { dsaPrivateKeyFromParts, dsaPrivateKeyToParts, dsaSign, dsaVerify, deterministicRandom, fingerprint, formatFingerprint, generateDsaKey } from '../../../src/crypto/index.js';

const key = generateDsaKey();
const value = new Uint8Array(32).fill(7);

describe('DSA', () => {
  it('generates 1024/160 keys', () => {
    expect(key.publicKey.p.length).toBe(128);
    expect(key.publicKey.q.length).toBe(20);
  });

  it('signs and verifies; rejects a changed value, r = 0, s = q and wrong lengths', () => {
    const signature = dsaSign(key, value, deterministicRandom('sig'));
    expect(signature.length).toBe(40);
    expect(dsaVerify(key.publicKey, value, signature)).toBe(true);
    const changed = Uint8Array.from(value);
    changed[31]! ^= 1;
    expect(dsaVerify(key.publicKey, changed, signature)).toBe(false);
    const zeroR = Uint8Array.from(signature);
    zeroR.fill(0, 0, 20);
    expect(dsaVerify(key.publicKey, value, zeroR)).toBe(false);
    const sIsQ = Uint8Array.from(signature);
    sIsQ.set(key.publicKey.q, 20);
    expect(dsaVerify(key.publicKey, value, sIsQ)).toBe(false);
    expect(dsaVerify(key.publicKey, value, signature.subarray(0, 39))).toBe(false);
  });

  it('treats the signed value modulo q, as libgcrypt does with an untruncated 256-bit value', () => {
    const signature = dsaSign(key, value, deterministicRandom('mod'));
    // value + q (as a big-endian integer) must verify under the same signature.
    const q = BigInt('0x' + Buffer.from(key.publicKey.q).toString('hex'));
    const v = BigInt('0x' + Buffer.from(value).toString('hex')) + q;
    const shifted = Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
    expect(dsaVerify(key.publicKey, shifted, signature)).toBe(true);
  });

  it('round-trips through parts and refuses inconsistent parts', () => {
    const parts = dsaPrivateKeyToParts(key);
    const again = dsaPrivateKeyFromParts({ ...parts, x: parts.x.expose() });
    expect(again && Buffer.from(fingerprint(again.publicKey)).equals(Buffer.from(fingerprint(key.publicKey)))).toBe(true);
    const badX = Uint8Array.from(parts.x.expose());
    badX[badX.length - 1]! ^= 1;
    expect(dsaPrivateKeyFromParts({ ...parts, x: badX })).toBeUndefined();
  });

  it('formats fingerprints like libotr and redacts the private key', () => {
    expect(formatFingerprint(new Uint8Array(20).fill(0xab))).toBe('ABABABAB ABABABAB ABABABAB ABABABAB ABABABAB');
    expect(inspect(key)).not.toMatch(/[0-9a-f]{16}/);
    expect(JSON.stringify(key)).toBe('"[DsaPrivateKey: redacted]"');
  });
});
