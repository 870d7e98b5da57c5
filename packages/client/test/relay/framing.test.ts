/**
 * Echo-network framing (shared/interop/DRIVER.md, "Transport"): frames are
 * checked against bytes written out by hand from the contract's layout, not
 * against our own encoder.
 */
import { describe, expect, it, vi } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLarge, MAX_FRAME_BYTES_LIMIT, type Frame } from '../../src/relay/framing.js';

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

/** Counts the bytes copied through Buffer.concat and Buffer#copy while `run` runs. */
function bytesCopiedBy(run: () => void): number {
  let copied = 0;
  const concat = vi.spyOn(Buffer, 'concat').mockImplementation((list, totalLength) => {
    const result = originalConcat(list, totalLength);
    copied += result.length;
    return result;
  });
  const copy = vi.spyOn(Buffer.prototype, 'copy').mockImplementation(function (this: Buffer, ...args: unknown[]): number {
    const count = Reflect.apply<Buffer, unknown[], number>(originalCopy, this, args);
    copied += count;
    return count;
  });
  try {
    run();
  } finally {
    concat.mockRestore();
    copy.mockRestore();
  }
  return copied;
}
const originalConcat = Buffer.concat.bind(Buffer);
const originalCopy = Buffer.prototype.copy;

describe('16 MiB frames cost 8.5 s of CPU: frames are reassembled from a list of chunks', () => {
  it('copies a 16 MiB frame fed in 64 KiB chunks about once, not once per chunk', () => {
    const size = 16 * 1024 * 1024;
    const frame = encodeFrame('127.0.0.1:1', Buffer.alloc(size, 0x7a));
    const decoder = new FrameDecoder(size);
    const frames: Frame[] = [];
    const copied = bytesCopiedBy(() => {
      for (let i = 0; i < frame.length; i += 64 * 1024) frames.push(...decoder.push(frame.subarray(i, i + 64 * 1024)));
    });
    expect(frames).toHaveLength(1);
    expect(frames[0]!.content.length).toBe(size);
    expect(frames[0]!.content.equals(frame.subarray(frame.length - size))).toBe(true);
    expect(copied).toBeLessThanOrEqual(2 * frame.length);
  });

  it('copies a frame trickled in 1-byte pieces a bounded number of times', () => {
    const frame = encodeFrame('127.0.0.1:1', Buffer.alloc(16 * 1024, 0x7a));
    const decoder = new FrameDecoder(1 << 20);
    const frames: Frame[] = [];
    const copied = bytesCopiedBy(() => {
      for (let i = 0; i < frame.length; i++) frames.push(...decoder.push(frame.subarray(i, i + 1)));
    });
    expect(frames).toHaveLength(1);
    expect(frames[0]!.content.equals(frame.subarray(frame.length - 16 * 1024))).toBe(true);
    expect(copied).toBeLessThanOrEqual(4 * frame.length);
  });

  it('decodes any split of a stream of frames the same', () => {
    const texts = ['', 'a', 'b'.repeat(5000), 'ж'.repeat(3000), 'c'.repeat(70_000)];
    const stream = Buffer.concat(texts.map((text, i) => encodeFrame(`10.0.0.${i}:1`, text)));
    for (const piece of [1, 3, 7, 1000, 4096, 65_536, stream.length]) {
      const decoder = new FrameDecoder(1 << 20);
      const seen: string[] = [];
      for (let i = 0; i < stream.length; i += piece) for (const frame of decoder.push(stream.subarray(i, i + piece))) seen.push(`${frame.address}|${frame.content.toString('utf8')}`);
      expect(seen).toEqual(texts.map((text, i) => `10.0.0.${i}:1|${text}`));
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('refuses a bound beyond the largest frame the echo network carries', () => {
    expect(() => new FrameDecoder(MAX_FRAME_BYTES_LIMIT + 1)).toThrow(RangeError);
    expect(() => new FrameDecoder(MAX_FRAME_BYTES_LIMIT)).not.toThrow();
  });
});
