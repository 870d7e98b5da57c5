/**
 * text/html from a peer reduced to plain text for display (Blink's chat
 * window sends what the user types as text/html): tags removed, character
 * references decoded, block elements and <br> turned into line breaks, list
 * items marked, the content of script, style, head and similar elements
 * dropped, a link's address shown after its text when they differ, and
 * control characters removed, so no markup or terminal control sequence of
 * the peer reaches the screen. One forward pass (each search resumes where
 * the last ended) over at most MAX_HTML_LENGTH characters.
 */
import { MAX_HTML_LENGTH } from './limits.js';

/** The text, and whether the input was cut at MAX_HTML_LENGTH. */
export interface HtmlText {
  readonly text: string;
  readonly truncated: boolean;
}

/** Elements whose content is not text for the reader. */
const DROPPED = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'textarea', 'select']);

/** Elements that start and end a line. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'html', 'body', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul', 'caption',
]);

/** Elements set apart by a blank line (a <p> is a line: Qt writes each line of a message as one). */
const PARAGRAPHS = new Set(['hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl']);

/** Named character references a chat message plausibly holds (the rest stay as written); a Map, so no inherited property is a name. */
const NAMED: ReadonlyMap<string, string> = new Map(Object.entries({
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', shy: '',
  copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–', minus: '−', lsquo: '‘', rsquo: '’', sbquo: '‚',
  ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·', deg: '°',
  plusmn: '±', times: '×', divide: '÷', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', dagger: '†',
  Dagger: '‡', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', iexcl: '¡', iquest: '¿', frac12: '½', frac14: '¼',
  frac34: '¾', sup2: '²', sup3: '³', micro: 'µ', acute: '´', uml: '¨', cedil: '¸', ordf: 'ª', ordm: 'º', not: '¬',
  zwnj: '', zwj: '', lrm: '', rlm: '',
}));

/** Decodes the character references of one text run; unknown ones stay as written. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9A-Fa-f]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const code = hex ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED.get(body) ?? whole;
  });
}

/** Where a tag ends: the first `>` outside quoted attribute values, or -1. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let index = from; index < html.length; index++) {
    const char = html[index];
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    }
  }
  return -1;
}

/** The value of attribute `name` in a tag's inside, entity-decoded. */
function attribute(inside: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(inside);
  if (match === null) return undefined;
  return decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? '');
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Collects the output. Block boundaries ask for line breaks, which are
 * written only before the next text (so nested and adjacent blocks give one
 * break, and nothing trails); <br> adds one; at most one blank line in a row.
 * Spaces at the start and end of a line go.
 */
class Output {
  readonly #parts: string[] = [];
  #pending = 0;
  #empty = true;
  #lineStart = true;

  /** A mark for {@link since}. */
  get mark(): number {
    return this.#parts.length;
  }

  /** Text; `pre` keeps its line breaks and leading spaces. */
  text(raw: string, pre = false): void {
    let text = raw.replace(CONTROLS, '').replace(/\u00a0/g, ' ');
    if ((this.#lineStart || this.#pending > 0) && !pre) text = text.replace(/^ +/, '');
    if (text === '') return;
    if (this.#pending > 0 && !this.#empty) {
      this.#trimLine();
      this.#parts.push('\n'.repeat(this.#pending));
    }
    this.#pending = 0;
    this.#parts.push(text);
    this.#empty = false;
    this.#lineStart = text.endsWith('\n');
  }

  /** A block boundary: `lines` 1 for a line break, 2 for a blank line. */
  block(lines: 1 | 2): void {
    this.#pending = Math.max(this.#pending, lines);
  }

  /** A <br>. */
  lineBreak(): void {
    this.#pending = Math.min(2, this.#pending + 1);
  }

  /** The text appended since `mark` was read. */
  since(mark: number): string {
    return this.#parts.slice(mark).join('');
  }

  #trimLine(): void {
    const last = this.#parts.length - 1;
    const part = this.#parts[last];
    if (part !== undefined) this.#parts[last] = part.trimEnd();
  }

  finish(): string {
    this.#trimLine();
    return this.#parts.join('');
  }
}

/** Reduces an HTML fragment or document to text. Never throws. */
export function htmlToText(input: string): HtmlText {
  const truncated = input.length > MAX_HTML_LENGTH;
  const html = truncated ? input.slice(0, MAX_HTML_LENGTH) : input;
  const out = new Output();
  let preDepth = 0;
  let link: { href: string; mark: number } | undefined;
  let index = 0;
  while (index < html.length) {
    const lt = html.indexOf('<', index);
    const run = lt < 0 ? html.slice(index) : html.slice(index, lt);
    if (run !== '') {
      // Source line breaks and tabs are white space; runs of plain spaces stay (Qt's rich text, which Blink sends, is pre-wrap).
      const spaced = preDepth > 0 ? run.replace(/\r\n?/g, '\n') : run.replace(/\s+/g, (space) => (/[^ ]/.test(space) ? ' ' : space));
      out.text(decodeHtmlEntities(spaced), preDepth > 0);
    }
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      index = end < 0 ? html.length : end + 3;
      continue;
    }
    const nameMatch = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(lt, lt + 64));
    if (nameMatch === null) {
      if (html.startsWith('<!', lt) || html.startsWith('<?', lt) || html.startsWith('</', lt)) {
        // A declaration, processing instruction or broken end tag: skipped.
        const end = html.indexOf('>', lt);
        index = end < 0 ? html.length : end + 1;
      } else {
        out.text('<');
        index = lt + 1;
      }
      continue;
    }
    const closing = nameMatch[1] === '/';
    const name = (nameMatch[2] ?? '').toLowerCase();
    const end = tagEnd(html, lt + nameMatch[0].length);
    if (end < 0) break;
    const inside = html.slice(lt + nameMatch[0].length, end);
    index = end + 1;
    if (!closing && DROPPED.has(name) && !inside.trimEnd().endsWith('/')) {
      const close = new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = index;
      const found = close.exec(html);
      index = found === null ? html.length : close.lastIndex;
      continue;
    }
    if (name === 'br') {
      out.lineBreak();
    } else if (name === 'li') {
      if (!closing) {
        out.block(1);
        out.text('• ');
      }
    } else if (name === 'td' || name === 'th') {
      if (closing) out.text(' ');
    } else if (name === 'a') {
      if (!closing) {
        const href = attribute(inside, 'href');
        link = href === undefined ? undefined : { href, mark: out.mark };
      } else if (link !== undefined) {
        const shown = out.since(link.mark).trim();
        const href = link.href.replace(CONTROLS, '').trim();
        if (href !== '' && shown !== href && shown !== href.replace(/^mailto:/i, '')) out.text(` <${href}>`);
        link = undefined;
      }
    } else if (name === 'img' && !closing) {
      const alt = attribute(inside, 'alt')?.replace(CONTROLS, '').trim();
      if (alt !== undefined && alt !== '') out.text(`[${alt}]`);
    } else if (BLOCKS.has(name)) {
      if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
      out.block(PARAGRAPHS.has(name) ? 2 : 1);
    }
  }
  return { text: out.finish(), truncated };
}
