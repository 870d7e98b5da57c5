/**
 * Sending within the transport's size (Protocol-v3, "Transmitting
 * Fragments"; OTRv4, "Transmitting Fragments"): an encoded `?OTR:...`
 * message longer than the maximum goes out as fragments, AKE and SMP
 * messages included. Version 4 fragments carry the instance tags and a
 * fresh random identifier per message, version 3 fragments the instance
 * tags, version 2 fragments neither. Query, error and plaintext messages are
 * never fragmented (peers could not reassemble them).
 */
import type { RandomSource } from '../crypto/random.js';
import { UsageError } from '../errors.js';
import { ENCODED_PREFIX, ENCODED_SUFFIX } from '../wire/envelope.js';
import { encodeFragments, type FragmentVersion } from '../wire/fragment.js';

/** Bytes of a v4 fragment identifier. */
const IDENTIFIER_BYTES = 4;

/**
 * A fresh v4 fragment identifier: 4 random bytes, big-endian. The spec asks
 * for a value unique while the message is being fragmented; 32 random bits
 * make a repeat among the few messages a peer reassembles at once unlikely,
 * and a repeat only costs those messages (they are dropped as out of
 * sequence), never a mix of pieces that completes.
 */
export function freshFragmentIdentifier(random: RandomSource): number {
  const bytes = random(IDENTIFIER_BYTES);
  if (bytes.length !== IDENTIFIER_BYTES) throw new UsageError('bad-argument', 'the random source returned the wrong number of bytes');
  return new DataView(bytes.buffer, bytes.byteOffset, IDENTIFIER_BYTES).getUint32(0);
}

/**
 * The texts that carry `encoded` within `maxSize` characters each
 * (0 = unlimited): `[encoded]` when it fits, else its fragments in order.
 * Version 4 needs `random`, from which one identifier is drawn for all the
 * fragments of this message (nothing is drawn when the message fits).
 * Throws {@link UsageError} when `encoded` is not an encoded message, when
 * `maxSize` cannot hold a fragment header and one character, when more
 * than 65535 fragments would be needed, or for version 4 without `random`.
 */
export function fragmentForSending(
  encoded: string,
  version: FragmentVersion,
  senderTag: number,
  receiverTag: number,
  maxSize: number,
  random?: RandomSource,
): string[] {
  if (!encoded.startsWith(ENCODED_PREFIX) || !encoded.endsWith(ENCODED_SUFFIX)) {
    throw new UsageError('not-encoded', 'only encoded ?OTR: messages are fragmented');
  }
  if (!Number.isFinite(maxSize) || maxSize < 0) throw new UsageError('bad-max-size', 'maximum message size must be 0 (unlimited) or positive');
  if (version === 4 && random === undefined) throw new UsageError('bad-fragment-input', 'version 4 fragments need a random source for their identifier');
  if (maxSize === 0 || encoded.length <= maxSize) return [encoded];
  if (version !== 4 || random === undefined) return encodeFragments(encoded, maxSize, version, senderTag, receiverTag);
  return encodeFragments(encoded, maxSize, version, senderTag, receiverTag, freshFragmentIdentifier(random));
}
