import { describe, expect, it } from 'vitest';
import { htmlToText, limits } from '../../src/index.js';

const text = (html: string) => htmlToText(html).text;

describe('text/html reduced to text', () => {
  it("Blink's chat window html: tags stripped, entities decoded", () => {
    expect(text('<html><body style="font-family: sans">Hello &amp; <b>welcome</b>&nbsp;&lt;3 &#x1F600; &#233;</body></html>')).toBe('Hello & welcome <3 😀 é');
  });

  it('block elements and br become line breaks, list items are marked', () => {
    expect(text('<p>one</p><p>two<br>three</p><ul><li>a</li><li>b</li></ul><div>end</div>')).toBe('one\n\ntwo\nthree\n\n• a\n• b\n\nend');
  });

  it('script, style and head content is dropped', () => {
    expect(text('<head><title>t</title><style>p{}</style></head><script>alert("<b>x</b>")</script>visible<STYLE>.a{}</STYLE>')).toBe('visible');
  });

  it('source white space collapses; pre keeps its line breaks', () => {
    expect(text('a \n\t b<pre>x\n  y</pre>')).toBe('a b\n\nx\ny');
  });

  it("a link's address is shown after its text when they differ", () => {
    expect(text('<a href="https://evil.example/">https://bank.example/</a> and <a href="https://a.example">https://a.example</a>')).toBe(
      'https://bank.example/ <https://evil.example/> and https://a.example',
    );
  });

  it('peer markup never passes through: a > inside an attribute, comments, declarations', () => {
    expect(text('<img alt="a>b" src="x">z<!-- <b>hidden</b> --><!DOCTYPE html><?xml x?>')).toBe('[a>b]z');
  });

  it('terminal control characters, raw or as references, are removed', () => {
    expect(text('a\u001b[31mred&#27;[0m\u0007b\u009bc')).toBe('a[31mred[0mbc');
  });

  it('a lone < is text, an unclosed tag ends the text', () => {
    expect(text('1 < 2')).toBe('1 < 2');
    expect(text('ok <b unclosed')).toBe('ok');
  });

  it('input beyond the bound is cut and flagged', () => {
    const result = htmlToText('x'.repeat(limits.MAX_HTML_LENGTH + 5));
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBe(limits.MAX_HTML_LENGTH);
  });

  it('stays linear on pathological input (bounded work, no timing asserted)', () => {
    // Unclosed quotes, many '<', long space runs and unterminated references all finish.
    const inputs = ['<a "'.repeat(50_000), '<'.repeat(200_000), ' '.repeat(200_000) + 'x', '&#'.repeat(100_000), '<script>'.repeat(20_000)];
    for (const input of inputs) expect(typeof htmlToText(input).text).toBe('string');
  });
});
