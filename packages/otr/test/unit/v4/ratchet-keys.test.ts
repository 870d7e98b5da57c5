/**
 * Keys of the OTRv4 double ratchet computed independently from the spec's
 * formulas ("Interactive DAKE Overview", "Deriving Double Ratchet Keys",
 * "Calculating Encryption and MAC Keys", "When you send a Data Message"):
 * SHAKE-256 over "OTRv4" || usage ID || values straight from node:crypto,
 * the DH secret from OpenSSL's DiffieHellman, the ECDH secret from noble,
 * and the message opened with node:crypto's ChaCha20.
 */
import { createCipheriv, createDiffieHellman, createHash } from 'node:crypto';
import { ed448 } from '@noble/curves/ed448.js';
import { describe, expect, it } from 'vitest';
import { DH3072_PRIME_BYTES } from '../../../src/crypto/v4/dh3072.js';
import { encodeV4DataMacInput } from '../../../src/wire/v4/data-message.js';
import { decode, makeHandover, makePair, sealRaw } from './ratchet-pair.js';
import { encodeV4DataMessage } from '../../../src/wire/v4/data-message.js';

const shake = (usage: number, size: number, ...values: Uint8Array[]): Buffer => {
  const hash = createHash('shake256', { outputLength: size }).update('OTRv4').update(Uint8Array.of(usage));
  for (const value of values) hash.update(value);
  return hash.digest();
};

const le = (bytes: Uint8Array): bigint => bytes.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
const strip = (bytes: Buffer): Buffer => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
};

describe('double ratchet keys from the spec formulas', () => {
  it('the first chain: first root key, mixed secret, chain keys, message keys, authenticator and extra key', () => {
    const handover = makeHandover('known-keys');
    const { alice } = makePair('known-keys', handover);
    const first = sealRaw(alice, 'first', [{ type: 7, value: new Uint8Array(4) }], true);
    const second = sealRaw(alice, 'second');
    if (!first.ok || !second.ok || first.extraKey === undefined) throw new Error('sealing refused');

    // K_ecdh = ECDH(our_ecdh_first.secret, their_ecdh_first) as a POINT.
    const bobPoint = ed448.Point.fromBytes(handover.bobEcdh.publicKey.encode());
    const kEcdh = bobPoint.multiply(le(handover.aliceEcdh.secret.expose()) % ed448.Point.Fn.ORDER).toBytes();
    // k_dh = DH(our_dh_first.secret, their_dh_first), big-endian without leading zeros.
    const group = createDiffieHellman(Buffer.from(DH3072_PRIME_BYTES), Buffer.of(2));
    group.setPrivateKey(Buffer.from(handover.aliceDh.privateKey.expose()));
    const kDh = strip(group.computeSecret(Buffer.from(handover.bobDh.publicKey)));

    const prevRootKey = shake(0x0b, 64, handover.k); // usage_first_root_key
    const braceKey = shake(0x01, 32, kDh); // usage_third_brace_key
    const mixed = shake(0x03, 64, kEcdh, braceKey); // usage_shared_secret
    const chainKey0 = shake(0x13, 64, prevRootKey, mixed); // usage_chain_key
    const chainKey1 = shake(0x14, 64, chainKey0); // usage_next_chain_key
    const rootKey = shake(0x12, 64, prevRootKey, mixed); // usage_root_key
    expect(Buffer.from(alice.state.rootKey.expose())).toEqual(rootKey);
    expect(Buffer.from(alice.state.braceKey.expose())).toEqual(braceKey);

    for (const [sealed, chainKey, text] of [
      [first, chainKey0, 'first'],
      [second, chainKey1, 'second'],
    ] as const) {
      const mkEnc = shake(0x15, 64, chainKey); // usage_message_key
      const mkMac = shake(0x16, 64, mkEnc); // usage_MAC_key
      const sections = encodeV4DataMacInput(alice.route, sealed.body);
      expect(Buffer.from(sealed.body.authenticator)).toEqual(shake(0x18, 64, mkMac, sections)); // usage_authenticator
      const decipher = createCipheriv('chacha20', mkEnc.subarray(0, 32), new Uint8Array(16));
      const plaintext = Buffer.concat([decipher.update(sealed.body.encryptedMessage), decipher.final()]);
      expect(plaintext.subarray(0, text.length).toString()).toBe(text);
    }
    expect(Buffer.from(first.extraKey.expose())).toEqual(shake(0x17, 64, Uint8Array.of(0xff), chainKey0)); // usage_extra_symm_key
    expect(decode(encodeV4DataMessage(first.body)).dh).toEqual(handover.aliceDh.publicKey);
  });
});
