/**
 * The five message bodies (Protocol-v3, "D-H Commit Message" .. "Data
 * Message") against byte strings written by hand from the spec's field
 * tables, plus the rejections: truncation, trailing bytes, oversize lengths,
 * wrong fixed sizes.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import {
  dataMessageMacInput,
  classifyIncoming,
  decodeCommittedGx,
  decodeDataMessage,
  decodeDhCommit,
  decodeDhKey,
  decodeHeader,
  decodeOtrBody,
  decodeOtrMessage,
  decodeRevealSignature,
  decodeSignature,
  encodeEncoded,
  encodeOtrMessage,
  encodeDataMacInput,
  encodeDhCommit,
  encodeRevealSignature,
  splitOldMacKeys,
} from '../../../src/wire/index.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const h = (byte: string, count: number): string => byte.repeat(count);
const codeOf = (value: unknown): string | undefined => (value instanceof DecodeError ? value.code : undefined);

const HASH = h('ab', 32);
const dhCommitBody = `00000005 0102030405  00000020 ${HASH}`;

describe('D-H Commit', () => {
  it('decodes encrypted g^x DATA and hashed g^x DATA', () => {
    expect(decodeDhCommit(hex(dhCommitBody))).toEqual({ encryptedGx: hex('0102030405'), hashedGx: hex(HASH) });
    expect(encodeDhCommit({ encryptedGx: hex('0102030405'), hashedGx: hex(HASH) })).toEqual(hex(dhCommitBody));
  });
  it('rejects a hash that is not 32 bytes, oversize g^x, truncation and trailing bytes', () => {
    expect(codeOf(decodeDhCommit(hex(`00000000 0000001f ${h('ab', 31)}`)))).toBe('bad-field');
    expect(codeOf(decodeDhCommit(hex(`00000000 00000021 ${h('ab', 33)}`)))).toBe('too-long');
    expect(codeOf(decodeDhCommit(hex(`000000c5 ${h('00', 197)} 00000020 ${HASH}`)))).toBe('too-long');
    expect(codeOf(decodeDhCommit(hex(dhCommitBody).subarray(0, 40)))).toBe('truncated');
    expect(codeOf(decodeDhCommit(hex(`${dhCommitBody} 00`)))).toBe('trailing-bytes');
    expect(codeOf(decodeDhCommit(hex('ffffffff')))).toBe('too-long');
  });
  it('the decrypted g^x must be exactly one MPI', () => {
    expect(decodeCommittedGx(hex('00000002 0102'))).toEqual(hex('0102'));
    expect(codeOf(decodeCommittedGx(hex('00000002 0102 03')))).toBe('trailing-bytes');
    expect(codeOf(decodeCommittedGx(hex(`000000c1 ${h('01', 193)}`)))).toBe('too-long');
  });
});

describe('D-H Key', () => {
  it('decodes g^y as a minimal magnitude', () => {
    expect(decodeDhKey(hex('00000003 000102'))).toEqual({ gy: hex('0102') });
    expect(codeOf(decodeDhKey(hex(`000000c1 ${h('01', 193)}`)))).toBe('too-long');
    expect(codeOf(decodeDhKey(hex('00000003 0102')))).toBe('truncated');
  });
});

describe('Reveal Signature and Signature', () => {
  const body = `00000010 ${h('11', 16)} 00000003 aabbcc ${h('cd', 20)}`;
  it('decode r, the encrypted signature and the 20-byte MAC', () => {
    const expected = { revealedKey: hex(h('11', 16)), encryptedSignature: hex('aabbcc'), mac: hex(h('cd', 20)) };
    expect(decodeRevealSignature(hex(body))).toEqual(expected);
    expect(encodeRevealSignature(expected)).toEqual(hex(body));
    expect(decodeSignature(hex(`00000003 aabbcc ${h('cd', 20)}`))).toEqual({ encryptedSignature: hex('aabbcc'), mac: hex(h('cd', 20)) });
  });
  it('reject r of any length but 16, a short MAC and trailing bytes', () => {
    expect(codeOf(decodeRevealSignature(hex(`0000000f ${h('11', 15)} 00000000 ${h('cd', 20)}`)))).toBe('bad-field');
    expect(codeOf(decodeRevealSignature(hex(`00000011 ${h('11', 17)} 00000000 ${h('cd', 20)}`)))).toBe('too-long');
    expect(codeOf(decodeSignature(hex(`00000000 ${h('cd', 19)}`)))).toBe('truncated');
    expect(codeOf(decodeSignature(hex(`00000000 ${h('cd', 21)}`)))).toBe('trailing-bytes');
  });
});

const covered = `01 00000001 fffffffe 00000002 0102 ${h('00', 7)}01 00000002 beef`;

describe('Data message', () => {
  const body = `${covered} ${h('ee', 20)} 00000028 ${h('77', 40)}`;
  it('decodes every field; keyids are unsigned', () => {
    expect(decodeDataMessage(hex(body))).toEqual({
      flags: 1,
      senderKeyId: 1,
      recipientKeyId: 0xfffffffe,
      nextDh: hex('0102'),
      counter: hex('0000000000000001'),
      encryptedMessage: hex('beef'),
      mac: hex(h('ee', 20)),
      oldMacKeys: hex(h('77', 40)),
      macCoveredLength: hex(covered).length,
    });
  });
  it('the MAC covers protocol version through encrypted message (v3 and v2 headers)', () => {
    const v3 = hex(`0003 03 00000100 00000200 ${body}`);
    expect(dataMessageMacInput(v3)).toEqual(hex(`0003 03 00000100 00000200 ${covered}`));
    const v2 = hex(`0002 03 ${body}`);
    expect(dataMessageMacInput(v2)).toEqual(hex(`0002 03 ${covered}`));
    const decoded = decodeOtrMessage(v2);
    if (decoded instanceof DecodeError || decoded.type !== 'data') throw new Error('not data');
    expect(encodeDataMacInput(decoded, decoded.data)).toEqual(hex(`0002 03 ${covered}`));
    expect(encodeOtrMessage(decoded)).toEqual(v2);
    expect(codeOf(dataMessageMacInput(hex(`0003 0a 00000100 00000200 00000001 05`)))).toBe('bad-type');
  });
  it('accepts old MAC keys of any length (not MAC-covered), and splits whole 20-byte keys', () => {
    const odd = decodeDataMessage(hex(`${covered} ${h('ee', 20)} 00000003 010203`));
    expect(odd).not.toBeInstanceOf(DecodeError);
    expect(codeOf(splitOldMacKeys(hex('010203')))).toBe('bad-field');
    expect(splitOldMacKeys(hex(h('77', 40)))).toEqual([hex(h('77', 20)), hex(h('77', 20))]);
  });
  it('rejects truncation anywhere and trailing bytes', () => {
    const bytes = hex(body);
    for (let cut = 0; cut < bytes.length; cut++) expect(codeOf(decodeDataMessage(bytes.subarray(0, cut)))).toBe('truncated');
    expect(codeOf(decodeDataMessage(hex(`${body} 00`)))).toBe('trailing-bytes');
  });
});

describe('whole message', () => {
  it('rejects unknown message types', () => {
    expect(codeOf(decodeOtrMessage(hex('0003 07 00000100 00000000')))).toBe('bad-type');
    expect(codeOf(decodeOtrMessage(hex('0002 01')))).toBe('bad-type');
  });
  it('reads the body after the v2 header (no tags)', () => {
    const gx = { encryptedGx: hex('0102030405'), hashedGx: hex(HASH) };
    expect(decodeOtrMessage(hex(`0002 02 ${dhCommitBody}`))).toEqual({
      version: 2,
      senderTag: 0,
      receiverTag: 0,
      type: 'ake',
      ake: { type: 'dh-commit', version: 2, body: gx },
    });
  });
  it('the header classify read is not read again: decodeOtrBody continues from it, with the same result as decodeOtrMessage', () => {
    const data = hex(`0003 03 00000100 00000200 ${covered} ${h('ee', 20)} 00000000`);
    const commit = hex(`0002 02 ${dhCommitBody}`);
    for (const bytes of [data, commit]) {
      const incoming = classifyIncoming(encodeEncoded(bytes));
      if (incoming.kind !== 'encoded') throw new Error('not classified as encoded');
      expect(decodeOtrBody(incoming.header, incoming.bytes)).toEqual(decodeOtrMessage(bytes));
    }
    // The body is decoded from the header's bodyOffset, under the header's type and route.
    const header = decodeHeader(data);
    if (header instanceof DecodeError) throw new Error('bad header');
    expect(decodeOtrBody({ ...header, senderTag: 0x1234 }, data)).toMatchObject({ senderTag: 0x1234, type: 'data' });
    expect(codeOf(decodeOtrBody({ ...header, type: 0x02 }, data))).toBeDefined();
    expect(codeOf(decodeOtrBody({ ...header, bodyOffset: data.length + 1 }, data))).toBe('truncated');
  });
});
