/**
 * SHA-1, SHA-256 and their HMACs through OpenSSL (Protocol-v3, "Data Types"
 * and the key derivation: SHA-1 and HMAC-SHA1 for data messages, SHA-256 and
 * SHA256-HMAC / SHA256-HMAC160 for the AKE and SMP).
 */
import { createHash, createHmac } from 'node:crypto';

/**
 * A plain Uint8Array view of a digest Buffer: OpenSSL's output is a fresh,
 * unpooled allocation, and a copy would leave an unwiped duplicate of what
 * may be key material (the KDF's outputs) behind.
 */
function viewOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function digest(algorithm: string, parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return viewOf(hash.digest());
}

/** SHA-1 over the concatenation of `parts`. */
export function sha1(...parts: Uint8Array[]): Uint8Array {
  return digest('sha1', parts);
}

/** SHA-256 over the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  return digest('sha256', parts);
}

/** HMAC-SHA1 (data-message authenticator). */
export function hmacSha1(key: Uint8Array, data: Uint8Array): Uint8Array {
  return viewOf(createHmac('sha1', key).update(data).digest());
}

/** HMAC-SHA256 (the AKE's M_A and M_B). */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return viewOf(createHmac('sha256', key).update(data).digest());
}

/** SHA256-HMAC-160: the first 160 bits of HMAC-SHA256 (the AKE's MAC'd signature). */
export function hmacSha256_160(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmacSha256(key, data).slice(0, 20);
}
