/** Regression tests for what fuzzing the SIP stream framing found (`npm run fuzz:sip`, test/fuzz/sip-targets.ts). */
import { describe, expect, it } from 'vitest';
import { SipStreamDecoder } from '../../src/sip/framing.js';

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
