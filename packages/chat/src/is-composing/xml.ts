/**
 * A very small XML reader for is-composing documents: elements, attributes,
 * text, CDATA, comments and processing instructions, the five predefined
 * entities and character references. It refuses a document type declaration
 * and any other entity (no entity expansion, no external resources), and is
 * bounded in size, element count and depth. One pass, linear in the input.
 */
import { decoded, failed, type DecodeResult } from '../errors.js';
import { MAX_IS_COMPOSING_BYTES, MAX_XML_DEPTH, MAX_XML_ELEMENTS } from '../limits.js';

/** An element: its name as written, its local name (after any prefix), attributes, text and children. */
export interface XmlElement {
  readonly name: string;
  readonly localName: string;
  readonly attributes: ReadonlyMap<string, string>;
  /** The element's own character data (children's excluded), entities decoded. */
  readonly text: string;
  readonly children: readonly XmlElement[];
}

interface Building {
  name: string;
  localName: string;
  attributes: Map<string, string>;
  text: string;
  children: XmlElement[];
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;
/** The predefined entities (a Map, so no inherited property is an entity). */
const PREDEFINED: ReadonlyMap<string, string> = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"]]);

/** Characters XML 1.0 allows (section 2.2); a reference to any other is refused. */
function allowedCodePoint(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Decodes the references in character data or an attribute value; undefined for a forbidden or malformed one. */
function decodeEntities(raw: string): string | undefined {
  if (!raw.includes('&')) return raw;
  let out = '';
  let index = 0;
  for (;;) {
    const amp = raw.indexOf('&', index);
    if (amp < 0) return out + raw.slice(index);
    out += raw.slice(index, amp);
    const semicolon = raw.indexOf(';', amp);
    if (semicolon < 0 || semicolon - amp > 12) return undefined;
    const entity = raw.slice(amp + 1, semicolon);
    let replacement: string | undefined;
    if (entity.startsWith('#x') || entity.startsWith('#X')) replacement = fromCode(/^[0-9A-Fa-f]{1,6}$/.test(entity.slice(2)) ? parseInt(entity.slice(2), 16) : -1);
    else if (entity.startsWith('#')) replacement = fromCode(/^[0-9]{1,7}$/.test(entity.slice(1)) ? parseInt(entity.slice(1), 10) : -1);
    else replacement = PREDEFINED.get(entity);
    if (replacement === undefined) return undefined;
    out += replacement;
    index = semicolon + 1;
  }
}

function fromCode(code: number): string | undefined {
  return allowedCodePoint(code) ? String.fromCodePoint(code) : undefined;
}

/** Reads the attributes of a start tag's inside (after the name); undefined when malformed. */
function readAttributes(source: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>();
  const pattern = /\s*([^\s=/>]+)\s*=\s*("[^"<]*"|'[^'<]*')/gy;
  let index = 0;
  while (index < source.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (match === null) return /^\s*$/.test(source.slice(index)) ? attributes : undefined;
    const name = match[1] ?? '';
    const value = decodeEntities((match[2] ?? '""').slice(1, -1));
    if (!NAME.test(name) || value === undefined || attributes.has(name)) return undefined;
    attributes.set(name, value);
    index = pattern.lastIndex;
  }
  return attributes;
}

/** Parses a whole document and returns its root element. Never throws. */
export function parseXml(text: string): DecodeResult<XmlElement> {
  if (text.length > MAX_IS_COMPOSING_BYTES) return failed('too-large', `XML over ${MAX_IS_COMPOSING_BYTES} characters`);
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  let index = text.startsWith('\ufeff') ? 1 : 0;
  while (index < text.length) {
    const lt = text.indexOf('<', index);
    const chars = lt < 0 ? text.slice(index) : text.slice(index, lt);
    if (chars !== '') {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (chars.trim() !== '') return failed('malformed', 'text outside the root element');
      } else {
        const value = decodeEntities(chars);
        if (value === undefined) return failed('forbidden-xml', 'an entity other than the predefined ones, or a bad character reference');
        top.text += value;
      }
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return failed('malformed', 'unterminated comment');
      index = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      const top = stack[stack.length - 1];
      if (end < 0 || top === undefined) return failed('malformed', 'misplaced or unterminated CDATA');
      top.text += text.slice(lt + 9, end);
      index = end + 3;
    } else if (text.startsWith('<!', lt)) {
      return failed('forbidden-xml', 'document type declarations are refused');
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return failed('malformed', 'unterminated processing instruction');
      index = end + 2;
    } else {
      const gt = text.indexOf('>', lt + 1);
      if (gt < 0) return failed('malformed', 'unterminated tag');
      const inside = text.slice(lt + 1, gt);
      index = gt + 1;
      if (inside.startsWith('/')) {
        const name = inside.slice(1).trim();
        const open = stack.pop();
        if (open?.name !== name) return failed('malformed', 'mismatched end tag');
        const element: XmlElement = open;
        const parent = stack[stack.length - 1];
        if (parent === undefined) root = element;
        else parent.children.push(element);
        continue;
      }
      if (root !== undefined) return failed('malformed', 'content after the root element');
      const selfClosing = inside.endsWith('/');
      const body = selfClosing ? inside.slice(0, -1) : inside;
      const nameMatch = /^[^\s/>]+/.exec(body);
      const name = nameMatch?.[0] ?? '';
      if (!NAME.test(name)) return failed('malformed', 'bad element name');
      const attributes = readAttributes(body.slice(name.length));
      if (attributes === undefined) return failed('malformed', 'bad attributes');
      if (++elements > MAX_XML_ELEMENTS) return failed('too-complex', `more than ${MAX_XML_ELEMENTS} elements`);
      if (stack.length >= MAX_XML_DEPTH) return failed('too-complex', `nested deeper than ${MAX_XML_DEPTH}`);
      const colon = name.indexOf(':');
      const building: Building = { name, localName: colon < 0 ? name : name.slice(colon + 1), attributes, text: '', children: [] };
      if (!selfClosing) {
        stack.push(building);
        continue;
      }
      const parent = stack[stack.length - 1];
      if (parent === undefined) root = building;
      else parent.children.push(building);
    }
  }
  if (stack.length > 0) return failed('malformed', 'unclosed element');
  if (root === undefined) return failed('malformed', 'no root element');
  return decoded(root);
}
