/**
 * Blink's frames as captured on the wire (notes section 6: python3-sipsimple
 * 5.5.0 with msrplib through Kamailio): parsed exactly, and produced in the
 * same shape by a session.
 */
import { describe, expect, it } from 'vitest';
import { headerValue, MsrpSession, parseMsrpUri, type RequestFrame } from '../../src/index.js';
import { crlf, dec, enc, framesOf, parseAll } from '../helpers.js';

// The CPIM block ends lines with CRLF; the inner MIME headers use bare LF (notes section 6).
const OTR_QUERY_CPIM = 'From: alice <sip:alice@127.0.0.1>\r\nTo: <sip:bob@127.0.0.1>\r\nDateTime: 2026-12-06T03:43:13.172345+00:00\r\n\r\n'
  + 'MIME-Version: 1.0\nContent-Type: text/plain\n\n'
  + '?OTRv3?  I would like to start an Off-the-Record private conversation, but you do not seem to support that.';
const TO_PATH = 'msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp';
const FROM_PATH = 'msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp';
const OTR_QUERY_FRAME = crlf(
  'MSRP f6f2625161384f5c SEND',
  `To-Path: ${TO_PATH}`,
  `From-Path: ${FROM_PATH}`,
  'Byte-Range: 1-257/257',
  'Message-ID: f0dae09fb5747b6',
  'Failure-Report: no',
  'Success-Report: no',
  'Content-Type: message/cpim',
  '',
  OTR_QUERY_CPIM,
  '-------f6f2625161384f5c$',
  '',
);
const REPORT_AT_ALICE = crlf(
  'MSRP 31ab1bca8ea48c9f REPORT',
  'To-Path: msrp://192.0.2.2:2855/77eb61da385b539776ec;tcp',
  'From-Path: msrp://127.0.0.1:2855/srid-6b14d9cf-1e3e-1;tcp msrp://192.0.2.2:49488/e12508a56e68271c77d1;tcp',
  'Status: 000 200 OK',
  'Message-ID: 6330138e5e9bf11e',
  'Byte-Range: 1-552/552',
  '-------31ab1bca8ea48c9f$',
  '',
);

describe('Blink\'s frames (notes section 6)', () => {
  it('parses the OTR query SEND exactly: a 257-byte CPIM body with LF-only inner headers', () => {
    const frame = framesOf(parseAll(OTR_QUERY_FRAME))[0] as RequestFrame;
    expect(frame.body!.length).toBe(257);
    expect(dec(frame.body!)).toBe(OTR_QUERY_CPIM);
    expect(headerValue(frame, 'Message-ID')).toBe('f0dae09fb5747b6');
  });

  it('a session writes the same frame, byte for byte, given the same ids', () => {
    // newIdent hex-encodes 8 random bytes; feed it bytes that hex-encode to Blink's ids
    // (msrplib writes the Message-ID without its leading zero: f0dae09fb5747b6).
    const hexIds = ['0f0dae09fb5747b6', 'f6f2625161384f5c'].map((h) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16))));
    const session = new MsrpSession({ localPath: [parseMsrpUri(FROM_PATH)!], remotePath: TO_PATH.split(' ').map((u) => parseMsrpUri(u)!), now: 0, random: () => hexIds.shift()! });
    const out = session.sendMessage('message/cpim', enc(OTR_QUERY_CPIM), { reports: { success: 'no', failure: 'no' } }, 1);
    expect(dec(out.write[0]!)).toBe(OTR_QUERY_FRAME.replace('Message-ID: f0dae09fb5747b6', 'Message-ID: 0f0dae09fb5747b6'));
  });

  it('a delivery REPORT in Blink\'s header order marks the message delivered', () => {
    const alice = new MsrpSession({ localPath: [parseMsrpUri(FROM_PATH)!], remotePath: TO_PATH.split(' ').map((u) => parseMsrpUri(u)!), now: 0, random: () => Uint8Array.from([0x63, 0x30, 0x13, 0x8e, 0x5e, 0x9b, 0xf1, 0x1e]) });
    const sent = alice.sendMessage('message/cpim', enc('x'.repeat(552)), { reports: { success: 'yes', failure: 'yes' } }, 1);
    expect(sent.messageId).toBe('6330138e5e9bf11e');
    expect(alice.receive(enc(REPORT_AT_ALICE), 2).events).toEqual([{ kind: 'delivered', messageId: '6330138e5e9bf11e' }]);
  });
});
