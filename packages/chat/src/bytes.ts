/** Byte and text helpers shared by the codecs. */

const encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes; invalid sequences become U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Charsets decoded as UTF-8 (ASCII is a subset; sipsimple writes `utf8`). */
const UTF8_NAMES = new Set(['utf8', 'utf-8', 'us-ascii', 'ascii']);

/**
 * Text from bytes in `charset` (default UTF-8); a charset the platform does
 * not know is read as UTF-8. Never throws.
 */
export function decodeText(bytes: Uint8Array, charset: string | undefined): string {
  if (charset === undefined || UTF8_NAMES.has(charset)) return fromUtf8(bytes);
  try {
    return new TextDecoder(charset, { fatal: false }).decode(bytes);
  } catch {
    return fromUtf8(bytes);
  }
}

/** True when every byte is 7-bit. */
export function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte > 0x7f) return false;
  return true;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * The body with every CRLF, lone CR and lone LF written as LF: what Python's
 * email generator does to the body of the MIME part sipsimple puts inside CPIM.
 */
export function normalizeNewlines(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(CR)) return bytes;
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte === CR) {
      out[length++] = LF;
      if (bytes[index + 1] === LF) index++;
    } else {
      out[length++] = byte;
    }
  }
  return out.subarray(0, length);
}

/** One line of a header block: its bytes without the line end, and where the next line starts. */
export interface Line {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/**
 * The line starting at `start`, ended by LF or CRLF (a lone CR is part of
 * the line), looking no further than `limit`; undefined when no line end
 * comes before `limit`.
 */
export function lineAt(bytes: Uint8Array, start: number, limit: number): Line | undefined {
  const stop = Math.min(bytes.length, limit);
  const lf = bytes.subarray(0, stop).indexOf(LF, start);
  if (lf < 0) return undefined;
  const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
  return { start, end, next: lf + 1 };
}
