/** Strict base64: RFC 4648 section 10 test vectors, and every kind of non-canonical input refused. */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeBase64, encodeBase64 } from '../../../src/wire/base64.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('base64', () => {
  const rfc4648: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, encoded] of rfc4648) {
    it(`RFC 4648: "${plain}" <-> "${encoded}"`, () => {
      expect(encodeBase64(ascii(plain))).toBe(encoded);
      expect(decodeBase64(encoded)).toEqual(ascii(plain));
    });
  }

  it('covers the whole alphabet, + and / included', () => {
    expect(decodeBase64('+/+/')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf));
    expect(encodeBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
  });

  const rejected: [string, string][] = [
    ['===', 'padding only, length 3'],
    ['====', 'padding only'],
    ['Zg=', 'length not a multiple of 4'],
    ['Zg', 'missing padding'],
    ['Z===', 'three padding characters'],
    ['Zg==Zg==', 'padding in the middle'],
    ['Zh==', 'non-zero unused bits after one byte'],
    ['Zm9=', 'non-zero unused bits after two bytes'],
    ['Zm9v\n', 'newline'],
    ['Zm 9v', 'space'],
    ['Zm9-', 'URL-safe alphabet'],
    ['Zm9_', 'URL-safe alphabet'],
    ['Zm9\u00e9', 'non-ASCII'],
    ['Zm9.', 'dot'],
  ];
  for (const [text, why] of rejected) {
    it(`rejects ${JSON.stringify(text)} (${why})`, () => {
      const result = decodeBase64(text);
      expect(result).toBeInstanceOf(DecodeError);
      expect((result as DecodeError).code).toBe('bad-base64');
    });
  }
});
