/** Fragment syntax (Protocol-v3 and OTRv4, "Fragmentation"), with the specs' own examples. */
import { describe, expect, it } from 'vitest';
import { DecodeError, UsageError } from '../../../src/errors.js';
import { decodeFragment, decodeFragmentAt, encodeFragment, encodeFragments, type Fragment } from '../../../src/wire/fragment.js';

/** The spec's example fragments, each joined from its wrapped lines. */
const SPEC_FRAGMENTS = [
  '?OTR|5a73a599|27e31597,00001,00003,?OTR:AAMDJ+MVmSfjFZcAAAAA' +
    'AQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hbrL3KAbGDdzE2ZkMyTKl7XfkSx' +
    'h8YJnudstiB74i4BzT0W2haClg6dMary/jo9sMudwmUdlnKpIGEKXWdvJKT+' +
    'hQ26h9nzMgEditLB8v,',
  '?OTR|5a73a599|27e31597,00002,00003,jPEWAJ6gBXvZrY6ZQrx3gb4v0' +
    'UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjScajVba6dq' +
    'lDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAAAAAEAAAA' +
    'HwNiIi5Ms+4PsY/L2i,',
  '?OTR|5a73a599|27e31597,00003,00003,pkTtquknfx6HodLvk3RAAAAAA' + '==.,',
];
/** The spec's example data message, joined from its wrapped lines. */
const SPEC_MESSAGE =
  '?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hb' +
  'rL3KAbGDdzE2ZkMyTKl7XfkSxh8YJnudstiB74i4BzT0W2haClg6dMary/jo' +
  '9sMudwmUdlnKpIGEKXWdvJKT+hQ26h9nzMgEditLB8vjPEWAJ6gBXvZrY6ZQ' +
  'rx3gb4v0UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjSc' +
  'ajVba6dqlDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAA' +
  'AAAEAAAAHwNiIi5Ms+4PsY/L2ipkTtquknfx6HodLvk3RAAAAAA==.';

const codeOf = (value: unknown): string | undefined => (value instanceof DecodeError ? value.code : undefined);

describe('fragment', () => {
  it('parses the spec example; its pieces join to the spec\'s message', () => {
    const fragments = SPEC_FRAGMENTS.map(decodeFragment);
    expect(fragments.map((f) => (f instanceof DecodeError ? f.code : [f.version, f.senderTag, f.receiverTag, f.index, f.count]))).toEqual([
      [3, 0x5a73a599, 0x27e31597, 1, 3],
      [3, 0x5a73a599, 0x27e31597, 2, 3],
      [3, 0x5a73a599, 0x27e31597, 3, 3],
    ]);
    expect(fragments.map((f) => (f instanceof DecodeError ? '' : f.piece)).join('')).toBe(SPEC_MESSAGE);
  });

  it('v2 form, leading zeros or none, upper-case hex tags', () => {
    expect(decodeFragment('?OTR,1,2,abc,')).toEqual({ version: 2, senderTag: 0, receiverTag: 0, index: 1, count: 2, piece: 'abc' });
    expect(decodeFragment('?OTR,0000000001,00002,abc,')).toMatchObject({ index: 1, count: 2 });
    expect(decodeFragment('?OTR|FFFFFFFF|100,65535,65535,x,')).toEqual({ version: 3, senderTag: 0xffffffff, receiverTag: 0x100, index: 65535, count: 65535, piece: 'x' });
    expect(decodeFragment('?OTR|100|0,1,1,x,')).toMatchObject({ receiverTag: 0 });
  });

  const rejected: [string, string][] = [
    ['?OTR,0,1,x,', 'bad-fragment'],
    ['?OTR,1,0,x,', 'bad-fragment'],
    ['?OTR,3,2,x,', 'bad-fragment'],
    ['?OTR,1,65536,x,', 'bad-fragment'],
    ['?OTR,1,165535,x,', 'bad-fragment'],
    ['?OTR,+1,2,x,', 'bad-fragment'],
    ['?OTR,-1,2,x,', 'bad-fragment'],
    ['?OTR, 1,2,x,', 'bad-fragment'],
    ['?OTR,1a,2,x,', 'bad-fragment'],
    ['?OTR,,2,x,', 'bad-fragment'],
    ['?OTR,1,2,,', 'bad-fragment'],
    ['?OTR,1,2,x', 'bad-fragment'],
    ['?OTR,1,2,x,y', 'trailing-bytes'],
    ['?OTR|100|100,1,2', 'bad-fragment'],
    ['?OTR|123456789|100,1,2,x,', 'bad-fragment'],
    ['?OTR|0x100|100,1,2,x,', 'bad-fragment'],
    ['?OTR||100,1,2,x,', 'bad-fragment'],
    ['?OTR|ff|100,1,2,x,', 'bad-instance-tag'],
    ['?OTR|100|ff,1,2,x,', 'bad-instance-tag'],
    ['?OTR:AAMD.', 'bad-fragment'],
  ];
  for (const [text, code] of rejected) {
    it(`rejects ${JSON.stringify(text)} as ${code}`, () => {
      expect(codeOf(decodeFragment(text))).toBe(code);
    });
  }

  it('decodeFragmentAt reads one fragment inside a longer text', () => {
    const text = `<p>${SPEC_FRAGMENTS[2] ?? ''}</p>`;
    const parsed = decodeFragmentAt(text, 3);
    expect(parsed).toMatchObject({ fragment: { index: 3, count: 3 }, end: text.length - 4 });
  });

  it('splits with libotr\'s zero-padded header, each fragment within the size', () => {
    expect(encodeFragments('?OTR:ABCDEFGH.', 36 + 5, 3, 0x1a2b3c4d, 0x9e8d7c6b)).toEqual([
      '?OTR|1a2b3c4d|9e8d7c6b,00001,00003,?OTR:,',
      '?OTR|1a2b3c4d|9e8d7c6b,00002,00003,ABCDE,',
      '?OTR|1a2b3c4d|9e8d7c6b,00003,00003,FGH.,',
    ]);
    expect(encodeFragments('?OTR:AB.', 18 + 4, 2, 0, 0)).toEqual(['?OTR,00001,00002,?OTR,', '?OTR,00002,00002,:AB.,']);
  });

  it('refuses what cannot be fragmented', () => {
    expect(() => encodeFragments('a,b', 100, 3, 0x100, 0)).toThrow(UsageError);
    expect(() => encodeFragments('', 100, 3, 0x100, 0)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 36, 3, 0x100, 0)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 18, 2, 0, 0)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 100, 3, 0xff, 0)).toThrow(UsageError);
    expect(() => encodeFragments('a'.repeat(65536), 19, 2, 0, 0)).toThrow(UsageError);
    expect(encodeFragments('a'.repeat(65535), 19, 2, 0, 0)).toHaveLength(65535);
  });
});

/** The OTRv4 spec's example fragments ("Fragmentation"): the v3 example's pieces behind an identifier. */
const SPEC_V4_FRAGMENTS = SPEC_FRAGMENTS.map((text) => text.replace('?OTR|', '?OTR|3c5b5f03|'));

describe('v4 fragment: "?OTR|<identifier>|<sender tag>|<receiver tag>,k,n,piece,"', () => {
  it('parses the OTRv4 spec example: identifier first, then the tags; the pieces join to the message', () => {
    expect(SPEC_V4_FRAGMENTS[0]?.startsWith('?OTR|3c5b5f03|5a73a599|27e31597,00001,00003,?OTR:AAMDJ')).toBe(true);
    const fragments = SPEC_V4_FRAGMENTS.map(decodeFragment);
    expect(fragments.map((f) => (f instanceof DecodeError || f.version !== 4 ? f : [f.identifier, f.senderTag, f.receiverTag, f.index, f.count]))).toEqual([
      [0x3c5b5f03, 0x5a73a599, 0x27e31597, 1, 3],
      [0x3c5b5f03, 0x5a73a599, 0x27e31597, 2, 3],
      [0x3c5b5f03, 0x5a73a599, 0x27e31597, 3, 3],
    ]);
    expect(fragments.map((f) => (f instanceof DecodeError ? '' : f.piece)).join('')).toBe(SPEC_MESSAGE);
  });

  it('identifier and tags of 1 to 8 hex digits, any case, leading zeros; every identifier value', () => {
    expect(decodeFragment('?OTR|0|100|0,1,1,x,')).toEqual({ version: 4, identifier: 0, senderTag: 0x100, receiverTag: 0, index: 1, count: 1, piece: 'x' });
    expect(decodeFragment('?OTR|FFFFFFFF|ffffffff|00000100,65535,65535,x,')).toEqual({
      version: 4,
      identifier: 0xffffffff,
      senderTag: 0xffffffff,
      receiverTag: 0x100,
      index: 65535,
      count: 65535,
      piece: 'x',
    });
    // Two hex fields stay a v3 fragment, exactly as before.
    expect(decodeFragment('?OTR|100|200,1,1,x,')).toEqual({ version: 3, senderTag: 0x100, receiverTag: 0x200, index: 1, count: 1, piece: 'x' });
  });

  const rejectedV4: [string, string][] = [
    ['?OTR|123456789|100|100,1,2,x,', 'bad-fragment'],
    ['?OTR|1|123456789|100,1,2,x,', 'bad-fragment'],
    ['?OTR|1|100|123456789,1,2,x,', 'bad-fragment'],
    ['?OTR||100|100,1,2,x,', 'bad-fragment'],
    ['?OTR|1||100,1,2,x,', 'bad-fragment'],
    ['?OTR|1|100|,1,2,x,', 'bad-fragment'],
    ['?OTR|g|100|100,1,2,x,', 'bad-fragment'],
    ['?OTR|0x1|100|100,1,2,x,', 'bad-fragment'],
    ['?OTR|1|100|100|100,1,2,x,', 'bad-fragment'],
    ['?OTR|1|100|100|,1,2,x,', 'bad-fragment'],
    ['?OTR|1|100|100', 'bad-fragment'],
    ['?OTR|1|ff|100,1,2,x,', 'bad-instance-tag'],
    ['?OTR|1|0|100,1,2,x,', 'bad-instance-tag'],
    ['?OTR|1|100|ff,1,2,x,', 'bad-instance-tag'],
    ['?OTR|1|100|100,0,1,x,', 'bad-fragment'],
    ['?OTR|1|100|100,1,0,x,', 'bad-fragment'],
    ['?OTR|1|100|100,3,2,x,', 'bad-fragment'],
    ['?OTR|1|100|100,1,65536,x,', 'bad-fragment'],
    ['?OTR|1|100|100,1,2,,', 'bad-fragment'],
    ['?OTR|1|100|100,1,2,x', 'bad-fragment'],
    ['?OTR|1|100|100,1,2,x,y', 'trailing-bytes'],
  ];
  for (const [text, code] of rejectedV4) {
    it(`malformed v4 fragment header: rejects ${JSON.stringify(text)} as ${code}`, () => {
      expect(codeOf(decodeFragment(text))).toBe(code);
    });
  }

  it('splits with the zero-padded v4 header (45 characters with the final comma), each fragment within the size', () => {
    const texts = encodeFragments('?OTR:ABCDEFGH.', 45 + 5, 4, 0x1a2b3c4d, 0x9e8d7c6b, 0xabc);
    expect(texts).toEqual([
      '?OTR|00000abc|1a2b3c4d|9e8d7c6b,00001,00003,?OTR:,',
      '?OTR|00000abc|1a2b3c4d|9e8d7c6b,00002,00003,ABCDE,',
      '?OTR|00000abc|1a2b3c4d|9e8d7c6b,00003,00003,FGH.,',
    ]);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(50);
    expect(texts.map((t) => encodeFragment(decodeFragment(t) as Fragment))).toEqual(texts);
    expect(encodeFragments('?OTR:A.', 45 + 7, 4, 0x100, 0, 0xffffffff)).toEqual(['?OTR|ffffffff|00000100|00000000,00001,00001,?OTR:A.,']);
  });

  it('refuses a v4 split without a valid identifier, bad tags or a size that cannot hold the header', () => {
    expect(() => encodeFragments('abc', 100, 4, 0x100, 0)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 100, 4, 0x100, 0, -1)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 100, 4, 0x100, 0, 2 ** 32)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 100, 4, 0x100, 0, 1.5)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 100, 4, 0xff, 0, 1)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 100, 4, 0x100, 0xff, 1)).toThrow(UsageError);
    expect(() => encodeFragments('abc', 45, 4, 0x100, 0, 1)).toThrow(UsageError);
    expect(encodeFragments('abc', 46, 4, 0x100, 0, 1)).toHaveLength(3);
  });

  it('decodeFragmentAt reads a v4 fragment inside a longer text', () => {
    const text = `<p>${SPEC_V4_FRAGMENTS[2] ?? ''}</p>`;
    expect(decodeFragmentAt(text, 3)).toMatchObject({ fragment: { version: 4, identifier: 0x3c5b5f03, index: 3, count: 3 }, end: text.length - 4 });
  });
});
