import { describe, expect, it } from 'vitest';
import { ChatUsageError, decodeCpim, encodeCpim, limits, type CpimMessage } from '../../src/index.js';
import { BLINK_OTR_QUERY, BLINK_OTR_QUERY_TIME, BLINK_USER_MESSAGE_HEAD, SIPSIMPLE_NON_ASCII } from '../vectors/blink.js';
import { RFC3862_EXAMPLE } from '../vectors/rfc.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function decode(text: string | Uint8Array): CpimMessage {
  const result = decodeCpim(typeof text === 'string' ? enc.encode(text) : text);
  if (!result.ok) throw new Error(`${result.code}: ${result.detail}`);
  return result.value;
}

describe('CPIM: RFC 3862 section 5.1 example', () => {
  const example = RFC3862_EXAMPLE;

  it('reads every header, the namespaced extensions and the inner part', () => {
    const message = decode(example);
    expect(message.from).toEqual({ uri: 'im:piglet@100akerwood.com', displayName: 'MR SANDERS' });
    expect(message.to).toEqual([{ uri: 'im:eeyore@100akerwood.com', displayName: 'Depressed Donkey' }]);
    expect(message.dateTime).toBe('2000-12-13T13:40:00-08:00');
    expect(message.dateTimeMs).toBe(Date.UTC(2000, 11, 13, 21, 40, 0));
    expect(message.subjects).toEqual([{ text: 'the weather will be fine today' }, { lang: 'fr', text: "beau temps prevu pour aujourd'hui" }]);
    expect(message.required).toEqual(['MyFeatures.VitalMessageOption']);
    expect(message.extensions).toEqual([
      { prefix: 'MyFeatures', namespace: 'mid:MessageFeatures@id.foo.com', name: 'VitalMessageOption', value: 'Confirmation-requested' },
      { prefix: 'MyFeatures', namespace: 'mid:MessageFeatures@id.foo.com', name: 'WackyMessageOption', value: 'Use-silly-font' },
    ]);
    expect(message.contentType).toBe('text/xml');
    expect(message.charset).toBe('utf-8');
    expect(message.mimeHeaders).toEqual([
      { name: 'Content-type', value: 'text/xml; charset=utf-8' },
      { name: 'Content-ID', value: '<1234567890@foo.com>' },
    ]);
    expect(dec.decode(message.body)).toBe('<body>\r\nHere is the text of my message.\r\n</body>');
  });

  it('an undeclared prefix is kept without a namespace', () => {
    const message = decode('Other.Thing: 1\r\n\r\nContent-Type: text/plain\r\n\r\nx');
    expect(message.extensions).toEqual([{ prefix: 'Other', name: 'Thing', value: '1' }]);
  });
});

describe('CPIM: the bytes Blink sends', () => {
  it('decodes the OTR query at stream start (LF inner headers, MIME-Version, microsecond DateTime)', () => {
    const bytes = enc.encode(BLINK_OTR_QUERY);
    expect(bytes.length).toBe(257); // the MSRP Byte-Range of that SEND
    const message = decode(bytes);
    expect(message.from).toEqual({ uri: 'sip:alice@127.0.0.1', displayName: 'alice' });
    expect(message.to).toEqual([{ uri: 'sip:bob@127.0.0.1' }]);
    expect(message.dateTimeMs).toBeCloseTo(BLINK_OTR_QUERY_TIME, 3);
    expect(message.contentType).toBe('text/plain');
    expect(message.charset).toBeUndefined();
    expect(dec.decode(message.body)).toBe('?OTRv3?  I would like to start an Off-the-Record private conversation, but you do not seem to support that.');
  });

  it('encodes the OTR query to the same 257 bytes', () => {
    const body = enc.encode('?OTRv3?  I would like to start an Off-the-Record private conversation, but you do not seem to support that.');
    const bytes = encodeCpim({
      from: { uri: 'sip:alice@127.0.0.1', displayName: 'alice' },
      to: [{ uri: 'sip:bob@127.0.0.1' }],
      dateTime: BLINK_OTR_QUERY_TIME,
      contentType: 'text/plain',
      body,
    });
    expect(dec.decode(bytes)).toBe(BLINK_OTR_QUERY);
  });

  it("encodes a user message's head as Blink (charset utf8, no transfer encoding for ASCII OTR output)", () => {
    const data = '?OTR:AAMDiE4QnVM6p0kAAAAAAQAAAAEAAADA.';
    const bytes = encodeCpim({
      from: { uri: 'sip:alice@127.0.0.1', displayName: 'alice' },
      to: [{ uri: 'sip:bob@127.0.0.1' }],
      dateTime: Date.UTC(2026, 11, 6, 3, 43, 13, 218) + 0.018,
      contentType: 'text/plain',
      charset: 'utf8',
      body: enc.encode(data),
    });
    expect(dec.decode(bytes)).toBe(BLINK_USER_MESSAGE_HEAD + data);
    const message = decode(bytes);
    expect(message.charset).toBe('utf8');
    expect(dec.decode(message.body)).toBe(data);
  });

  it('a non-ASCII text gets the empty Content-Transfer-Encoding line, and a whole-second DateTime no fraction, as Python writes them', () => {
    const bytes = encodeCpim({
      from: { uri: 'sip:alice@example.com', displayName: 'Alice' },
      to: [{ uri: 'sip:bob@example.com' }],
      dateTime: Date.UTC(2024, 0, 1, 12, 0, 0),
      contentType: 'text/plain',
      charset: 'utf8',
      body: enc.encode('héllo'),
    });
    expect(dec.decode(bytes)).toBe(SIPSIMPLE_NON_ASCII);
    expect(dec.decode(decode(bytes).body)).toBe('héllo');
  });

  it('line ends of the body are written as LF, as Python\'s email generator does', () => {
    const bytes = encodeCpim({ contentType: 'text/plain', charset: 'utf8', body: enc.encode('a\r\nb\rc\nd\n') });
    expect(dec.decode(bytes)).toBe('\r\n\r\nMIME-Version: 1.0\nContent-Type: text/plain; charset="utf8"\n\na\nb\nc\nd\n');
  });

  it('an empty Content-Transfer-Encoding, with or without space, is read and ignored', () => {
    for (const line of ['Content-Transfer-Encoding:\n', 'Content-Transfer-Encoding: \n']) {
      const message = decode(`To: <sip:b@x>\r\n\r\nMIME-Version: 1.0\nContent-Type: text/html; charset="utf8"\n${line}\nhé<b>llo</b>`);
      expect(message.contentType).toBe('text/html');
      expect(dec.decode(message.body)).toBe('hé<b>llo</b>');
    }
  });
});

describe('CPIM: lenient decoding', () => {
  it('reads LF-only CPIM headers', () => {
    const message = decode('From: <sip:a@x>\nTo: <sip:b@x>\n\nContent-Type: text/plain\n\nhi');
    expect(message.from?.uri).toBe('sip:a@x');
    expect(dec.decode(message.body)).toBe('hi');
  });

  it('a missing DateTime and a missing inner Content-Type are allowed (text/plain)', () => {
    const message = decode('From: <sip:a@x>\r\n\r\n\r\nhi');
    expect(message.dateTime).toBeUndefined();
    expect(message.contentType).toBe('text/plain');
    expect(dec.decode(message.body)).toBe('hi');
  });

  it('an inner part without headers starts its body at once', () => {
    const message = decode('To: <sip:b@x>\r\n\r\njust text\nmore');
    expect(message.mimeHeaders).toEqual([]);
    expect(dec.decode(message.body)).toBe('just text\nmore');
  });

  it('a headerless inner part with a long single-line body is read', () => {
    const long = 'x'.repeat(limits.MAX_MIME_HEADER_BYTES + 100);
    const message = decode(`To: <sip:b@x>\r\n\r\n${long}`);
    expect(message.contentType).toBe('text/plain');
    expect(dec.decode(message.body)).toBe(long);
  });

  it('a quoted display name and an escaped quote are read', () => {
    expect(decode('From: "Bob \\"B\\" Smith" <sip:bob@x>\r\n\r\n\r\n').from).toEqual({ uri: 'sip:bob@x', displayName: 'Bob "B" Smith' });
  });

  it('a redefined default namespace makes From an extension header', () => {
    const message = decode('NS: <urn:other>\r\nFrom: <sip:a@x>\r\n\r\n\r\n');
    expect(message.from).toBeUndefined();
    expect(message.extensions).toEqual([{ namespace: 'urn:other', name: 'From', value: '<sip:a@x>' }]);
  });
});

describe('CPIM: bounds and typed failures', () => {
  it('no blank line after the CPIM headers is unterminated-headers', () => {
    const result = decodeCpim(enc.encode('From: <sip:a@x>\r\nTo: <sip:b@x>'));
    expect(result).toMatchObject({ ok: false, code: 'unterminated-headers' });
  });

  it('endless CPIM headers stop at the byte bound', () => {
    const result = decodeCpim(enc.encode(`X: ${'a'.repeat(limits.MAX_CPIM_HEADER_BYTES + 10)}\r\n\r\n`));
    expect(result).toMatchObject({ ok: false, code: 'unterminated-headers' });
  });

  it('too many CPIM headers are too-many-headers', () => {
    const result = decodeCpim(enc.encode(`${'X: 1\r\n'.repeat(limits.MAX_CPIM_HEADERS + 1)}\r\n`));
    expect(result).toMatchObject({ ok: false, code: 'too-many-headers' });
  });

  it('too many inner headers are too-many-headers', () => {
    const result = decodeCpim(enc.encode(`\r\n${'X: 1\n'.repeat(limits.MAX_MIME_HEADERS + 1)}\nbody`));
    expect(result).toMatchObject({ ok: false, code: 'too-many-headers' });
  });

  it('a payload over the bound is too-large', () => {
    expect(decodeCpim(new Uint8Array(11), { maxBytes: 10 })).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('encoding refuses header injection', () => {
    expect(() => encodeCpim({ subject: 'a\r\nFrom: <sip:evil@x>', contentType: 'text/plain', body: new Uint8Array() })).toThrow(ChatUsageError);
    expect(() => encodeCpim({ to: [{ uri: 'sip:b@x>\r\nX: 1' }], contentType: 'text/plain', body: new Uint8Array() })).toThrow(ChatUsageError);
    expect(() => encodeCpim({ contentType: 'text/plain\nX: 1', body: new Uint8Array() })).toThrow(ChatUsageError);
  });

  it('encoding cleans a display name of controls and angle brackets', () => {
    const bytes = encodeCpim({ from: { uri: 'sip:a@x', displayName: 'Eve\r\n<x>' }, contentType: 'text/plain', body: new Uint8Array() });
    expect(dec.decode(bytes).split('\r\n')[0]).toBe('From: Eve   x <sip:a@x>');
  });

  it('extension headers are declared with NS once per prefix', () => {
    const bytes = encodeCpim({
      extensions: [
        { prefix: 'imdn', namespace: 'urn:ietf:params:imdn', name: 'Message-ID', value: '42' },
        { prefix: 'imdn', namespace: 'urn:ietf:params:imdn', name: 'Disposition-Notification', value: 'positive-delivery, display' },
      ],
      contentType: 'text/plain',
      body: new Uint8Array(),
    });
    expect(dec.decode(bytes)).toBe(
      'NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: 42\r\nimdn.Disposition-Notification: positive-delivery, display\r\n\r\nMIME-Version: 1.0\nContent-Type: text/plain\n\n',
    );
    expect(decode(bytes).extensions.map((header) => header.namespace)).toEqual(['urn:ietf:params:imdn', 'urn:ietf:params:imdn']);
  });
});
