import { describe, expect, it } from 'vitest';
import { FrameParser, headerValue, type RequestFrame } from '../../src/index.js';
import { crlf, dec, enc, framesOf, parseAll } from '../helpers.js';

// RFC 4975 section 7.1, "Basic IM Session" (bytes from the RFC text; the RFC's Byte-Range 1-16/16 counts a CRLF).
const RFC_SEND = crlf(
  'MSRP d93kswow SEND',
  'To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp',
  'From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp',
  'Message-ID: 12339sdqwer',
  'Byte-Range: 1-16/16',
  'Content-Type: text/plain',
  '',
  "Hi, I'm Alice!",
  '-------d93kswow$',
  '',
);
const RFC_200 = crlf(
  'MSRP d93kswow 200 OK',
  'To-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp',
  'From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp',
  '-------d93kswow$',
  '',
);
const RFC_REPORT = crlf(
  'MSRP dkei38sd REPORT',
  'To-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp',
  'From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp',
  'Message-ID: 12339sdqwer',
  'Byte-Range: 1-16/16',
  'Status: 000 200 OK',
  '-------dkei38sd$',
  '',
);
// RFC 4975 section 5.1 chunk example.
const RFC_CHUNK_1 = crlf('MSRP dkei38sd SEND', 'Message-ID: 4564dpWd', 'Byte-Range: 1-*/8', 'Content-Type: text/plain', '', 'abcd', '-------dkei38sd+', '');
const RFC_CHUNK_2 = crlf('MSRP dkei38ia SEND', 'Message-ID: 4564dpWd', 'Byte-Range: 5-8/8', 'Content-Type: text/plain', '', 'EFGH', '-------dkei38ia$', '');

describe('frame parser: RFC 4975 section 7 examples', () => {
  it('parses the SEND, its 200 and the REPORT of section 7.1', () => {
    const [send, ok, report] = framesOf(parseAll(RFC_SEND + RFC_200 + RFC_REPORT));
    expect(send).toMatchObject({ type: 'request', method: 'SEND', transactionId: 'd93kswow', flag: '$' });
    expect(dec(send!.body!)).toBe("Hi, I'm Alice!");
    expect(headerValue(send!, 'byte-range')).toBe('1-16/16');
    expect(ok).toMatchObject({ type: 'response', status: 200, comment: 'OK', body: undefined });
    expect(report).toMatchObject({ type: 'request', method: 'REPORT', body: undefined });
    expect(headerValue(report!, 'Status')).toBe('000 200 OK');
  });

  it('parses the chunks of section 5.1 with their continuation flags', () => {
    const [one, two] = framesOf(parseAll(RFC_CHUNK_1 + RFC_CHUNK_2));
    expect(one!.flag).toBe('+');
    expect(dec(one!.body!)).toBe('abcd');
    expect(two!.flag).toBe('$');
    expect(dec(two!.body!)).toBe('EFGH');
  });

  it('gives the same frames whatever the pieces the bytes arrive in (byte by byte)', () => {
    const parser = new FrameParser();
    const bytes = enc(RFC_SEND + RFC_200 + RFC_REPORT);
    const results = [];
    for (let i = 0; i < bytes.length; i++) results.push(...parser.push(bytes.subarray(i, i + 1)));
    expect(framesOf(results)).toEqual(framesOf(parseAll(bytes)));
    expect(parser.bytesHeld).toBe(0);
  });
});

describe('frame parser: bodies end only at their own end-line', () => {
  it('keeps lookalike end-lines (another transaction id, or no flag) inside the body', () => {
    const body = 'line\r\n-------otherid$\r\n-------abcd1234x\r\n-------abcd1234$ tail\r\nend';
    const frame = framesOf(parseAll(crlf('MSRP abcd1234 SEND', 'Content-Type: text/plain', '', body, '-------abcd1234$', '')))[0] as RequestFrame;
    expect(dec(frame.body!)).toBe(body);
  });

  it('accepts an empty body right after the blank line', () => {
    const frame = framesOf(parseAll('MSRP abcd1234 SEND\r\nContent-Type: text/plain\r\n\r\n-------abcd1234$\r\n'))[0]!;
    expect(frame.body).toEqual(new Uint8Array(0));
  });

  it('skips blank lines between frames', () => {
    expect(framesOf(parseAll(`\r\n${RFC_200}\r\n\r\n${RFC_200}`))).toHaveLength(2);
  });
});

describe('frame parser: hostile input gives typed errors and bounded memory', () => {
  it('a bad start line breaks the stream until resynchronise skips to the next "MSRP " line', () => {
    const parser = new FrameParser();
    expect(parser.push(enc('HTTP/1.1 200 OK\r\n'))).toEqual([{ kind: 'frame-error', code: 'bad-start-line', fatal: true }]);
    expect(parser.broken).toBe(true);
    expect(parser.push(enc(RFC_200))).toEqual([{ kind: 'frame-error', code: 'stream-broken', fatal: true }]);
    parser.resynchronise();
    expect(framesOf(parser.push(enc(`junk\r\n${RFC_200}`)))).toHaveLength(1);
  });

  it('an endless start line is cut at the start-line bound', () => {
    const parser = new FrameParser();
    const results = parser.push(enc('MSRP '.padEnd(100_000, 'a')));
    expect(results).toEqual([{ kind: 'frame-error', code: 'start-line-too-long', fatal: true }]);
    expect(parser.bytesHeld).toBe(0);
  });

  it('endless headers are cut at the header bound and the frame skipped to its end-line', () => {
    const parser = new FrameParser({ maxHeaderBytes: 1024 });
    const head = 'MSRP abcd1234 SEND\r\n' + 'X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(1000);
    const results = parser.push(enc(`${head}-------abcd1234$\r\n${RFC_200}`));
    expect(results[0]).toMatchObject({ kind: 'frame-error', code: 'headers-too-large', fatal: false, transactionId: 'abcd1234', method: 'SEND' });
    expect(results[1]).toMatchObject({ kind: 'frame', frame: { status: 200 } });
  });

  it('too many header fields are refused', () => {
    const head = 'MSRP abcd1234 SEND\r\n' + 'X: y\r\n'.repeat(65);
    expect(parseAll(`${head}-------abcd1234$\r\n`)[0]).toMatchObject({ code: 'too-many-headers' });
  });

  it('a 10 MiB body is discarded as it streams in; the next frame still parses', () => {
    const parser = new FrameParser();
    const results = parser.push(enc('MSRP abcd1234 SEND\r\nFrom-Path: msrp://a.example:1/x;tcp\r\nContent-Type: text/plain\r\n\r\n'));
    let peak = 0;
    const piece = new Uint8Array(64 * 1024).fill(0x61);
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += piece.length) {
      results.push(...parser.push(piece));
      peak = Math.max(peak, parser.bytesHeld);
    }
    results.push(...parser.push(enc(`\r\n-------abcd1234$\r\n${RFC_200}`)));
    expect(results.map((r) => (r.kind === 'frame' ? 'frame' : r.code))).toEqual(['body-too-large', 'frame']);
    expect(peak).toBeLessThan(1024 * 1024 + 128 * 1024);
  });

  it('a bad header line is reported with the transaction id and skipped', () => {
    const results = parseAll(`MSRP abcd1234 SEND\r\nno colon here\r\n-------abcd1234$\r\n${RFC_200}`);
    expect(results[0]).toMatchObject({ kind: 'frame-error', code: 'bad-header', transactionId: 'abcd1234' });
    expect(results[1]).toMatchObject({ kind: 'frame' });
  });

  it('transaction ids follow msrplib: 4 to 32 ident characters', () => {
    expect(parseAll('MSRP abc SEND\r\n')[0]).toMatchObject({ code: 'bad-start-line' });
    expect(parseAll(`MSRP ${'a'.repeat(33)} SEND\r\n`)[0]).toMatchObject({ code: 'bad-start-line' });
    expect(framesOf(parseAll('MSRP a.+%=-1 200 OK\r\n-------a.+%=-1$\r\n'))).toHaveLength(1);
  });
});
