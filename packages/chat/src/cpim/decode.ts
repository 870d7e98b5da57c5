/**
 * Reads a CPIM message (RFC 3862) leniently: CRLF or bare LF line ends in
 * both header blocks, `prefix.Name` headers resolved through `NS:`
 * declarations (an undeclared prefix is kept without namespace), the inner
 * MIME headers kept as written (MIME-Version and an empty
 * Content-Transfer-Encoding, which sipsimple writes, mean nothing here),
 * a missing DateTime or Content-Type allowed. Bounded by limits.ts; never
 * throws: bad input is a typed failure.
 */
import { parseContentType } from '../content-type.js';
import { parseDateTime } from '../date-time.js';
import { decoded, failed, type DecodeResult } from '../errors.js';
import { parseIdentity, type ChatIdentity } from '../identity.js';
import { MAX_CPIM_HEADER_BYTES, MAX_CPIM_HEADERS, MAX_MIME_HEADER_BYTES, MAX_MIME_HEADERS, MAX_PAYLOAD_BYTES } from '../limits.js';
import { readHeaderBlock, type HeaderLine } from './header-block.js';
import { CPIM_STANDARD_NAMESPACE, type CpimExtensionHeader, type CpimMessage, type CpimSubject } from './types.js';

/** Bounds of one decode (defaults from limits.ts). */
export interface CpimDecodeOptions {
  readonly maxBytes?: number;
}

const NS_VALUE = /^(?:(\S+)\s*)?<([^<>]*)>$/;
const SUBJECT_LANG = /^;\s*lang=([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\s*(.*)$/;

/** Everything the CPIM headers say, gathered while reading them. */
interface Gathered {
  from?: ChatIdentity;
  to: ChatIdentity[];
  cc: ChatIdentity[];
  subjects: CpimSubject[];
  dateTime?: string;
  required: string[];
  extensions: CpimExtensionHeader[];
}

/** Decodes a `message/cpim` body. Never throws. */
export function decodeCpim(bytes: Uint8Array, options: CpimDecodeOptions = {}): DecodeResult<CpimMessage> {
  if (!(bytes instanceof Uint8Array)) return failed('malformed', 'not bytes');
  const maxBytes = options.maxBytes ?? MAX_PAYLOAD_BYTES;
  if (bytes.length > maxBytes) return failed('too-large', `CPIM message over ${maxBytes} bytes`);
  const cpim = readHeaderBlock(bytes, 0, { maxBytes: MAX_CPIM_HEADER_BYTES, maxHeaders: MAX_CPIM_HEADERS, lenientEnd: false });
  if (!cpim.ok) return cpim;
  // Without CPIM headers sipsimple writes CRLF CRLF before the MIME part (it splits at the first CRLF CRLF): both blank lines end the block.
  const mimeStart = cpim.value.headers.length === 0 && cpim.value.next === 2 && bytes[2] === 0x0d && bytes[3] === 0x0a ? 4 : cpim.value.next;
  const mime = readHeaderBlock(bytes, mimeStart, { maxBytes: MAX_MIME_HEADER_BYTES, maxHeaders: MAX_MIME_HEADERS, lenientEnd: true });
  if (!mime.ok) return mime;
  const gathered = gather(cpim.value.headers);
  const contentTypeHeader = mime.value.headers.find((header) => header.name.toLowerCase() === 'content-type');
  const contentType = parseContentType(contentTypeHeader?.value);
  const dateTimeMs = gathered.dateTime === undefined ? undefined : parseDateTime(gathered.dateTime);
  return decoded({
    ...(gathered.from === undefined ? {} : { from: gathered.from }),
    to: gathered.to,
    cc: gathered.cc,
    subjects: gathered.subjects,
    ...(gathered.dateTime === undefined ? {} : { dateTime: gathered.dateTime }),
    ...(dateTimeMs === undefined ? {} : { dateTimeMs }),
    required: gathered.required,
    extensions: gathered.extensions,
    contentType: contentType.type,
    ...(contentType.charset === undefined ? {} : { charset: contentType.charset }),
    mimeHeaders: mime.value.headers,
    body: bytes.slice(mime.value.next),
  });
}

/** Interprets CPIM's headers in order, tracking `NS:` declarations (RFC 3862 section 3.4). */
function gather(headers: readonly HeaderLine[]): Gathered {
  const out: Gathered = { to: [], cc: [], subjects: [], required: [], extensions: [] };
  const namespaces = new Map<string, string>([['', CPIM_STANDARD_NAMESPACE]]);
  for (const { name: written, value } of headers) {
    const dot = written.indexOf('.');
    const prefix = dot < 0 ? '' : written.slice(0, dot);
    const name = dot < 0 ? written : written.slice(dot + 1);
    const namespace = namespaces.get(prefix);
    if (namespace === CPIM_STANDARD_NAMESPACE && standard(out, namespaces, name, value)) continue;
    out.extensions.push({
      name,
      value,
      ...(prefix === '' ? {} : { prefix }),
      ...(namespace === undefined ? {} : { namespace }),
    });
  }
  return out;
}

/** Applies one of CPIM's own headers; false for a name that is not one (kept as an extension). */
function standard(out: Gathered, namespaces: Map<string, string>, name: string, value: string): boolean {
  switch (name.toLowerCase()) {
    case 'from': {
      const identity = parseIdentity(value);
      if (identity !== undefined) out.from = identity;
      return true;
    }
    case 'to':
    case 'cc': {
      const identity = parseIdentity(value);
      if (identity !== undefined) (name.toLowerCase() === 'to' ? out.to : out.cc).push(identity);
      return true;
    }
    case 'subject': {
      const match = SUBJECT_LANG.exec(value);
      out.subjects.push(match === null ? { text: value } : { lang: (match[1] ?? '').toLowerCase(), text: match[2] ?? '' });
      return true;
    }
    case 'datetime':
      out.dateTime = value;
      return true;
    case 'required':
    case 'require':
      out.required.push(...value.split(',').map((part) => part.trim()).filter((part) => part !== ''));
      return true;
    case 'ns': {
      const match = NS_VALUE.exec(value);
      if (match !== null) namespaces.set(match[1] ?? '', (match[2] ?? '').trim());
      return true;
    }
    default:
      return false;
  }
}
