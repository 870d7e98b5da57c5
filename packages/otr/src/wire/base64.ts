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

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Character code -> 6-bit value, or -1. */
const VALUE_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes as padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** The 6-bit value of the character at `index`, or -1 when it is not in the alphabet. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (VALUE_OF[code] ?? -1) : -1;
}

/**
 * Decodes padded base64. The empty string decodes to no bytes. Any other
 * character, a length that is not a multiple of 4, misplaced padding or
 * non-zero unused bits give a `bad-base64` DecodeError.
 */
export function decodeBase64(text: string): Uint8Array | DecodeError {
  if (text.length % 4 !== 0) return new DecodeError('bad-base64', 'base64 length is not a multiple of 4');
  if (text.length === 0) return new Uint8Array(0);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const fullGroups = text.length / 4 - (padding > 0 ? 1 : 0);
  let o = 0;
  for (let g = 0; g < fullGroups; g++) {
    const i = g * 4;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return new DecodeError('bad-base64', 'character outside the base64 alphabet');
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (padding === 0) return out;
  const i = text.length - 4;
  const a = sextet(text, i);
  const b = sextet(text, i + 1);
  const c = padding === 1 ? sextet(text, i + 2) : 0;
  if ((a | b | c) < 0) return new DecodeError('bad-base64', 'character outside the base64 alphabet');
  if (padding === 2 ? (b & 0x0f) !== 0 : (c & 0x03) !== 0) {
    return new DecodeError('bad-base64', 'non-zero bits in the padded base64 group');
  }
  out[o++] = ((a << 2) | (b >>> 4)) & 0xff;
  if (padding === 1) out[o] = ((b << 4) | (c >>> 2)) & 0xff;
  return out;
}
