/** Choosing what to send within the transport's maximum size (Protocol-v3 and OTRv4, "Transmitting Fragments"). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { RandomSource } from '../../../src/crypto/random.js';
import { fragmentForSending } from '../../../src/session/fragmenter.js';
import { Reassembler } from '../../../src/session/reassembly.js';
import { decodeFragment, type Fragment } from '../../../src/wire/fragment.js';

const encoded = `?OTR:${'A'.repeat(400)}.`;

describe('fragmentForSending', () => {
  it('sends the message whole when it fits or the size is unlimited (0)', () => {
    expect(fragmentForSending(encoded, 3, 0x100, 0x200, 0)).toEqual([encoded]);
    expect(fragmentForSending(encoded, 3, 0x100, 0x200, encoded.length)).toEqual([encoded]);
  });

  it('v3 fragments carry both instance tags; v2 fragments none; all within the size', () => {
    for (const [version, size] of [[3, 100], [2, 100], [3, 37], [2, 19]] as const) {
      const texts = fragmentForSending(encoded, version, 0x9e8d7c6b, 0x1a2b3c4d, size);
      const fragments = texts.map((text) => decodeFragment(text) as Fragment);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(size);
      expect(texts[0]?.startsWith(version === 3 ? '?OTR|9e8d7c6b|1a2b3c4d,00001,' : '?OTR,00001,')).toBe(true);
      expect(fragments.map((f) => f.piece).join('')).toBe(encoded);
      expect(fragments.every((f, i) => f.index === i + 1 && f.count === texts.length && f.version === version)).toBe(true);
    }
  });

  it('refuses texts that are not encoded messages, and impossible sizes', () => {
    expect(() => fragmentForSending('?OTRv23?', 3, 0x100, 0, 5)).toThrow(UsageError);
    expect(() => fragmentForSending('hello', 3, 0x100, 0, 5)).toThrow(UsageError);
    expect(() => fragmentForSending(encoded, 3, 0x100, 0, 36)).toThrow(UsageError);
    expect(() => fragmentForSending(encoded, 3, 0x100, 0, -1)).toThrow(UsageError);
  });

  it('v4 fragments carry a fresh random identifier per message, drawn from the injected source', () => {
    const drawn: number[] = [];
    const words = [0xdeadbeef, 0x00000001, 0x80000000];
    const random: RandomSource = (length) => {
      expect(length).toBe(4);
      const word = words[drawn.length] ?? 0;
      drawn.push(word);
      return Uint8Array.of(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
    };
    const identifiers = words.map(() => {
      const texts = fragmentForSending(encoded, 4, 0x9e8d7c6b, 0x1a2b3c4d, 100, random);
      const fragments = texts.map((text) => decodeFragment(text) as Fragment);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(100);
      expect(fragments.map((f) => f.piece).join('')).toBe(encoded);
      const ids = new Set(fragments.map((f) => (f.version === 4 ? f.identifier : -1)));
      expect(ids.size).toBe(1);
      return [...ids][0];
    });
    expect(identifiers).toEqual(words);
    // Big-endian, zero-padded hex, before the tags.
    expect(fragmentForSending(encoded, 4, 0x100, 0, 100, () => Uint8Array.of(0, 0, 0x0a, 0xbc))[0]?.startsWith('?OTR|00000abc|00000100|00000000,00001,')).toBe(true);
  });

  it('v4: nothing is drawn for a message that fits; no random source is refused', () => {
    const never: RandomSource = () => {
      throw new Error('drawn');
    };
    expect(fragmentForSending(encoded, 4, 0x100, 0, 0, never)).toEqual([encoded]);
    expect(fragmentForSending(encoded, 4, 0x100, 0, encoded.length, never)).toEqual([encoded]);
    expect(() => fragmentForSending(encoded, 4, 0x100, 0, 100)).toThrow(UsageError);
    expect(() => fragmentForSending(encoded, 4, 0x100, 0, 45, () => new Uint8Array(4))).toThrow(UsageError);
    expect(() => fragmentForSending(encoded, 4, 0x100, 0, 100, () => new Uint8Array(3))).toThrow(UsageError);
  });

  it('v4 fragments round-trip through reassembly, two messages of one instance interleaved', () => {
    let next = 1;
    const random: RandomSource = () => Uint8Array.of(0, 0, 0, next++);
    const other = `?OTR:${'B'.repeat(300)}.`;
    const first = fragmentForSending(encoded, 4, 0x100, 0x200, 60, random);
    const second = fragmentForSending(other, 4, 0x100, 0x200, 60, random);
    const r = new Reassembler();
    const done: string[] = [];
    for (let i = 0; i < Math.max(first.length, second.length); i++) {
      for (const text of [first[i], second[i]]) {
        if (text === undefined) continue;
        const result = r.add('bob', decodeFragment(text) as Fragment, 0);
        if (result.kind === 'complete') done.push(result.message);
        else expect(result.kind).toBe('pending');
      }
    }
    expect(done.sort()).toEqual([encoded, other].sort());
    expect(r.size).toBe(0);
  });
});
