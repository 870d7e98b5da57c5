/**
 * Long-term Ed448 keys and EdDSA through OpenSSL ("Public keys, Shared
 * Prekeys, Forging keys and Fingerprints", "Create/Verify a Client Profile
 * Signature"): RFC 8032 section 7.4 byte for byte, OpenSSL's public key equal
 * to the one our arithmetic derives, and refusals of altered input.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../../src/crypto/random.js';
import { Secret } from '../../../../src/crypto/secret.js';
import { opensslEd448PublicKey } from '../../../../src/crypto/v4/eddsa.js';
import { ed448Fingerprint, Ed448KeyPair, hwc, USAGE, verifyEd448Signature } from '../../../../src/crypto/v4/index.js';
import { UsageError } from '../../../../src/errors.js';
import { fromHex, hex, vectors } from './helpers.js';

interface RfcCase { name: string; secretKey: string; publicKey: string; message: string; signature: string }
const rfc = (vectors('rfc8032/ed448.json') as { cases: RfcCase[] }).cases;

describe('Ed448 signatures: RFC 8032 section 7.4', () => {
  it.each(rfc)('$name: key pair, signature and verification', ({ secretKey, publicKey, message, signature }) => {
    const pair = Ed448KeyPair.fromSymmetricKey(new Secret(fromHex(secretKey)));
    expect(hex(pair.publicKeyBytes())).toBe(publicKey);
    expect(hex(pair.sign(fromHex(message)))).toBe(signature);
    expect(verifyEd448Signature(fromHex(publicKey), fromHex(message), fromHex(signature))).toBe(true);
  });

  it.each(rfc)('$name: OpenSSL derives the same public key as our arithmetic', ({ secretKey, publicKey }) => {
    expect(hex(opensslEd448PublicKey(fromHex(secretKey)))).toBe(publicKey);
  });
});

describe('Ed448 signatures: refusals', () => {
  const { secretKey, publicKey, message, signature } = rfc[1]!;

  it('a changed message, signature or key does not verify', () => {
    const sig = fromHex(signature);
    for (const index of [0, 56, 57, 113]) {
      const changed = Uint8Array.from(sig);
      changed[index]! ^= 0x01;
      expect(verifyEd448Signature(fromHex(publicKey), fromHex(message), changed)).toBe(false);
    }
    expect(verifyEd448Signature(fromHex(publicKey), Uint8Array.of(0x04), sig)).toBe(false);
    expect(verifyEd448Signature(fromHex(rfc[0]!.publicKey), fromHex(message), sig)).toBe(false);
  });

  it('wrong sizes and undecodable keys give false, not an exception', () => {
    expect(verifyEd448Signature(new Uint8Array(56), fromHex(message), fromHex(signature))).toBe(false);
    expect(verifyEd448Signature(fromHex(publicKey), fromHex(message), new Uint8Array(113))).toBe(false);
    const notOnCurve = new Uint8Array(57);
    notOnCurve[0] = 2;
    expect(verifyEd448Signature(notOnCurve, fromHex(message), fromHex(signature))).toBe(false);
  });

  it('S >= q is refused (RFC 8032 5.2.7)', () => {
    const sig = fromHex(signature);
    const q = (1n << 446n) - 13818066809895115352007386748515426880336692474882178609894547503885n;
    let s = 0n;
    for (let i = 113; i >= 57; i--) s = (s << 8n) | BigInt(sig[i]!);
    let bumped = s + q;
    for (let i = 57; i < 114; i++, bumped >>= 8n) sig[i] = Number(bumped & 0xffn);
    expect(verifyEd448Signature(fromHex(publicKey), fromHex(message), sig)).toBe(false);
  });

  it('a symmetric key of the wrong size is a UsageError', () => {
    expect(() => Ed448KeyPair.fromSymmetricKey(new Secret(new Uint8Array(32)))).toThrow(UsageError);
    expect(secretKey.length).toBe(114);
  });
});

describe('Ed448KeyPair', () => {
  it('generates from the random source, signs what verifies, and wipes', () => {
    const pair = Ed448KeyPair.generate(deterministicRandom('identity'));
    const message = new TextEncoder().encode('client profile');
    expect(verifyEd448Signature(pair.publicKeyBytes(), message, pair.sign(message))).toBe(true);
    expect(hex(opensslEd448PublicKey(pair.exposeSymmetricKey()))).toBe(hex(pair.publicKeyBytes()));
    pair.wipe();
    expect(pair.wiped).toBe(true);
    expect(() => pair.sign(message)).toThrow();
  });

  it('shows no secret in inspection or JSON', () => {
    const pair = Ed448KeyPair.generate(deterministicRandom('redacted'));
    const secretHex = hex(pair.exposeSymmetricKey());
    const scalarHex = hex(pair.exposeSecretScalar());
    for (const shown of [inspect(pair, { depth: 5 }), JSON.stringify(pair), String(pair)]) {
      expect(shown).not.toContain(secretHex);
      expect(shown).not.toContain(scalarHex);
    }
  });

  it('the fingerprint is HWC(usage_fingerprint || H || F, 56)', () => {
    const h = Ed448KeyPair.generate(deterministicRandom('H')).publicKey;
    const f = Ed448KeyPair.generate(deterministicRandom('F')).publicKey;
    const fingerprint = ed448Fingerprint(h, f);
    expect(fingerprint.length).toBe(56);
    expect(hex(fingerprint)).toBe(hex(hwc(USAGE.usage_fingerprint, 56, h.encode(), f.encode())));
  });
});
