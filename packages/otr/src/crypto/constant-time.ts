/** Constant-time comparison for MACs and other secret-dependent equality. */
import { timingSafeEqual } from 'node:crypto';

/** True when a and b are equal; time depends only on the lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
