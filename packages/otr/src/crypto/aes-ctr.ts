/**
 * AES-128 in counter mode (Protocol-v3: the AKE encrypts with initial counter
 * 0; data messages use the 8-byte "top half of counter init" followed by 8
 * zero bytes).
 */
import { createCipheriv } from 'node:crypto';

/** Eight zero bytes: the AKE's initial counter. */
export const ZERO_COUNTER: Uint8Array = new Uint8Array(8);

/** Encrypts or decrypts `data` with AES-128-CTR; the IV is `counterTop` || 0^64. */
export function aes128Ctr(key: Uint8Array, counterTop: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError('AES-128 key must be 16 bytes');
  if (counterTop.length !== 8) throw new RangeError('counter top half must be 8 bytes');
  const iv = new Uint8Array(16);
  iv.set(counterTop, 0);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  const out = cipher.update(data);
  cipher.final();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
