/**
 * The armour of encoded messages (Protocol-v3, "Encoded messages"): the five
 * bytes "?OTR:", the base64 of the binary message, and ".".
 *
 * {@link decodeEncoded} reads exactly one armoured message: `?OTR:.` (no
 * bytes), `?OTR:===.` and any other bad base64, a missing final "." and text
 * after it are DecodeErrors, and base64 longer than the decoded-size limit is
 * refused before anything is allocated (the CVE-2012-3461 and CVE-2016-2851
 * classes of bugs). Finding the armour inside a longer text is classify.ts's
 * job.
 */
import { DecodeError } from '../errors.js';
import { MAX_ENCODED_MESSAGE_BYTES } from '../limits.js';
import { decodeBase64, encodeBase64 } from './base64.js';

/** The prefix of an encoded message. */
export const ENCODED_PREFIX = '?OTR:';
/** The byte that ends an encoded message. */
export const ENCODED_SUFFIX = '.';

/** Longest base64 body accepted: the encoding of MAX_ENCODED_MESSAGE_BYTES. */
const MAX_BASE64_CHARS = Math.ceil(MAX_ENCODED_MESSAGE_BYTES / 3) * 4;

/** Armours binary message bytes as `?OTR:<base64>.`. */
export function encodeEncoded(bytes: Uint8Array): string {
  return `${ENCODED_PREFIX}${encodeBase64(bytes)}${ENCODED_SUFFIX}`;
}

/**
 * Decodes `?OTR:<base64>.` (the whole of `text`) to the binary message.
 * An empty message is refused: every OTR message has at least a header.
 */
export function decodeEncoded(text: string): Uint8Array | DecodeError {
  if (!text.startsWith(ENCODED_PREFIX)) return new DecodeError('bad-field', 'not an encoded message');
  const end = text.indexOf(ENCODED_SUFFIX, ENCODED_PREFIX.length);
  if (end < 0) return new DecodeError('truncated', 'encoded message without final "."');
  if (end !== text.length - 1) return new DecodeError('trailing-bytes', 'text after the final "." of an encoded message');
  const bodyLength = end - ENCODED_PREFIX.length;
  if (bodyLength > MAX_BASE64_CHARS) return new DecodeError('too-long', 'encoded message too long');
  if (bodyLength === 0) return new DecodeError('truncated', 'empty encoded message');
  return decodeBase64(text.slice(ENCODED_PREFIX.length, end));
}
