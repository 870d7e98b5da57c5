/**
 * Just enough DER (ITU-T X.690) to read and write DSA private keys: strict
 * definite lengths in minimal form, single-byte tags, minimal positive
 * INTEGERs. Encoding only, no crypto.
 */
import { parsed, problem, type Parsed } from './result.js';

/** Universal tags used by DSA key structures. */
export const TAG = { INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30 } as const;

/** One DER element. */
export interface DerElement {
  readonly tag: number;
  readonly content: Uint8Array;
}

/** Splits `bytes` into consecutive elements; the whole input must be consumed. */
export function readElements(bytes: Uint8Array): Parsed<DerElement[]> {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tag = bytes[offset] ?? 0;
    if ((tag & 0x1f) === 0x1f) return problem('DER: multi-byte tags are not supported');
    let lengthByte = bytes[offset + 1];
    if (lengthByte === undefined) return problem('DER: truncated element');
    let cursor = offset + 2;
    let length = lengthByte;
    if (lengthByte === 0x80) return problem('DER: indefinite lengths are not allowed');
    if (lengthByte > 0x80) {
      const count = lengthByte & 0x7f;
      if (count > 4) return problem('DER: length too large');
      length = 0;
      for (let i = 0; i < count; i++) {
        lengthByte = bytes[cursor++];
        if (lengthByte === undefined) return problem('DER: truncated length');
        if (i === 0 && lengthByte === 0) return problem('DER: length not in minimal form');
        length = length * 256 + lengthByte;
      }
      if (length < 0x80) return problem('DER: length not in minimal form');
    }
    if (cursor + length > bytes.length) return problem('DER: element runs past the end');
    out.push({ tag, content: bytes.subarray(cursor, cursor + length) });
    offset = cursor + length;
  }
  return parsed(out);
}

/** The children of a constructed element with the expected tag. */
export function readChildren(element: DerElement | undefined, tag: number, what: string): Parsed<DerElement[]> {
  if (element?.tag !== tag) return problem(`DER: expected ${what}`);
  return readElements(element.content);
}

/** A non-negative INTEGER's magnitude (big-endian, no sign byte). */
export function readUnsigned(element: DerElement | undefined, what: string): Parsed<Uint8Array> {
  if (element?.tag !== TAG.INTEGER || element.content.length === 0) return problem(`DER: ${what} is not an INTEGER`);
  const bytes = element.content;
  const first = bytes[0] ?? 0;
  if (first & 0x80) return problem(`DER: ${what} is negative`);
  if (bytes.length > 1 && first === 0 && ((bytes[1] ?? 0) & 0x80) === 0) return problem(`DER: ${what} is not in minimal form`);
  return parsed(first === 0 && bytes.length > 1 ? bytes.slice(1) : bytes.slice());
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One element from its tag and content. */
export function encodeElement(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  return Buffer.concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

/** A non-negative INTEGER from its big-endian magnitude. */
export function encodeUnsigned(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const magnitude = value.subarray(start);
  const body = (magnitude[0] ?? 0) & 0x80 ? Buffer.concat([Uint8Array.of(0), magnitude]) : magnitude;
  return encodeElement(TAG.INTEGER, body.length === 0 ? Uint8Array.of(0) : body);
}
