/**
 * Strict base64 (RFC 4648 section 4, padded) for the `?OTR:` armour
 * (Protocol-v3, "Encoded messages").
 *
 * Strict means: only the 64 alphabet characters and `=`; the length is a
 * multiple of 4; `=` only as the last one or two characters; and the bits a
 * padded group leaves unused are zero, so every byte string has exactly one
 * accepted encoding. libotr's own decoder skips unknown characters; we do
 * not, because a lenient decoder is how the CVE-2012-3461 class of bugs
 * (mis-sized output buffers) starts, and peers never send anything else.
 */
import { DecodeError } from '../errors.js';

/** Encodes bytes as padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/**
 * Decodes padded base64. The empty string decodes to no bytes. Any other
 * character, a length that is not a multiple of 4, misplaced padding or
 * non-zero unused bits give a `bad-base64` DecodeError.
 *
 * Native decoding through Buffer, made strict by a round trip:
 * Node's decoder skips what it does not understand and its encoder writes
 * the one canonical padded form, so a text is canonical base64 exactly when
 * re-encoding its decoded bytes gives the text back.
 */
export function decodeBase64(text: string): Uint8Array | DecodeError {
  if (text.length % 4 !== 0) return new DecodeError('bad-base64', 'base64 length is not a multiple of 4');
  const decoded = Buffer.from(text, 'base64');
  if (decoded.toString('base64') !== text) return new DecodeError('bad-base64', 'not canonical base64 (a character outside the alphabet, misplaced padding or non-zero unused bits)');
  // Small results are slices of Node's shared pool: copy those, so nothing
  // kept from a message pins (or shares memory with) unrelated buffers.
  // Large ones own their memory: a plain view of it saves the copy.
  const ownsMemory = decoded.byteOffset === 0 && decoded.buffer.byteLength === decoded.byteLength;
  return ownsMemory ? new Uint8Array(decoded.buffer) : new Uint8Array(decoded);
}
