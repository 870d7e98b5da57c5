/** TLVs and the data-message plaintext (Protocol-v3, "Data Message"), with the spec's own TLV examples. */
import { describe, expect, it } from 'vitest';
import { DecodeError, UsageError } from '../../../src/errors.js';
import { decodeDataPayload, encodeDataPayload, isHeartbeat } from '../../../src/wire/data-payload.js';
import {
  decodeExtraKeyUse,
  decodeTlvs,
  decodeTlvsPrefix,
  encodeExtraKeyUse,
  encodeTlvs,
  TLV_DISCONNECTED,
  TLV_EXTRA_KEY,
  TLV_PADDING,
  TLV_SMP1,
  TLV_SMP1Q,
  TLV_SMP2,
  TLV_SMP3,
  TLV_SMP4,
  TLV_SMP_ABORT,
} from '../../../src/wire/tlv.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('TLV', () => {
  it('spec examples: type 1 empty, and type 0 "hello"', () => {
    expect(decodeTlvs(hex('00010000'))).toEqual([{ type: 1, value: new Uint8Array(0) }]);
    expect(decodeTlvs(hex('0000 0005 68656c6c6f'))).toEqual([{ type: 0, value: utf8('hello') }]);
    expect(encodeTlvs([{ type: 1, value: new Uint8Array(0) }, { type: 0, value: utf8('hello') }])).toEqual(hex('00010000 0000000568656c6c6f'));
  });

  it('type numbers are the spec\'s', () => {
    expect([TLV_PADDING, TLV_DISCONNECTED, TLV_SMP1, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT, TLV_SMP1Q, TLV_EXTRA_KEY]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps unknown types', () => {
    expect(decodeTlvs(hex('beef 0001 ff'))).toEqual([{ type: 0xbeef, value: hex('ff') }]);
  });

  it('a truncated record is an error, or the kept prefix', () => {
    expect(decodeTlvs(hex('0001 0000 0000 0005 6865'))).toBeInstanceOf(DecodeError);
    expect(decodeTlvs(hex('00'))).toBeInstanceOf(DecodeError);
    expect(decodeTlvsPrefix(hex('0001 0000 0000 0005 6865'))).toEqual({ tlvs: [{ type: 1, value: new Uint8Array(0) }], complete: false });
  });

  it('refuses to encode what the SHORT fields cannot hold', () => {
    expect(() => encodeTlvs([{ type: 0, value: new Uint8Array(0x10000) }])).toThrow(UsageError);
    expect(() => encodeTlvs([{ type: 0x10000, value: new Uint8Array(0) }])).toThrow(UsageError);
  });

  it('type 8 value: 4-byte use then use-data', () => {
    expect(decodeExtraKeyUse(hex('00000001 6669 6c65'))).toEqual({ use: 1, useData: utf8('file') });
    expect(decodeExtraKeyUse(hex('ffffffff'))).toEqual({ use: 0xffffffff, useData: new Uint8Array(0) });
    expect(encodeExtraKeyUse({ use: 0x80000000, useData: utf8('x') })).toEqual(hex('80000000 78'));
    expect(decodeExtraKeyUse(hex('000001'))).toBeInstanceOf(DecodeError);
  });
});

describe('data payload', () => {
  it('text only, no NUL', () => {
    expect(decodeDataPayload(utf8('grüß'))).toEqual({ message: utf8('grüß'), tlvs: [], malformedTlvs: false });
    expect(encodeDataPayload(utf8('grüß'), [])).toEqual(utf8('grüß'));
  });

  it('text, NUL, TLVs', () => {
    const bytes = hex('6869 00 0001 0000 0000 0002 abcd');
    expect(decodeDataPayload(bytes)).toEqual({
      message: utf8('hi'),
      tlvs: [{ type: 1, value: new Uint8Array(0) }, { type: 0, value: hex('abcd') }],
      malformedTlvs: false,
    });
    expect(encodeDataPayload(utf8('hi'), [{ type: 1, value: new Uint8Array(0) }, { type: 0, value: hex('abcd') }])).toEqual(bytes);
  });

  it('heartbeats: empty text, or starting with NUL', () => {
    expect(isHeartbeat(decodeDataPayload(new Uint8Array(0)))).toBe(true);
    expect(isHeartbeat(decodeDataPayload(hex('00 0001 0000')))).toBe(true);
    expect(isHeartbeat(decodeDataPayload(utf8('x')))).toBe(false);
  });

  it('keeps whole TLVs before a truncated one and says so', () => {
    expect(decodeDataPayload(hex('68 00 0001 0000 0006 00'))).toEqual({ message: utf8('h'), tlvs: [{ type: 1, value: new Uint8Array(0) }], malformedTlvs: true });
  });

  it('a NUL inside the text would end it at the receiver, so it ends there', () => {
    expect(encodeDataPayload(hex('61 00 62'), [])).toEqual(hex('61'));
  });
});
