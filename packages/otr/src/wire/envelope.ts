/**
 * The armour of encoded messages (Protocol-v3, "Encoded messages"): "?OTR:",
 * the base64 of the binary message, and ".". Decoding rejects `?OTR:.`,
 * `?OTR:===.`, a missing final "." and anything longer than the limits
 * (the CVE-2012-3461 and CVE-2016-2851 classes of bugs).
 */
import { DecodeError } from '../errors.js';
import { MAX_ENCODED_MESSAGE_BYTES } from '../limits.js';
import { decodeBase64, encodeBase64 } from './base64.js';

/** The prefix of an encoded message. */
export const ENCODED_PREFIX = '?OTR:';

/** Armours binary message bytes. */
export function encodeEncoded(bytes: Uint8Array): string {
  return `${ENCODED_PREFIX}${encodeBase64(bytes)}.`;
}

/** Extracts and decodes the binary message from `?OTR:...` text (which starts at index 0). */
export function decodeEncoded(text: string): Uint8Array | DecodeError {
  if (!text.startsWith(ENCODED_PREFIX)) return new DecodeError('bad-field', 'not an encoded message');
  const end = text.indexOf('.', ENCODED_PREFIX.length);
  if (end < 0) return new DecodeError('truncated', 'encoded message without final "."');
  const body = text.slice(ENCODED_PREFIX.length, end);
  if (body.length > (MAX_ENCODED_MESSAGE_BYTES / 3) * 4 + 4) return new DecodeError('too-long', 'encoded message too long');
  const bytes = decodeBase64(body);
  if (bytes instanceof DecodeError) return bytes;
  if (bytes.length < 3) return new DecodeError('truncated', 'encoded message too short');
  return bytes;
}
