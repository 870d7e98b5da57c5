/** Query messages: every spelling in the spec's table (Protocol-v3, "OTR Query Messages") and libotr's text. */
import { describe, expect, it } from 'vitest';
import { encodeQueryMessage, encodeQueryTag, findQuery, parseQuery, QUERY_EXPLANATION } from '../../../src/wire/query.js';

describe('query', () => {
  const spellings: [string, number[]][] = [
    ['?OTR?', [1]],
    ['?OTRv2?', [2]],
    ['?OTRv23?', [2, 3]],
    ['?OTR?v2?', [1, 2]],
    ['?OTRv24x?', [2, 4]],
    ['?OTR?v24x?', [1, 2, 4]],
    ['?OTR?v?', [1]],
    ['?OTRv?', []],
    ['?OTRv32?', [2, 3]],
    ['?OTR?v23?', [1, 2, 3]],
  ];
  for (const [text, versions] of spellings) {
    it(`${text} offers ${JSON.stringify(versions)}`, () => {
      expect([...(parseQuery(text) ?? new Set(['none']))].sort()).toEqual(versions);
    });
  }

  it('is found anywhere in the text, as libotr does, and the first one counts', () => {
    expect(parseQuery('hello ?OTRv3? there ?OTRv2?')).toEqual(new Set([3]));
    expect(findQuery('<p>?OTRv23?</p>')).toEqual({ versions: new Set([2, 3]), start: 3, end: 11 });
  });

  it('"?OTR" followed by anything else, or "?OTRv" without a closing "?", is not a query', () => {
    expect(parseQuery('?OTR')).toBeUndefined();
    expect(parseQuery('?OTRvery nice')).toBeUndefined();
    expect(parseQuery('?OTR is great')).toBeUndefined();
    expect(parseQuery('?OTR:AAMD.')).toBeUndefined();
    expect(parseQuery('no query here')).toBeUndefined();
  });

  it('"1" inside the version list is not version 1 (only the leading "?" is)', () => {
    expect(parseQuery('?OTRv1?')).toEqual(new Set());
  });

  it('writes the tags libotr writes', () => {
    expect(encodeQueryTag([3, 2])).toBe('?OTRv23?');
    expect(encodeQueryTag([2])).toBe('?OTRv2?');
    expect(encodeQueryTag([1, 2, 3])).toBe('?OTR?v23?');
    expect(encodeQueryTag([1])).toBe('?OTR?');
    expect(encodeQueryTag([])).toBe('?OTRv?');
  });

  it('with an account name, writes upstream libotr 4.1.1 otrl_proto_default_query_msg\'s text', () => {
    expect(encodeQueryMessage([2, 3], 'alice@example')).toBe(
      '?OTRv23?\n<b>alice@example</b> has requested an <a href="https://otr.cypherpunks.ca/">Off-the-Record private conversation</a>.' +
        '  However, you do not have a plugin to support that.\nSee <a href="https://otr.cypherpunks.ca/">https://otr.cypherpunks.ca/</a> for more information.',
    );
    expect(encodeQueryMessage([2, 3], '<x>&"')).toContain('<b>&lt;x&gt;&amp;&quot;</b>');
  });

  it('without a name, a short plain explanation that fits 140 characters', () => {
    expect(encodeQueryMessage([2, 3])).toBe(`?OTRv23?\n${QUERY_EXPLANATION}`);
    expect(encodeQueryMessage([2, 3]).length).toBeLessThanOrEqual(140);
  });
});
