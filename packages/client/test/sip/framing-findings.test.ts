/** Regression tests for what fuzzing the SIP stream framing found (`npm run fuzz:sip`, test/fuzz/sip-targets.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIP_FRAMING_LIMITS, SipStreamDecoder } from '../../src/sip/framing.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('fuzz findings: SIP stream framing', () => {
  it('a CRLFCRLF ping split after its third byte is still a ping (it was read as two pongs)', () => {
    const decoder = new SipStreamDecoder();
    const frames = [...decoder.push(bytes('\r\n')), ...decoder.push(bytes('\r')), ...decoder.push(bytes('\n')), ...decoder.push(bytes('OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n'))];
    expect(frames.map((frame) => frame.kind)).toEqual(['ping', 'message']);
  });

  it('a lone CRLF pong followed by a CR that starts no ping is still a pong', () => {
    const decoder = new SipStreamDecoder();
    const frames = [...decoder.push(bytes('\r\n\r')), ...decoder.push(bytes('X'))];
    expect(frames.map((frame) => frame.kind)).toEqual(['pong']);
    expect(decoder.pendingBytes).toBe(2);
  });
});

describe('fuzz findings: SIP stream framing work', () => {
  it('a message trickled in one byte at a time is copied and scanned a bounded number of times per byte (it was quadratic: each byte re-copied and re-scanned everything held)', () => {
    const head = `MESSAGE sip:b@h SIP/2.0\r\nX: ${'y'.repeat(DEFAULT_SIP_FRAMING_LIMITS.maxHeaderBytes - 64)}\r\n`;
    const body = 'x'.repeat(DEFAULT_SIP_FRAMING_LIMITS.maxBodyBytes);
    const message = bytes(`${head}Content-Length: ${body.length}\r\n\r\n${body}`);
    /* eslint-disable @typescript-eslint/unbound-method -- Buffer's own methods are wrapped, and called with their receiver */
    // Count the bytes copied (Buffer.concat, Uint8Array#set, Buffer#copy) and searched (Buffer#indexOf) while decoding.
    let copied = 0;
    let scanned = 0;
    const concat = Buffer.concat;
    const set = Uint8Array.prototype.set;
    const copy = Buffer.prototype.copy;
    const indexOf = Buffer.prototype.indexOf;
    Buffer.concat = ((list: readonly Uint8Array[], length?: number) => {
      const out = concat.call(Buffer, list, length);
      copied += out.length;
      return out;
    });
    Uint8Array.prototype.set = function (this: Uint8Array, array: ArrayLike<number>, offset?: number) {
      copied += array.length;
      set.call(this, array, offset);
    };
    Buffer.prototype.copy = function (this: Buffer, ...args: Parameters<typeof copy>) {
      const n = copy.apply(this, args) as number;
      copied += n;
      return n;
    } as typeof copy;
    Buffer.prototype.indexOf = function (this: Buffer, ...args: Parameters<typeof indexOf>) {
      const offset = typeof args[1] === 'number' ? args[1] : 0;
      scanned += this.length - Math.min(this.length, Math.max(0, offset));
      return indexOf.apply(this, args) as number;
    } as typeof indexOf;
    /* eslint-enable @typescript-eslint/unbound-method */
    const frames = [];
    try {
      const decoder = new SipStreamDecoder();
      for (let i = 0; i < message.length; i++) frames.push(...decoder.push(message.subarray(i, i + 1)));
    } finally {
      Buffer.concat = concat;
      Uint8Array.prototype.set = set;
      Buffer.prototype.copy = copy;
      Buffer.prototype.indexOf = indexOf;
    }
    expect(frames).toHaveLength(1);
    expect(copied).toBeLessThanOrEqual(8 * message.length);
    expect(scanned).toBeLessThanOrEqual(8 * message.length);
  });
});
