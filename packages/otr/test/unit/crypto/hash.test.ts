/**
 * SHA-1, SHA-256 and HMACs against published known answers: FIPS 180-2
 * appendix examples, RFC 2202 (HMAC-SHA1) and RFC 4231 (HMAC-SHA256).
 */
import { describe, expect, it } from 'vitest';
import { hmacSha1, hmacSha256, hmacSha256_160, sha1, sha256 } from '../../../src/crypto/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const filled = (length: number, byte: number): Uint8Array => new Uint8Array(length).fill(byte);

const ABC = text('abc');
const LONG = text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');

describe('SHA-1 (FIPS 180-2)', () => {
  it('hashes "abc", the 448-bit message and the empty string', () => {
    expect(hex(sha1(ABC))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(LONG))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(hex(sha1())).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('hashes the concatenation of its parts', () => {
    expect(hex(sha1(LONG.subarray(0, 5), new Uint8Array(0), LONG.subarray(5)))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });
});

describe('SHA-256 (FIPS 180-2)', () => {
  it('hashes "abc", the 448-bit message and the empty string', () => {
    expect(hex(sha256(ABC))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(LONG))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(hex(sha256())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the concatenation of its parts', () => {
    expect(hex(sha256(ABC.subarray(0, 1), ABC.subarray(1)))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('HMAC-SHA1 (RFC 2202)', () => {
  it('test cases 1, 2 and 6', () => {
    expect(hex(hmacSha1(filled(20, 0x0b), text('Hi There')))).toBe('b617318655057264e28bc0b6fb378c8ef146be00');
    expect(hex(hmacSha1(text('Jefe'), text('what do ya want for nothing?')))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(hex(hmacSha1(filled(80, 0xaa), text('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      'aa4ae5e15272d00e95705637ce8a3b55ed402112',
    );
  });
});

describe('HMAC-SHA256 (RFC 4231)', () => {
  const case1 = 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7';

  it('test cases 1, 2 and 6', () => {
    expect(hex(hmacSha256(filled(20, 0x0b), text('Hi There')))).toBe(case1);
    expect(hex(hmacSha256(text('Jefe'), text('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hex(hmacSha256(filled(131, 0xaa), text('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('SHA256-HMAC160 is the first 160 bits (the AKE MAC), in its own buffer', () => {
    const mac = hmacSha256_160(filled(20, 0x0b), text('Hi There'));
    expect(hex(mac)).toBe(case1.slice(0, 40));
    expect(mac.buffer.byteLength).toBe(20);
  });
});
