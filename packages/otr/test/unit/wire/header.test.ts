/** Message header (Protocol-v3, "Instance Tags" and the message sections), built by hand from the spec's field table. */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeHeader, encodeHeader, MESSAGE_TYPE } from '../../../src/wire/header.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'));

describe('header', () => {
  it('v3: version, type and unsigned 32-bit tags (>= 2^31 stays positive)', () => {
    const bytes = hex('0003 03 ffffffff 80000000 aa');
    expect(decodeHeader(bytes)).toEqual({ version: 3, type: MESSAGE_TYPE.DATA, senderTag: 0xffffffff, receiverTag: 0x80000000, bodyOffset: 11 });
    expect(encodeHeader({ version: 3, type: 3, senderTag: 0xffffffff, receiverTag: 0x80000000 })).toEqual(bytes.subarray(0, 11));
  });

  it('v2: no instance tags; decoded as 0 and never written', () => {
    expect(decodeHeader(hex('0002 0a 11'))).toEqual({ version: 2, type: MESSAGE_TYPE.DH_KEY, senderTag: 0, receiverTag: 0, bodyOffset: 3 });
    expect(encodeHeader({ version: 2, type: 0x0a, senderTag: 0x12345678, receiverTag: 0x9abcdef0 })).toEqual(hex('0002 0a'));
  });

  it('message type bytes are the spec\'s', () => {
    expect(MESSAGE_TYPE).toEqual({ DH_COMMIT: 0x02, DATA: 0x03, DH_KEY: 0x0a, REVEAL_SIGNATURE: 0x11, SIGNATURE: 0x12 });
  });

  it('receiver tag 0 is allowed (not yet known)', () => {
    expect(decodeHeader(hex('0003 02 00000100 00000000'))).toMatchObject({ senderTag: 0x100, receiverTag: 0 });
  });

  const rejected: [string, string, string][] = [
    ['0001 03', 'bad-version', 'version 1'],
    ['0004 03 00000100 00000100', 'bad-version', 'version 4'],
    ['0003', 'truncated', 'no type'],
    ['0003 03 000001', 'truncated', 'short sender tag'],
    ['0003 03 00000100 0000', 'truncated', 'short receiver tag'],
    ['0003 03 000000ff 00000100', 'bad-instance-tag', 'sender tag below 0x100'],
    ['0003 03 00000000 00000100', 'bad-instance-tag', 'sender tag 0'],
    ['0003 03 00000100 00000001', 'bad-instance-tag', 'receiver tag 1..0xff'],
  ];
  for (const [bytes, code, why] of rejected) {
    it(`rejects ${why}`, () => {
      const result = decodeHeader(hex(bytes));
      expect(result).toBeInstanceOf(DecodeError);
      expect((result as DecodeError).code).toBe(code);
    });
  }
});
