/**
 * AES-128 in counter mode (Protocol-v3, "Data Types": AES in CTR mode with a
 * 128-bit counter block). The AKE encrypts with initial counter 0 ("Revealing
 * the signature"); data messages use the 8-byte "top half of counter init"
 * followed by 8 zero bytes ("Data Message"). The whole 16-byte block is
 * incremented as one big-endian integer, as in NIST SP 800-38A and libgcrypt.
 */
import { createCipheriv } from 'node:crypto';

/** Eight zero bytes: the AKE's initial counter (top half; the low half is zero too). */
export const ZERO_COUNTER: Uint8Array = new Uint8Array(8);

const KEY_BYTES = 16;
const BLOCK_BYTES = 16;
const COUNTER_TOP_BYTES = 8;

/**
 * Encrypts or decrypts `data` with AES-128-CTR starting at the full 16-byte
 * counter block `initialCounter`.
 */
export function aes128CtrBlock(key: Uint8Array, initialCounter: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== KEY_BYTES) throw new RangeError('AES-128 key must be 16 bytes');
  if (initialCounter.length !== BLOCK_BYTES) throw new RangeError('counter block must be 16 bytes');
  const cipher = createCipheriv('aes-128-ctr', key, initialCounter);
  // A stream mode (block size 1): update() returns every byte and final()
  // would add none, so it is not called. The output is OpenSSL's fresh
  // buffer; hand it on as a plain Uint8Array view.
  const out = cipher.update(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Encrypts or decrypts `data` with AES-128-CTR; the initial counter block is
 * `counterTop` (8 bytes) followed by 8 zero bytes. Encryption and decryption
 * are the same operation.
 */
export function aes128Ctr(key: Uint8Array, counterTop: Uint8Array, data: Uint8Array): Uint8Array {
  if (counterTop.length !== COUNTER_TOP_BYTES) throw new RangeError('counter top half must be 8 bytes');
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(counterTop, 0);
  return aes128CtrBlock(key, block, data);
}
