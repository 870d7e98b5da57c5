/** Whitespace tags with the spec's bytes (Protocol-v3, "Tagged plaintext messages"), and error messages. */
import { describe, expect, it } from 'vitest';
import { decodeErrorMessage, encodeErrorMessage, parseErrorMessage } from '../../../src/wire/error-message.js';
import { encodeWhitespaceTag, findWhitespaceTag, parseWhitespaceTag, WHITESPACE_BASE } from '../../../src/wire/whitespace-tag.js';

const BASE = '\x20\x09\x20\x20\x09\x09\x09\x09' + '\x20\x09\x20\x09\x20\x09\x20\x20';
const V1 = '\x20\x09\x20\x09\x20\x20\x09\x20';
const V2 = '\x20\x20\x09\x09\x20\x20\x09\x20';
const V3 = '\x20\x20\x09\x09\x20\x20\x09\x09';

describe('whitespace tag', () => {
  it('uses the spec\'s bytes', () => {
    expect(WHITESPACE_BASE).toBe(BASE);
    expect(encodeWhitespaceTag([3, 2])).toBe(BASE + V2 + V3);
    expect(encodeWhitespaceTag([1, 3])).toBe(BASE + V1 + V3);
  });

  it('is found anywhere, stripped, and its versions reported', () => {
    expect(parseWhitespaceTag(`hello${BASE}${V2}${V3} world`)).toEqual({ text: 'hello world', versions: new Set([2, 3]) });
    expect(parseWhitespaceTag(`${BASE}${V1}${V2}`)).toEqual({ text: '', versions: new Set([1, 2]) });
  });

  it('skips unknown 8-character groups (future versions), stops at the first other character', () => {
    const unknown = '\x09\x09\x09\x09\x09\x09\x09\x09';
    expect(findWhitespaceTag(`a${BASE}${unknown}${V3}b`)).toMatchObject({ text: 'ab', versions: new Set([3]) });
    expect(parseWhitespaceTag(`a${BASE}${V3}\x20\x20b`)).toEqual({ text: 'a\x20\x20b', versions: new Set([3]) });
  });

  it('a base tag without versions still counts as a tag offering none', () => {
    expect(parseWhitespaceTag(`x${BASE}`)).toEqual({ text: 'x', versions: new Set() });
  });

  it('no tag: text unchanged, versions undefined', () => {
    expect(parseWhitespaceTag('plain \t text')).toEqual({ text: 'plain \t text', versions: undefined });
  });
});

describe('error message', () => {
  it('is any text containing "?OTR Error:", written as libotr does', () => {
    expect(encodeErrorMessage('You transmitted an unreadable encrypted message.')).toBe('?OTR Error: You transmitted an unreadable encrypted message.');
    expect(parseErrorMessage('<b>?OTR Error: oops </b>')).toBe('oops </b>');
    expect(parseErrorMessage('?OTR Error:')).toBe('');
    expect(parseErrorMessage('?OTR error: no')).toBeUndefined();
  });

  it('splits an OTRv4 error code off but keeps the whole text', () => {
    expect(decodeErrorMessage('?OTR Error: ERROR_2: Not in private state message')).toEqual({ text: 'ERROR_2: Not in private state message', code: 'ERROR_2', start: 0 });
    expect(decodeErrorMessage('?OTR Error: plain')).toEqual({ text: 'plain', start: 0 });
  });
});
