/**
 * OTRv4 text forms: fragments with their identifier, the version 4
 * whitespace tag, query messages offering 4, and error messages with codes.
 * Expected strings are copied from otrv4.md (section named in each test).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, type DecodeErrorCode } from '../../../../src/errors.js';
import { decodeFragment, decodeFragmentAt, encodeFragment, encodeFragments, V4_FRAGMENT_OVERHEAD, type Fragment } from '../../../../src/wire/fragment.js';
import { encodeQueryTag, parseQuery } from '../../../../src/wire/query.js';
import { findWhitespaceTag } from '../../../../src/wire/whitespace-tag.js';
import {
  decodeV4ErrorMessage,
  encodeV4ErrorMessage,
  encodeWhitespaceTagV4,
  findWhitespaceTagV4,
} from '../../../../src/wire/v4/index.js';

const errorCode = (value: unknown): DecodeErrorCode | undefined => (value instanceof DecodeError ? value.code : undefined);

/** A version 4 fragment, or the DecodeError (or another version's fragment, which is a failure here). */
function decodeV4Fragment(text: string): Fragment | DecodeError {
  const fragment = decodeFragment(text);
  return fragment instanceof DecodeError || fragment.version === 4 ? fragment : new DecodeError('bad-fragment', `a version ${fragment.version} fragment`);
}

describe('v4 fragments (Fragmentation)', () => {
  // "Receiving Fragments", the third fragment of the spec's example.
  const third = '?OTR|3c5b5f03|5a73a599|27e31597,00003,00003,pkTtquknfx6HodLvk3RAAAAAA==.,';

  it('reads the spec example: identifier, sender tag, receiver tag, k, n, piece', () => {
    expect(decodeV4Fragment(third)).toEqual({
      version: 4,
      identifier: 0x3c5b5f03,
      senderTag: 0x5a73a599,
      receiverTag: 0x27e31597,
      index: 3,
      count: 3,
      piece: 'pkTtquknfx6HodLvk3RAAAAAA==.',
    });
    expect(encodeFragment({ version: 4, identifier: 0x3c5b5f03, senderTag: 0x5a73a599, receiverTag: 0x27e31597, index: 3, count: 3, piece: 'pkTtquknfx6HodLvk3RAAAAAA==.' })).toBe(third);
  });

  it('a v4 fragment is told from a v3 one by its three hex fields', () => {
    expect(decodeFragment(third)).toMatchObject({ version: 4 });
    expect(decodeFragment('?OTR|5a73a599|27e31597,00001,00001,?OTR:AAQD.,')).toMatchObject({ version: 3 });
  });

  it('accepts short hex fields and leading zeros in k and n', () => {
    const fragment = decodeV4Fragment('?OTR|c5b5f03|100|0,0001,000002,x,');
    expect(fragment).toMatchObject({ identifier: 0xc5b5f03, senderTag: 0x100, receiverTag: 0, index: 1, count: 2, piece: 'x' });
  });

  it('refuses k = 0, n = 0, k > n, n > 65535, empty pieces, reserved tags, no final comma and trailing text', () => {
    const head = '?OTR|00000001|00000100|00000000';
    expect(errorCode(decodeV4Fragment(`${head},0,1,x,`))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},1,0,x,`))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},2,1,x,`))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},1,65536,x,`))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},1,1,,`))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},1,1,x`))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},1,1,x,y`))).toBe('trailing-bytes');
    expect(errorCode(decodeV4Fragment('?OTR|00000001|000000ff|00000000,1,1,x,'))).toBe('bad-instance-tag');
    expect(errorCode(decodeV4Fragment('?OTR|00000001|00000100|00000001,1,1,x,'))).toBe('bad-instance-tag');
    expect(errorCode(decodeV4Fragment('?OTR|123456789|00000100|00000000,1,1,x,'))).toBe('bad-fragment');
    expect(errorCode(decodeV4Fragment(`${head},1,1,${'A'.repeat(300 * 1024)},`))).toBe('too-long');
  });

  it('splits into fragments of at most the given size that read back, all with the identifier', () => {
    const message = `?OTR:${'QUJD'.repeat(100)}.`;
    const pieces = encodeFragments(message, 140, 4, 0x100, 0x101, 0xdeadbeef);
    expect(pieces.every((piece) => piece.length <= 140)).toBe(true);
    expect(pieces[0]?.length).toBe(140);
    // The header we write, final comma included, is 45 characters: the piece starts after 44.
    expect((pieces[0] ?? '').indexOf('?OTR:')).toBe(V4_FRAGMENT_OVERHEAD - 1);
    const parsed = pieces.map((piece) => decodeV4Fragment(piece));
    expect(parsed.map((p) => (p instanceof DecodeError ? '' : p.piece)).join('')).toBe(message);
    expect(parsed.every((p) => !(p instanceof DecodeError) && p.version === 4 && p.identifier === 0xdeadbeef && p.count === pieces.length)).toBe(true);
    const at = decodeFragmentAt(`hello ${pieces[0] ?? ''} world`, 6);
    expect(errorCode(at)).toBeUndefined();
  });
});

describe('v4 query messages and whitespace tags (Query Messages, Whitespace Tags)', () => {
  it('reads the spec\'s example queries', () => {
    expect(parseQuery('?OTRv3?')).toEqual(new Set([3]));
    expect(parseQuery('?OTRv45x?')).toEqual(new Set([4, 5]));
    expect(parseQuery('?OTRv?')).toEqual(new Set());
    expect(parseQuery('?OTRv?4?')).toEqual(new Set());
    expect(encodeQueryTag([3, 4])).toBe('?OTRv34?');
  });

  it('the whitespace tag offering 3 and 4 is the base, the v3 group and the v4 group', () => {
    const tag = '\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20' + '\x20\x20\x09\x09\x20\x20\x09\x09' + '\x20\x20\x09\x09\x20\x09\x20\x20';
    expect(encodeWhitespaceTagV4([4, 3])).toBe(tag);
    const found = findWhitespaceTagV4(`Hello${tag} there`);
    expect(found?.versions).toEqual(new Set([3, 4]));
    expect(found?.text).toBe('Hello there');
    expect(findWhitespaceTag(`Hello${tag}`)?.versions).toEqual(new Set([3]));
    expect(findWhitespaceTagV4('no tag')).toBeUndefined();
  });
});

describe('v4 error messages (OTR Error Messages)', () => {
  it('writes and reads the spec\'s codes', () => {
    expect(encodeV4ErrorMessage('ERROR_1')).toBe('?OTR Error: ERROR_1: Unreadable message');
    expect(encodeV4ErrorMessage('ERROR_2')).toBe('?OTR Error: ERROR_2: Not in private state message');
    expect(encodeV4ErrorMessage('ERROR_3')).toBe('?OTR Error: ERROR_3: Malformed message');
    expect(decodeV4ErrorMessage('?OTR Error: ERROR_2: Not in private state message')).toEqual({ code: 'ERROR_2', text: 'Not in private state message' });
    expect(decodeV4ErrorMessage('?OTR Error: ERROR_17: later')).toEqual({ otherCode: 'ERROR_17', text: 'later' });
    expect(decodeV4ErrorMessage('?OTR Error:Hello world!')).toEqual({ text: 'Hello world!' });
  });

  it('the marker must stand at the start of the message', () => {
    expect(decodeV4ErrorMessage('look: ?OTR Error: ERROR_1: Unreadable message')).toBeUndefined();
    expect(decodeV4ErrorMessage('?OTR Err')).toBeUndefined();
  });
});
