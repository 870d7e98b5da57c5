/**
 * The data message's keys, cipher and authenticator (OTRv4, "Calculating
 * Encryption and MAC Keys", "When you send a Data Message", "When you
 * receive a Data Message", "Extra Symmetric Key"):
 *
 *   MKenc, MKmac   = KDF(usage_message_key || chain_key, 64), KDF(usage_MAC_key || MKenc, 64)
 *   encrypted      = ChaCha20_Enc(first 32 bytes of MKenc, nonce = 0, m)
 *   Authenticator  = HCMAC(usage_authenticator || MKmac || data_message_sections, 64)
 *   extra_symm_key = KDF(usage_extra_symm_key || 0xFF || chain_key, 64)
 *
 * The cipher is ChaCha20 of RFC 8439 (12-byte nonce, 32-bit block counter
 * starting at 0) as otr4j uses it (BouncyCastle ChaCha7539Engine, 12 zero
 * bytes of IV); OpenSSL has it (node:crypto 'chacha20', whose 16-byte IV is
 * the counter, little-endian, then the nonce), so no other library is
 * needed. Every message has its own key, so the fixed nonce is safe.
 */
import { createCipheriv } from 'node:crypto';
import { constantTimeEqual } from '../constant-time.js';
import { Secret } from '../secret.js';
import { kdf, otrv4Shake, hcmac, USAGE } from './kdf.js';

/** Bytes of MKenc, MKmac, the Authenticator and the extra symmetric key. */
export const MESSAGE_KEY_BYTES = 64;
/** Bytes of the Authenticator (MAC). */
export const AUTHENTICATOR_BYTES = 64;
/** Bytes of the ChaCha20 key taken from MKenc. */
const CHACHA20_KEY_BYTES = 32;
/** OpenSSL's ChaCha20 IV: block counter 0 (4 bytes, little-endian) and the all-zero 12-byte nonce. */
const ZERO_COUNTER_AND_NONCE = new Uint8Array(16);
/** Bytes of the extra symmetric key TLV's context. */
export const EXTRA_KEY_CONTEXT_BYTES = 4;

/** The two keys of one data message. */
export interface MessageKeys {
  /** MKenc (64 bytes; its first 32 are the ChaCha20 key). */
  readonly encryptionKey: Secret;
  /** MKmac (64 bytes). */
  readonly macKey: Secret;
}

/** derive_enc_mac_keys(chain_key): MKenc = KDF(usage_message_key || chain_key, 64), MKmac = KDF(usage_MAC_key || MKenc, 64). */
export function deriveMessageKeys(chainKey: Secret): MessageKeys {
  const encryptionKey = new Secret(kdf(USAGE.usage_message_key, MESSAGE_KEY_BYTES, chainKey.expose()));
  const macKey = new Secret(kdf(USAGE.usage_MAC_key, MESSAGE_KEY_BYTES, encryptionKey.expose()));
  return { encryptionKey, macKey };
}

/** ChaCha20 with the first 32 bytes of MKenc and nonce 0; encryption and decryption are the same operation. */
function chacha20(encryptionKey: Secret, input: Uint8Array): Uint8Array {
  const key = encryptionKey.expose();
  if (key.length < CHACHA20_KEY_BYTES) throw new RangeError('MKenc is too short');
  const cipher = createCipheriv('chacha20', key.subarray(0, CHACHA20_KEY_BYTES), ZERO_COUNTER_AND_NONCE);
  const head = cipher.update(input);
  const tail = cipher.final();
  if (tail.length === 0) return new Uint8Array(head.buffer, head.byteOffset, head.byteLength);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  head.fill(0);
  return out;
}

/** encrypted_message = ChaCha20_Enc(MKenc, 0, plaintext). */
export function encryptDataMessage(encryptionKey: Secret, plaintext: Uint8Array): Uint8Array {
  return chacha20(encryptionKey, plaintext);
}

/** The plaintext of an encrypted message (the caller checked the Authenticator first). The caller owns and wipes it. */
export function decryptDataMessage(encryptionKey: Secret, ciphertext: Uint8Array): Uint8Array {
  return chacha20(encryptionKey, ciphertext);
}

/** Authenticator = HCMAC(usage_authenticator || MKmac || data_message_sections, 64), the sections from the protocol version to the encrypted message. */
export function dataMessageAuthenticator(macKey: Secret, sections: Uint8Array): Uint8Array {
  return hcmac(USAGE.usage_authenticator, AUTHENTICATOR_BYTES, macKey.expose(), sections);
}

/** True when `authenticator` is the Authenticator of `sections` under MKmac; compared in constant time. */
export function verifyDataMessageAuthenticator(macKey: Secret, sections: Uint8Array, authenticator: Uint8Array): boolean {
  if (authenticator.length !== AUTHENTICATOR_BYTES) return false;
  return constantTimeEqual(dataMessageAuthenticator(macKey, sections), authenticator);
}

/** extra_symm_key = KDF(usage_extra_symm_key || 0xFF || chain_key, 64) of the chain key that made the message keys. */
export function extraSymmetricKey(chainKey: Secret): Secret {
  return new Secret(kdf(USAGE.usage_extra_symm_key, MESSAGE_KEY_BYTES, Uint8Array.of(0xff), chainKey.expose()));
}

/**
 * A further key from the extra symmetric key: KDF(index || context ||
 * extra_sym_key, 64), index the TLV's position in the message's TLV list (one
 * byte, as otr4j writes it) and context the TLV's first 4 bytes.
 */
export function deriveFurtherExtraKey(index: number, context: Uint8Array, extraKey: Secret): Secret {
  if (context.length !== EXTRA_KEY_CONTEXT_BYTES) throw new RangeError('the context is 4 bytes');
  return new Secret(otrv4Shake(index, MESSAGE_KEY_BYTES, [context, extraKey.expose()]));
}
