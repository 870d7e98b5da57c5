/**
 * Sending within the transport's size (Protocol-v3, "Transmitting
 * Fragments"): every encoded `?OTR:` message longer than the maximum goes out
 * as fragments, AKE and SMP messages included.
 */
import { UsageError } from '../errors.js';
import { encodeFragments } from '../wire/index.js';

/** The texts that carry `encoded` within `maxSize` characters (0 = unlimited). */
export function fragmentForSending(encoded: string, version: 2 | 3, senderTag: number, receiverTag: number, maxSize: number): string[] {
  if (maxSize === 0 || encoded.length <= maxSize) return [encoded];
  const fragments = encodeFragments(encoded, maxSize, version, senderTag, receiverTag);
  if (fragments === undefined) throw new UsageError('too-large', 'message needs more than 65535 fragments at this maximum size');
  return fragments;
}
