/**
 * Sending within the transport's size (Protocol-v3, "Transmitting
 * Fragments"): an encoded `?OTR:...` message longer than the maximum goes
 * out as fragments, AKE and SMP messages included. Version 3 fragments carry
 * the instance tags, version 2 fragments none. Query, error and plaintext
 * messages are never fragmented (peers could not reassemble them).
 */
import { UsageError } from '../errors.js';
import { ENCODED_PREFIX, ENCODED_SUFFIX } from '../wire/envelope.js';
import { encodeFragments } from '../wire/fragment.js';
import type { ProtocolVersion } from '../wire/header.js';

/**
 * The texts that carry `encoded` within `maxSize` characters each
 * (0 = unlimited): `[encoded]` when it fits, else its fragments in order.
 * Throws {@link UsageError} when `encoded` is not an encoded message, when
 * `maxSize` cannot hold a fragment header and one character, or when more
 * than 65535 fragments would be needed.
 */
export function fragmentForSending(encoded: string, version: ProtocolVersion, senderTag: number, receiverTag: number, maxSize: number): string[] {
  if (!encoded.startsWith(ENCODED_PREFIX) || !encoded.endsWith(ENCODED_SUFFIX)) {
    throw new UsageError('not-encoded', 'only encoded ?OTR: messages are fragmented');
  }
  if (!Number.isFinite(maxSize) || maxSize < 0) throw new UsageError('bad-max-size', 'maximum message size must be 0 (unlimited) or positive');
  if (maxSize === 0 || encoded.length <= maxSize) return [encoded];
  return encodeFragments(encoded, maxSize, version, senderTag, receiverTag);
}
