import { describe, expect, it } from 'vitest';
import { htmlToText, limits } from '../../src/index.js';

const text = (html: string) => htmlToText(html).text;

describe('text/html reduced to text', () => {
  it("Blink's chat window html: tags stripped, entities decoded", () => {
    expect(text('<html><body style="font-family: sans">Hello &amp; <b>welcome</b>&nbsp;&lt;3 &#x1F600; &#233;</body></html>')).toBe('Hello & welcome <3 😀 é');
  });

  it('block elements and br become line breaks, list items are marked', () => {
    expect(text('<p>one</p><p>two<br>three</p><ul><li>a</li><li>b</li></ul><div>end</div>')).toBe('one\ntwo\nthree\n\n• a\n• b\n\nend');
    expect(text('<div><div><p>nested</p></div></div><p>next</p><br><br><br><br>after')).toBe('nested\nnext\n\nafter');
  });

  it("the Qt rich text Blink's chat window sends (QTextEdit.toHtml)", () => {
    const qt =
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN" "http://www.w3.org/TR/REC-html40/strict.dtd">\n' +
      '<html><head><meta name="qrichtext" content="1" /><meta charset="utf-8" /><style type="text/css">\np, li { white-space: pre-wrap; }\nhr { height: 1px; border-width: 0; }\n</style></head>' +
      '<body style=" font-family:\'Noto Sans\'; font-size:10pt; font-weight:400; font-style:normal;">\n' +
      '<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">hello  <span style=" font-weight:700;">world</span></p>\n' +
      '<p style="-qt-paragraph-type:empty; margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;"><br /></p>\n' +
      '<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">second &lt;line&gt;</p>\n' +
      '<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">third</p></body></html>';
    expect(text(qt)).toBe('hello  world\n\nsecond <line>\nthird');
  });

  it('script, style and head content is dropped', () => {
    expect(text('<head><title>t</title><style>p{}</style></head><script>alert("<b>x</b>")</script>visible<STYLE>.a{}</STYLE>')).toBe('visible');
  });

  it('source line breaks are white space; spaces typed in Qt stay; pre keeps its lines', () => {
    expect(text('a \n\t b<pre>x\n  y</pre>')).toBe('a b\n\nx\n  y');
    expect(text('two  spaces')).toBe('two  spaces');
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

  it('references named after Object.prototype members stay as written', () => {
    expect(text('&constructor; &toString; &__proto__; &hasOwnProperty;')).toBe('&constructor; &toString; &__proto__; &hasOwnProperty;');
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
