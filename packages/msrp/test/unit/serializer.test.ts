import { describe, expect, it } from 'vitest';
import { MsrpSession, parseMsrpUri, responseTo, serializeFrame, serializeRequest, type RequestFrame, UsageError } from '../../src/index.js';
import { crlf, dec, enc, framesOf, parseAll } from '../helpers.js';

const ALICE = parseMsrpUri('msrp://alicepc.example.com:7777/iau39soe2843z;tcp')!;
const BOB = parseMsrpUri('msrp://bob.example.com:8888/9di4eae923wzd;tcp')!;

describe('serializer', () => {
  it('writes the RFC 4975 section 7.1 SEND byte for byte', () => {
    const bytes = serializeRequest({
      transactionId: 'd93kswow',
      method: 'SEND',
      toPath: [BOB],
      fromPath: [ALICE],
      headers: [{ name: 'Message-ID', value: '12339sdqwer' }, { name: 'Byte-Range', value: '1-16/16' }, { name: 'Content-Type', value: 'text/plain' }],
      body: enc("Hi, I'm Alice!"),
    });
    expect(dec(bytes)).toBe(crlf('MSRP d93kswow SEND', `To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp`, 'From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp', 'Message-ID: 12339sdqwer', 'Byte-Range: 1-16/16', 'Content-Type: text/plain', '', "Hi, I'm Alice!", '-------d93kswow$', ''));
  });

  it('answers with To-Path = the first From-Path URI (the previous hop) and From-Path = us', () => {
    const request = framesOf(parseAll(crlf('MSRP tttt0001 SEND', 'To-Path: msrp://b.example:1/bb11;tcp', 'From-Path: msrp://relay.example:2855/r1;tcp msrp://a.example:1/aa11;tcp', 'Message-ID: m1m1m1m1', '-------tttt0001$', '')))[0] as RequestFrame;
    expect(dec(responseTo(request, 200)!)).toBe(crlf('MSRP tttt0001 200 OK', 'To-Path: msrp://relay.example:2855/r1;tcp', 'From-Path: msrp://b.example:1/bb11;tcp', '-------tttt0001$', ''));
  });

  it('refuses a body holding its own end-line, header injection, and bad ids', () => {
    const base = { type: 'request' as const, transactionId: 'abcd1234', method: 'SEND', headers: [], flag: '$' as const };
    expect(() => serializeFrame({ ...base, body: enc('x\r\n-------abcd1234$\r\n') })).toThrow(UsageError);
    expect(() => serializeFrame({ ...base, headers: [{ name: 'X', value: 'a\r\nInjected: 1' }], body: undefined })).toThrow(UsageError);
    expect(() => serializeFrame({ ...base, transactionId: 'ab', body: undefined })).toThrow(UsageError);
  });

  it('a session never picks a transaction id whose end-line is in the body', () => {
    let calls = 0;
    // The first id the source yields is 6161616161616161; the body holds its end-line.
    const random = (length: number) => new Uint8Array(length).fill(calls++ < 2 ? 0x61 : 0x62);
    const session = new MsrpSession({ localPath: [ALICE], remotePath: [BOB], now: 0, random });
    const body = enc('-------6161616161616161$\r\n');
    const frame = framesOf(parseAll(session.sendMessage('text/plain', body, {}, 1).write[0]!))[0]!;
    expect(frame.body).toEqual(body);
  });
});
