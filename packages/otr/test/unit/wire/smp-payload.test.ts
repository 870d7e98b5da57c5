/**
 * SMP TLV payloads (Protocol-v3, "SMP Message TLVs"): hand-built bytes for
 * the INT count and MPIs, every rejection, and message 1Q's question.
 * python-potr's encodings of message 1Q are checked in test/vectors/libotr-smp/.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, UsageError } from '../../../src/errors.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  decodeSmpPayload,
  encodeSmpPayload,
  joinSmpQuestion,
  SMP_MPI_COUNTS,
  splitSmpQuestion,
} from '../../../src/wire/smp-payload.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** A payload of `count` one-byte MPIs 1, 2, 3, ... */
const payload = (count: number): Uint8Array =>
  hex(count.toString(16).padStart(8, '0') + Array.from({ length: count }, (_, i) => `00000001${(i + 1).toString(16).padStart(2, '0')}`).join(''));

function codeOf(value: unknown): string | undefined {
  return value instanceof DecodeError ? value.code : undefined;
}

describe('SMP payload encoding', () => {
  it('writes the count, then each value as a minimal MPI (0 as an empty MPI)', () => {
    expect(encodeSmpPayload([hex('01'), new Uint8Array(0), hex('0005'), hex('ff00')])).toEqual(
      hex('00000004 00000001 01 00000000 00000001 05 00000002 ff00'),
    );
    expect(encodeSmpPayload([])).toEqual(hex('00000000'));
  });

  it('the libotr counts: 6, 11, 8 and 3', () => {
    expect(SMP_MPI_COUNTS).toEqual({ 1: 6, 2: 11, 3: 8, 4: 3 });
  });
});

describe('SMP payload decoding', () => {
  it('each message decodes with exactly its count', () => {
    expect(decodeSmpMessage1(payload(6))).toEqual([1, 2, 3, 4, 5, 6].map((n) => Uint8Array.of(n)));
    expect(decodeSmpMessage2(payload(11))).toHaveLength(11);
    expect(decodeSmpMessage3(payload(8))).toHaveLength(8);
    expect(decodeSmpMessage4(payload(3))).toEqual([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
  });

  it('refuses any other count', () => {
    for (const [decode, count] of [
      [decodeSmpMessage1, 6],
      [decodeSmpMessage2, 11],
      [decodeSmpMessage3, 8],
      [decodeSmpMessage4, 3],
    ] as const) {
      expect(codeOf(decode(payload(count - 1)))).toBe('bad-field');
      expect(codeOf(decode(payload(count + 1)))).toBe('bad-field');
    }
    // A huge count is refused before anything is read.
    expect(codeOf(decodeSmpMessage4(hex('ffffffff')))).toBe('bad-field');
  });

  it('strips leading zeros, as libotr reads MPIs as numbers', () => {
    expect(decodeSmpPayload(hex('00000001 00000003 000102'), 1)).toEqual([hex('0102')]);
    expect(decodeSmpPayload(hex('00000001 00000002 0000'), 1)).toEqual([new Uint8Array(0)]);
  });

  it('refuses truncation, trailing bytes and MPIs longer than 192 bytes', () => {
    expect(codeOf(decodeSmpPayload(hex(''), 1))).toBe('truncated');
    expect(codeOf(decodeSmpPayload(hex('000000'), 1))).toBe('truncated');
    expect(codeOf(decodeSmpPayload(hex('00000001 00000002 01'), 1))).toBe('truncated');
    expect(codeOf(decodeSmpPayload(hex('00000001 000000'), 1))).toBe('truncated');
    expect(codeOf(decodeSmpPayload(hex('00000001 00000001 01 00'), 1))).toBe('trailing-bytes');
    const long = new Uint8Array(4 + 4 + 193);
    long.set(hex('00000001 000000c1'));
    long.fill(0xff, 8);
    expect(codeOf(decodeSmpPayload(long, 1))).toBe('too-long');
    const longest = long.subarray(0, 8 + 192);
    longest.set(hex('000000c0'), 4);
    expect(decodeSmpPayload(longest, 1)).toEqual([new Uint8Array(192).fill(0xff)]);
  });
});

describe('SMP message 1Q', () => {
  it('is the UTF-8 question, a NUL, then message 1', () => {
    expect(joinSmpQuestion('Wer? 世界', hex('00000000'))).toEqual(new Uint8Array([...utf8('Wer? 世界'), 0, 0, 0, 0, 0]));
    expect(joinSmpQuestion('', hex('0102'))).toEqual(hex('00 0102'));
  });

  it('splits at the first NUL', () => {
    expect(splitSmpQuestion(new Uint8Array([...utf8('Qué?'), 0, 1, 0, 2]))).toEqual({ question: 'Qué?', payload: hex('010002') });
    expect(splitSmpQuestion(hex('00'))).toEqual({ question: '', payload: new Uint8Array(0) });
  });

  it('a value without NUL is refused; invalid UTF-8 is shown with U+FFFD', () => {
    expect(codeOf(splitSmpQuestion(utf8('no terminator')))).toBe('bad-field');
    expect(codeOf(splitSmpQuestion(new Uint8Array(0)))).toBe('bad-field');
    expect(splitSmpQuestion(hex('41 ff 42 00'))).toEqual({ question: 'A\ufffdB', payload: new Uint8Array(0) });
  });

  it('a question containing NUL cannot be encoded', () => {
    expect(() => joinSmpQuestion('a\0b', hex('00000000'))).toThrow(UsageError);
  });
});
