/**
 * Echo-network framing (shared/interop/DRIVER.md, "Transport"): frames are
 * checked against bytes written out by hand from the contract's layout, not
 * against our own encoder.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLarge } from '../../src/relay/framing.js';

/** LENGTH_ADDRESS (u32 BE) ADDRESS LENGTH_CONTENT (u32 BE) CONTENT, spelled out. */
const HAND_FRAME = Buffer.from([
  0, 0, 0, 11, ...Buffer.from('1.2.3.4:567', 'ascii'),
  0, 0, 0, 6, 0x68, 0x69, 0x20, 0xe2, 0x9c, 0x93, // "hi ✓" in UTF-8
]);

describe('encodeFrame', () => {
  it('writes the contract layout', () => {
    expect(encodeFrame('1.2.3.4:567', 'hi ✓').equals(HAND_FRAME)).toBe(true);
  });

  it('carries empty content and raw bytes unchanged', () => {
    expect([...encodeFrame('a', '')]).toEqual([0, 0, 0, 1, 0x61, 0, 0, 0, 0]);
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    expect([...encodeFrame('', bytes)]).toEqual([0, 0, 0, 0, 0, 0, 0, 3, 0xff, 0x00, 0xfe]);
  });
});

describe('FrameDecoder', () => {
  it('decodes a hand-written frame', () => {
    const frames = new FrameDecoder(1024).push(HAND_FRAME);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.address).toBe('1.2.3.4:567');
    expect(frames[0]!.content.toString('utf8')).toBe('hi ✓');
  });

  it('round-trips through the encoder, several frames in one chunk', () => {
    const texts = ['', 'x', 'ж'.repeat(300), '?OTR:AAMDabc.'];
    const stream = Buffer.concat(texts.map((text, i) => encodeFrame(`127.0.0.1:${1000 + i}`, text)));
    const frames = new FrameDecoder(4096).push(stream);
    expect(frames.map((f) => [f.address, f.content.toString('utf8')])).toEqual(texts.map((text, i) => [`127.0.0.1:${1000 + i}`, text]));
  });

  it('waits for partial frames, fed one byte at a time', () => {
    const stream = Buffer.concat([HAND_FRAME, encodeFrame('b:2', 'second')]);
    const decoder = new FrameDecoder(1024);
    const seen: string[] = [];
    for (let i = 0; i < stream.length; i++) {
      for (const frame of decoder.push(stream.subarray(i, i + 1))) seen.push(`${frame.address}|${frame.content.toString('utf8')}`);
      if (i < HAND_FRAME.length - 1) expect(seen).toEqual([]);
    }
    expect(seen).toEqual(['1.2.3.4:567|hi ✓', 'b:2|second']);
  });

  it('keeps content after the chunk it arrived in is reused', () => {
    const chunk = Buffer.from(HAND_FRAME);
    const [frame] = new FrameDecoder(1024).push(chunk);
    chunk.fill(0);
    expect(frame!.content.toString('utf8')).toBe('hi ✓');
  });

  it('refuses a frame announcing more content than the bound, before it arrives', () => {
    const decoder = new FrameDecoder(100);
    expect(decoder.push(encodeFrame('a:1', 'y'.repeat(100)))).toHaveLength(1);
    // Only the header of a 101-byte frame: refused without waiting for the content.
    const header = Buffer.from([0, 0, 0, 3, ...Buffer.from('a:1'), 0, 0, 0, 101]);
    expect(() => decoder.push(header)).toThrow(FrameTooLarge);
  });

  it('refuses an absurd address length', () => {
    expect(() => new FrameDecoder(100).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameTooLarge);
  });
});
