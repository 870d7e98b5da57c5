/** Fragment syntax (Protocol-v3, "Fragmentation"), with the spec's own example. */
import { describe, expect, it } from 'vitest';
import { DecodeError, UsageError } from '../../../src/errors.js';
import { decodeFragment, decodeFragmentAt, encodeFragments } from '../../../src/wire/fragment.js';

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
