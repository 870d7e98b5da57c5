/** libgcrypt's advanced S-expression text: every atom form, and rejection of malformed input. */
import { describe, expect, it } from 'vitest';
import { atomText, encodeAtom, encodeMpi, parseSexp, type Sexp } from '../../../src/formats/sexp.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const parse = (text: string): Sexp[] => {
  const result = parseSexp(bytes(text));
  if (!result.ok) throw new Error(result.problem);
  return result.value;
};

describe('parseSexp', () => {
  it('reads tokens, quoted strings, hex, base64 and length-prefixed atoms', () => {
    const [token, quoted, hex, base64, verbatim] = parse('(abc-1.x "a b\\"c" #00ff10# |aGk=| 3:a(b)');
    expect(atomText(token)).toBe('abc-1.x');
    expect(atomText(quoted)).toBe('a b"c');
    expect(hex).toEqual(Uint8Array.of(0, 0xff, 0x10));
    expect(atomText(base64)).toBe('hi');
    expect(atomText(verbatim)).toBe('a(b');
  });

  it('reads C escapes in quoted strings', () => {
    const [value] = parse('("\\n\\t\\101\\x42\\\\\\\nc")');
    expect(atomText(value)).toBe('\n\tAB\\c');
  });

  it('reads nested lists across lines and drops display hints', () => {
    expect(parse('(a\n (b [text/plain] "x")\n (c (d)))')).toEqual([bytes('a'), [bytes('b'), bytes('x')], [bytes('c'), [bytes('d')]]]);
  });

  it('keeps arbitrary bytes of quoted strings and hex', () => {
    const [value] = parse('("\u00e9")');
    expect(value).toEqual(Uint8Array.of(0xe9));
  });

  it.each([
    ['no opening parenthesis', 'abc'],
    ['unterminated list', '(a (b)'],
    ['text after the list', '(a) b'],
    ['unterminated string', '(a "b)'],
    ['odd hex', '(#abc#)'],
    ['bad hex digit', '(#zz#)'],
    ['bad base64', '(|a!==|)'],
    ['truncated verbatim', '(9:abc)'],
    ['unknown escape', '("\\q")'],
    ['stray character', '(a {)'],
    ['too deep', `${'('.repeat(40)}${')'.repeat(40)}`],
  ])('rejects %s', (_name, text) => {
    const result = parseSexp(bytes(text));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(/^line \d+: /);
  });
});

describe('encoding', () => {
  it('writes tokens bare and everything else quoted, readable back', () => {
    for (const text of ['prpl-jabber', 'alice@example.org', 'with space', 'quote"back\\slash', 'tab\there', '\u00fcnicode \u2603', '1starts-with-digit', '']) {
      const encoded = encodeAtom(new TextEncoder().encode(text));
      const [value] = parse(`(${encoded})`);
      expect(new TextDecoder().decode(value as Uint8Array)).toBe(text);
    }
    expect(encodeAtom(new TextEncoder().encode('prpl-jabber'))).toBe('prpl-jabber');
  });

  it('writes MPIs as libgcrypt does: upper-case hex, 00 before a set top bit, no other leading zeros', () => {
    expect(encodeMpi(Uint8Array.of(0, 0, 0x12, 0xab))).toBe('#12AB#');
    expect(encodeMpi(Uint8Array.of(0x80, 1))).toBe('#008001#');
  });
});
