/** fast-check arbitraries for MSRP frames, shared by the property tests and the fuzz targets. */
import fc from 'fast-check';
import { bodyContainsEndLine, type Frame, type Header } from '../src/index.js';

const identChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+%='.split(''));
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));

/** RFC 4975 ident: ALPHANUM 3*31ident-char. */
export const ident = fc.tuple(alnum, fc.string({ unit: identChar, minLength: 3, maxLength: 31 })).map(([a, b]) => a + b);

const tokenChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*+'.split(''));
const headerName = fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')), fc.string({ unit: tokenChar, maxLength: 20 })).map(([a, b]) => a + b);
const visible = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const textChar = fc.oneof(visible, fc.constant(' '), fc.constantFrom('é', 'ü', '中', '🙂'));
/** A header value as the parser hands it out: no control characters, no space at either end. */
const headerValueArb = fc.string({ unit: textChar, maxLength: 60 }).map((s) => s.trim());

export const header: fc.Arbitrary<Header> = fc.record({ name: headerName, value: headerValueArb });

/** Any frame the serializer can write and the parser must give back unchanged. */
export const frame: fc.Arbitrary<Frame> = fc
  .record({
    transactionId: ident,
    isRequest: fc.boolean(),
    method: fc.stringMatching(/^[A-Z]{1,10}$/),
    status: fc.integer({ min: 0, max: 999 }),
    comment: fc.string({ unit: textChar, maxLength: 30 }),
    headers: fc.array(header, { maxLength: 12 }),
    body: fc.option(fc.uint8Array({ maxLength: 600 }), { nil: undefined }),
    flag: fc.constantFrom('$' as const, '+' as const, '#' as const),
  })
  .filter((f) => f.body === undefined || !bodyContainsEndLine(f.body, f.transactionId))
  .map((f): Frame => (f.isRequest
    ? { type: 'request', transactionId: f.transactionId, method: f.method, headers: f.headers, body: f.body, flag: f.flag }
    : { type: 'response', transactionId: f.transactionId, status: f.status, comment: f.comment, headers: f.headers, body: f.body, flag: f.flag }));

/** Cuts `bytes` at the given points (arbitrary pieces, as a socket delivers them). */
export function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let last = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(last, point));
    last = point;
  }
  pieces.push(bytes.subarray(last));
  return pieces;
}
