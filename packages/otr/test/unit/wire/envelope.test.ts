/** The `?OTR:<base64>.` armour: the CVE-2012-3461 class of inputs are DecodeErrors, never exceptions or empty buffers. */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { MAX_ENCODED_MESSAGE_BYTES } from '../../../src/limits.js';
import { decodeEncoded, encodeEncoded } from '../../../src/wire/envelope.js';

describe('envelope', () => {
  it('armours as "?OTR:" base64 "." ("AAMD" starts a version 3 data message)', () => {
    expect(encodeEncoded(Uint8Array.of(0, 3, 3))).toBe('?OTR:AAMD.');
    expect(decodeEncoded('?OTR:AAMD.')).toEqual(Uint8Array.of(0, 3, 3));
  });

  const rejected: [string, string][] = [
    ['?OTR:.', 'truncated'],
    ['?OTR:===.', 'bad-base64'],
    ['?OTR:=.', 'bad-base64'],
    ['?OTR:AAMD', 'truncated'],
    ['?OTR:AAN=.', 'bad-base64'],
    ['?OTR:AAMDx.', 'bad-base64'],
    ['?OTR:AA MD.', 'bad-base64'],
    ['?OTR:AAMD.extra', 'trailing-bytes'],
    ['?OTR:AAMD..', 'trailing-bytes'],
    ['?OTR AAMD.', 'bad-field'],
    ['OTR:AAMD.', 'bad-field'],
  ];
  for (const [text, code] of rejected) {
    it(`rejects ${JSON.stringify(text)} as ${code}`, () => {
      const result = decodeEncoded(text);
      expect(result).toBeInstanceOf(DecodeError);
      expect((result as DecodeError).code).toBe(code);
    });
  }

  it('refuses base64 longer than the decoded-size limit before decoding it', () => {
    const length = (Math.ceil(MAX_ENCODED_MESSAGE_BYTES / 3) + 1) * 4;
    const result = decodeEncoded(`?OTR:${'A'.repeat(length)}.`);
    expect((result as DecodeError).code).toBe('too-long');
  });
});
