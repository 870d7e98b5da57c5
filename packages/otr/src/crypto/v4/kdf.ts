/**
 * SHAKE-256 and OTRv4's hash functions over it (OTRv4, "Key Derivation
 * Function, Hash Function and MAC Function"):
 *
 *   KDF(usage_ID || values, size)   = SHAKE-256("OTRv4" || usage_ID || values, size)
 *   HWC(usage_ID || values, size)   = the same, used to make a hash
 *   HCMAC(usage_ID || values, size) = the same, used to make a MAC
 *
 * `size` is in bytes. The three differ only in intent, so they share one
 * implementation; each keeps its spec name so a reader can match call sites
 * to the spec. SHAKE-256 runs in OpenSSL (node:crypto, `outputLength`).
 */
import { createHash } from 'node:crypto';

/** The usage IDs of the spec's list ("The following usageID variables are defined"), one byte each. */
export const USAGE = {
  usage_fingerprint: 0x00,
  usage_third_brace_key: 0x01,
  usage_brace_key: 0x02,
  usage_shared_secret: 0x03,
  usage_SSID: 0x04,
  usage_auth_r_bob_client_profile: 0x05,
  usage_auth_r_alice_client_profile: 0x06,
  usage_auth_r_phi: 0x07,
  usage_auth_i_bob_client_profile: 0x08,
  usage_auth_i_alice_client_profile: 0x09,
  usage_auth_i_phi: 0x0a,
  usage_first_root_key: 0x0b,
  usage_tmp_key: 0x0c,
  usage_auth_MAC_key: 0x0d,
  usage_non_int_auth_bob_client_profile: 0x0e,
  usage_non_int_auth_alice_client_profile: 0x0f,
  usage_non_int_auth_phi: 0x10,
  usage_auth_MAC: 0x11,
  usage_root_key: 0x12,
  usage_chain_key: 0x13,
  usage_next_chain_key: 0x14,
  usage_message_key: 0x15,
  usage_MAC_key: 0x16,
  usage_extra_symm_key: 0x17,
  usage_authenticator: 0x18,
  usage_SMP_secret: 0x19,
  usage_auth: 0x1a,
} as const;

/** One of the spec's usage IDs. */
export type UsageId = (typeof USAGE)[keyof typeof USAGE];

/** The domain prefix "OTRv4" of every KDF, HWC and HCMAC input. */
const OTRV4_PREFIX = new TextEncoder().encode('OTRv4');
/** SHAKE-256 output sizes the protocol uses are at most 114 bytes; refuse absurd requests early. */
const MAX_OUTPUT_BYTES = 1 << 16;

/** A plain Uint8Array view of OpenSSL's fresh output buffer (no copy is left behind to wipe). */
function viewOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 0 || size > MAX_OUTPUT_BYTES) throw new RangeError('bad SHAKE-256 output size');
}

/** SHAKE-256(parts..., size): the first `size` bytes of SHAKE-256 over the concatenation of `parts`. */
export function shake256(size: number, ...parts: Uint8Array[]): Uint8Array {
  checkSize(size);
  const hash = createHash('shake256', { outputLength: size });
  for (const part of parts) hash.update(part);
  return viewOf(hash.digest());
}

/**
 * SHAKE-256("OTRv4" || byte || values..., size) for any one-byte prefix: the
 * usage IDs, and the index byte of the extra symmetric key's further keys
 * ("Extra Symmetric Key": `KDF(index || context || extra_sym_key, 64)`).
 */
export function otrv4Shake(leadingByte: number, size: number, values: readonly Uint8Array[]): Uint8Array {
  checkSize(size);
  if (!Number.isInteger(leadingByte) || leadingByte < 0 || leadingByte > 0xff) throw new RangeError('bad usage byte');
  const hash = createHash('shake256', { outputLength: size });
  hash.update(OTRV4_PREFIX);
  hash.update(Uint8Array.of(leadingByte));
  for (const value of values) hash.update(value);
  return viewOf(hash.digest());
}

/** KDF(usage_ID || values, size): key derivation. The caller owns (and wipes) the result. */
export function kdf(usage: UsageId, size: number, ...values: Uint8Array[]): Uint8Array {
  return otrv4Shake(usage, size, values);
}

/** HWC(usage_ID || values, size): hash with context. */
export function hwc(usage: UsageId, size: number, ...values: Uint8Array[]): Uint8Array {
  return otrv4Shake(usage, size, values);
}

/** HCMAC(usage_ID || values, size): MAC with context (the key is one of the values). */
export function hcmac(usage: UsageId, size: number, ...values: Uint8Array[]): Uint8Array {
  return otrv4Shake(usage, size, values);
}
