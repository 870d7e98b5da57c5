/**
 * The 8-byte "top half of counter init" of data messages (Protocol-v3,
 * "Data Message"): it must increase, as a big-endian value, with each message
 * sent under the same key pair, must not be all zero, and a receiver rejects
 * any counter not strictly larger than the last one it saw for that pair.
 */
import { COUNTER_BYTES } from '../../wire/index.js';

/** The counter before the first message (all zero, never sent). */
export function initialCounter(): Uint8Array {
  return new Uint8Array(COUNTER_BYTES);
}

/** The next counter value, or undefined once all 2^64 - 1 values are used. */
export function nextCounter(counter: Uint8Array): Uint8Array | undefined {
  const next = Uint8Array.from(counter);
  for (let i = next.length - 1; i >= 0; i--) {
    const byte = next[i] ?? 0;
    if (byte < 0xff) {
      next[i] = byte + 1;
      return next;
    }
    next[i] = 0;
  }
  return undefined;
}

/** True when `candidate` is strictly greater than `last` (both 8 bytes, big-endian). */
export function counterIsNewer(candidate: Uint8Array, last: Uint8Array): boolean {
  for (let i = 0; i < COUNTER_BYTES; i++) {
    const a = candidate[i] ?? 0;
    const b = last[i] ?? 0;
    if (a !== b) return a > b;
  }
  return false;
}
