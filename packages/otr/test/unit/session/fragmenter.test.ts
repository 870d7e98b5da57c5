/** Choosing what to send within the transport's maximum size (Protocol-v3, "Transmitting Fragments"). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { fragmentForSending } from '../../../src/session/fragmenter.js';
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
});
