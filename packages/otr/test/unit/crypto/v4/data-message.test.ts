/**
 * The data message's cipher, keys and MAC ("Data Message", "Calculating
 * Encryption and MAC Keys", "Extra Symmetric Key"): OpenSSL's ChaCha20
 * against the RFC 7539 vectors (test/vectors/pycryptodome/chacha20.json),
 * our zero-nonce use of it, the KDF compositions and the Authenticator's
 * refusals.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../../src/crypto/secret.js';
import {
  AUTHENTICATOR_BYTES,
  dataMessageAuthenticator,
  decryptDataMessage,
  deriveFurtherExtraKey,
  deriveMessageKeys,
  encryptDataMessage,
  extraSymmetricKey,
  kdf,
  shake256,
  USAGE,
  verifyDataMessageAuthenticator,
} from '../../../../src/crypto/v4/index.js';
import { fromHex, hex, vectors } from './helpers.js';

interface ChaChaCase { key: string; nonce: string; counter: number; plaintext: string; ciphertext: string }
const chacha = (vectors('pycryptodome/chacha20.json') as { cases: ChaChaCase[] }).cases;

describe('ChaCha20 known answers (RFC 7539 A.2)', () => {
  it.each(chacha)('OpenSSL chacha20 with block counter $counter', ({ key, nonce, counter, plaintext, ciphertext }) => {
    const iv = new Uint8Array(16);
    new DataView(iv.buffer).setUint32(0, counter, true);
    iv.set(fromHex(nonce), 4);
    const cipher = createCipheriv('chacha20', fromHex(key), iv);
    expect(Buffer.concat([cipher.update(fromHex(plaintext)), cipher.final()]).toString('hex')).toBe(ciphertext);
  });

  it('our cipher is the vector with key 0, nonce 0, counter 0 (only MKenc\'s first 32 bytes count)', () => {
    const zero = chacha.find((c) => c.counter === 0 && /^0+$/.test(c.key) && /^0+$/.test(c.nonce))!;
    const mkEnc = new Uint8Array(64);
    mkEnc.fill(0xaa, 32);
    expect(hex(encryptDataMessage(new Secret(mkEnc), fromHex(zero.plaintext)))).toBe(zero.ciphertext);
  });
});

describe('data message keys, encryption and authenticator', () => {
  const chainKey = new Secret(Uint8Array.from({ length: 64 }, (_, i) => i));

  it('MKenc = KDF(usage_message_key || chain_key, 64), MKmac = KDF(usage_MAC_key || MKenc, 64)', () => {
    const { encryptionKey, macKey } = deriveMessageKeys(chainKey);
    expect(hex(encryptionKey.expose())).toBe(hex(kdf(USAGE.usage_message_key, 64, chainKey.expose())));
    expect(hex(macKey.expose())).toBe(hex(kdf(USAGE.usage_MAC_key, 64, encryptionKey.expose())));
  });

  it('decrypts what it encrypts, for empty and multi-block messages', () => {
    const { encryptionKey } = deriveMessageKeys(chainKey);
    for (const length of [0, 1, 64, 65, 1000]) {
      const plaintext = Uint8Array.from({ length }, (_, i) => i * 7);
      const ciphertext = encryptDataMessage(encryptionKey, plaintext);
      expect(ciphertext.length).toBe(length);
      expect(hex(decryptDataMessage(encryptionKey, ciphertext))).toBe(hex(plaintext));
    }
  });

  it('the Authenticator is SHAKE-256("OTRv4" || usage_authenticator || MKmac || sections, 64)', () => {
    const { macKey } = deriveMessageKeys(chainKey);
    const sections = new TextEncoder().encode('version .. encrypted message');
    const expected = shake256(64, new TextEncoder().encode('OTRv4'), Uint8Array.of(0x18), macKey.expose(), sections);
    expect(hex(dataMessageAuthenticator(macKey, sections))).toBe(hex(expected));
    expect(verifyDataMessageAuthenticator(macKey, sections, expected)).toBe(true);
  });

  it('a changed section, MAC, MAC length or key fails verification', () => {
    const { macKey } = deriveMessageKeys(chainKey);
    const sections = Uint8Array.of(0, 4, 3, 1, 2, 3);
    const mac = dataMessageAuthenticator(macKey, sections);
    const changedMac = Uint8Array.from(mac);
    changedMac[63]! ^= 1;
    expect(verifyDataMessageAuthenticator(macKey, sections, changedMac)).toBe(false);
    expect(verifyDataMessageAuthenticator(macKey, Uint8Array.of(0, 4, 3, 1, 2, 4), mac)).toBe(false);
    expect(verifyDataMessageAuthenticator(macKey, sections, mac.subarray(0, AUTHENTICATOR_BYTES - 1))).toBe(false);
    const other = deriveMessageKeys(new Secret(new Uint8Array(64).fill(1))).macKey;
    expect(verifyDataMessageAuthenticator(other, sections, mac)).toBe(false);
  });

  it('extra symmetric keys: KDF(usage_extra_symm_key || 0xFF || chain_key, 64), then KDF(index || context || key, 64)', () => {
    const extra = extraSymmetricKey(chainKey);
    expect(hex(extra.expose())).toBe(hex(kdf(USAGE.usage_extra_symm_key, 64, Uint8Array.of(0xff), chainKey.expose())));
    const context = Uint8Array.of(0, 0, 0x10, 0x4a);
    const further = deriveFurtherExtraKey(3, context, extra);
    expect(hex(further.expose())).toBe(hex(shake256(64, new TextEncoder().encode('OTRv4'), Uint8Array.of(3), context, extra.expose())));
    expect(() => deriveFurtherExtraKey(3, Uint8Array.of(1), extra)).toThrow(RangeError);
  });
});
