/**
 * Reading a block of `Name: value` lines ended by a blank line, as both CPIM
 * parts use: lines end with CRLF or bare LF (sipsimple writes the inner MIME
 * headers with LF), a line starting with a space or tab continues the one
 * before (MIME folding), and every read is bounded in bytes and lines.
 */
import { fromUtf8, lineAt } from '../bytes.js';
import { decoded, failed, type DecodeResult } from '../errors.js';

/** One header line: the name as written and the value with surrounding spaces trimmed. */
export interface HeaderLine {
  readonly name: string;
  readonly value: string;
}

/** A header block and where what follows it starts. */
export interface HeaderBlock {
  readonly headers: readonly HeaderLine[];
  /** Offset of the first byte after the block (after its blank line, when it had one). */
  readonly next: number;
}

/** How a block may end. */
export interface HeaderBlockOptions {
  readonly maxBytes: number;
  readonly maxHeaders: number;
  /**
   * True for the inner MIME part: a line that is not a header ends the block
   * (it is the body's first line, as Python's email parser reads it), and the
   * end of input without a blank line ends it too. False for CPIM's own
   * headers: such lines are skipped, and a blank line must come.
   */
  readonly lenientEnd: boolean;
}

const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

/** Reads the header block starting at `start`. Never throws. */
export function readHeaderBlock(bytes: Uint8Array, start: number, options: HeaderBlockOptions): DecodeResult<HeaderBlock> {
  const headers: { name: string; value: string }[] = [];
  const limit = start + options.maxBytes;
  let offset = start;
  let lines = 0;
  for (;;) {
    const line = lineAt(bytes, offset, limit);
    if (line === undefined) {
      if (options.lenientEnd) {
        // No line end in reach: a body without headers (whatever its length), or a last header line without its end.
        if (!startsWithHeaderName(bytes.subarray(offset, Math.min(bytes.length, limit)))) return decoded({ headers, next: offset });
        if (bytes.length <= limit) {
          const last = headerLine(bytes.subarray(offset));
          if (last !== undefined && headers.length < options.maxHeaders) return decoded({ headers: [...headers, last], next: bytes.length });
          return decoded({ headers, next: offset });
        }
      }
      if (bytes.length <= limit) return failed('unterminated-headers', 'the header block has no blank line after it');
      return failed('unterminated-headers', `no blank line within ${options.maxBytes} bytes of headers`);
    }
    if (line.end === line.start) return decoded({ headers, next: line.next });
    if (++lines > options.maxHeaders * 4) return failed('too-many-headers', 'too many header lines');
    const first = bytes[line.start];
    const previous = headers[headers.length - 1];
    if ((first === SPACE || first === TAB) && previous !== undefined) {
      previous.value = `${previous.value} ${fromUtf8(bytes.subarray(line.start, line.end)).trim()}`.trim();
    } else {
      const header = headerLine(bytes.subarray(line.start, line.end));
      if (header === undefined) {
        if (options.lenientEnd) return decoded({ headers, next: line.start });
      } else {
        if (headers.length >= options.maxHeaders) return failed('too-many-headers', `more than ${options.maxHeaders} headers`);
        headers.push(header);
      }
    }
    offset = line.next;
  }
}

/** Whether `bytes` starts with a header name and its colon. */
function startsWithHeaderName(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte === COLON) return index > 0;
    if (byte <= SPACE || byte > 0x7e) return false;
  }
  return false;
}

/** `Name: value` with a name of visible ASCII other than the colon, or undefined. */
function headerLine(line: Uint8Array): { name: string; value: string } | undefined {
  const colon = line.indexOf(COLON);
  if (colon <= 0) return undefined;
  for (let index = 0; index < colon; index++) {
    const byte = line[index] as number;
    if (byte <= SPACE || byte > 0x7e) return undefined;
  }
  return { name: fromUtf8(line.subarray(0, colon)), value: fromUtf8(line.subarray(colon + 1)).trim() };
}
