/**
 * S-expressions in libgcrypt's "advanced" text form, as libotr writes
 * otr.private_key (privkey.c, through gcry_sexp_sprint): lists in
 * parentheses; atoms as tokens, "quoted strings" with C escapes, #hex#,
 * |base64| or length-prefixed 3:abc; [display hints] are read and dropped.
 * Encoding only, no crypto.
 */
import { parsed, problem, type Parsed } from './result.js';

/** An atom (its bytes) or a list. */
export type Sexp = Uint8Array | Sexp[];

/** Deeper nesting than this is refused (otr.private_key nests four deep). */
const MAX_DEPTH = 32;
const TOKEN_START = /[A-Za-z\-./_:*+=]/;
const TOKEN_CHAR = /[A-Za-z0-9\-./_:*+=]/;
const SPACE = /\s/;
const SIMPLE_ESCAPES: Record<string, number> = { b: 8, t: 9, v: 11, n: 10, f: 12, r: 13, '"': 34, "'": 39, '\\': 92 };

class Cursor {
  offset = 0;
  constructor(readonly text: string) {}
  get line(): number {
    return this.text.slice(0, this.offset).split('\n').length;
  }
  peek(): string | undefined {
    return this.text[this.offset];
  }
  skipSpace(): void {
    while (this.offset < this.text.length && SPACE.test(this.text[this.offset] ?? '')) this.offset++;
  }
}

class SyntaxProblem extends Error {}

function fail(cursor: Cursor, what: string): never {
  throw new SyntaxProblem(`line ${cursor.line}: ${what}`);
}

function readQuoted(cursor: Cursor): Uint8Array {
  cursor.offset++; // opening quote
  const bytes: number[] = [];
  for (;;) {
    const ch = cursor.peek();
    if (ch === undefined) fail(cursor, 'unterminated quoted string');
    cursor.offset++;
    if (ch === '"') return Uint8Array.from(bytes);
    if (ch !== '\\') {
      bytes.push(ch.charCodeAt(0));
      continue;
    }
    const escape = cursor.peek();
    if (escape === undefined) fail(cursor, 'unterminated quoted string');
    cursor.offset++;
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) bytes.push(simple);
    else if (escape === '\n') continue;
    else if (escape === '\r') {
      if (cursor.peek() === '\n') cursor.offset++;
    } else if (/[0-7]/.test(escape)) {
      const digits = escape + cursor.text.slice(cursor.offset, cursor.offset + 2);
      if (!/^[0-7]{3}$/.test(digits)) fail(cursor, 'bad octal escape in a quoted string');
      cursor.offset += 2;
      bytes.push(parseInt(digits, 8) & 0xff);
    } else if (escape === 'x') {
      const digits = cursor.text.slice(cursor.offset, cursor.offset + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(digits)) fail(cursor, 'bad \\x escape in a quoted string');
      cursor.offset += 2;
      bytes.push(parseInt(digits, 16));
    } else fail(cursor, `unknown escape \\${escape} in a quoted string`);
  }
}

function readDelimited(cursor: Cursor, close: string, what: string): string {
  const end = cursor.text.indexOf(close, cursor.offset + 1);
  if (end < 0) fail(cursor, `unterminated ${what}`);
  const body = cursor.text.slice(cursor.offset + 1, end).replace(/\s+/g, '');
  cursor.offset = end + 1;
  return body;
}

function readAtom(cursor: Cursor): Uint8Array {
  const ch = cursor.peek() ?? '';
  if (ch === '"') return readQuoted(cursor);
  if (ch === '#') {
    const hex = readDelimited(cursor, '#', 'hex string');
    if (!/^(?:[0-9A-Fa-f]{2})*$/.test(hex)) fail(cursor, 'bad hex string');
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  }
  if (ch === '|') {
    const base64 = readDelimited(cursor, '|', 'base64 string');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) fail(cursor, 'bad base64 string');
    return Uint8Array.from(Buffer.from(base64, 'base64'));
  }
  if (/[0-9]/.test(ch)) {
    const match = /^([0-9]{1,9}):/.exec(cursor.text.slice(cursor.offset, cursor.offset + 10));
    if (match?.[1] === undefined) fail(cursor, 'bad length-prefixed string');
    const length = Number(match[1]);
    const start = cursor.offset + match[0].length;
    if (start + length > cursor.text.length) fail(cursor, 'truncated length-prefixed string');
    cursor.offset = start + length;
    return latin1Bytes(cursor.text.slice(start, start + length));
  }
  if (TOKEN_START.test(ch)) {
    const start = cursor.offset;
    while (TOKEN_CHAR.test(cursor.peek() ?? '')) cursor.offset++;
    return latin1Bytes(cursor.text.slice(start, cursor.offset));
  }
  fail(cursor, `unexpected ${JSON.stringify(ch)}`);
}

function readList(cursor: Cursor, depth: number): Sexp[] {
  if (depth > MAX_DEPTH) fail(cursor, 'nested too deeply');
  cursor.offset++; // (
  const items: Sexp[] = [];
  for (;;) {
    cursor.skipSpace();
    const ch = cursor.peek();
    if (ch === undefined) fail(cursor, 'missing ")"');
    if (ch === ')') {
      cursor.offset++;
      return items;
    }
    if (ch === '(') items.push(readList(cursor, depth + 1));
    else if (ch === '[') readDelimited(cursor, ']', 'display hint');
    else items.push(readAtom(cursor));
  }
}

/** The file's bytes one per character, so any byte survives into atoms unchanged. */
function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/** Parses one S-expression list filling the whole input (whitespace around it allowed). */
export function parseSexp(bytes: Uint8Array): Parsed<Sexp[]> {
  const text = Buffer.from(bytes).toString('latin1');
  const cursor = new Cursor(text);
  try {
    cursor.skipSpace();
    if (cursor.peek() !== '(') fail(cursor, 'expected "(" at the start');
    const list = readList(cursor, 1);
    cursor.skipSpace();
    if (cursor.offset !== text.length) fail(cursor, 'unexpected text after the closing ")"');
    return parsed(list);
  } catch (error) {
    if (error instanceof SyntaxProblem) return problem(error.message);
    throw error;
  }
}

/** The text of an atom, if it is one and is valid UTF-8. */
export function atomText(sexp: Sexp | undefined): string | undefined {
  if (!(sexp instanceof Uint8Array)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(sexp);
  } catch {
    return undefined;
  }
}

/** The direct sub-lists of `list` whose first atom is `name`. */
export function sublists(list: readonly Sexp[], name: string): Sexp[][] {
  return list.filter((item): item is Sexp[] => Array.isArray(item) && atomText(item[0]) === name);
}

/** An atom written the way libgcrypt would read it back: a bare token when possible, else a quoted string. */
export function encodeAtom(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  if (/^[A-Za-z\-./_:*+=][A-Za-z0-9\-./_:*+=]*$/.test(text)) return text;
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** An unsigned integer as libgcrypt prints an MPI: upper-case #hex#, with a 00 byte when the top bit is set. */
export function encodeMpi(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = Buffer.from(bytes.subarray(start)).toString('hex').toUpperCase();
  return `#${(bytes[start] ?? 0) >= 0x80 ? '00' : ''}${body}#`;
}
