/**
 * Writes a CPIM message exactly as python3-sipsimple 5.5.0's
 * `CPIMPayload.encode()` does: CPIM headers joined by CRLF (From, each To,
 * each cc, Subject, DateTime, Required, then extension headers after their
 * `NS:` declaration), CRLF CRLF, then the MIME part Python's email package
 * writes, with bare LF line ends:
 *
 *     MIME-Version: 1.0\n
 *     Content-Type: text/plain; charset="utf8"\n     (no charset: `text/plain`)
 *     Content-Transfer-Encoding:\n                   (only with a charset and a non-ASCII body)
 *     \n
 *     body                                           (CRLF and CR written as LF; no end-of-line added)
 *
 * The empty Content-Transfer-Encoding line is a side effect of Python's
 * generator (it re-sets the header from a charset that has none); every
 * Python from 3.8 to 3.13 writes it without a space after the colon.
 */
import { concat, isAscii, normalizeNewlines, utf8 } from '../bytes.js';
import { formatDateTime } from '../date-time.js';
import { ChatUsageError } from '../errors.js';
import { checkIdentity, formatIdentity, type ChatIdentity } from '../identity.js';
import type { CpimEncodeInput } from './types.js';

/** The line Python's generator adds for a non-ASCII body with a charset. */
export const EMPTY_TRANSFER_ENCODING_LINE = 'Content-Transfer-Encoding:\n';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A header value the host gave: no line breaks or other controls (header injection). */
function checkValue(value: string, what: string): string {
  if (typeof value !== 'string' || CONTROL.test(value)) throw new ChatUsageError('bad-argument', `${what} must be a string without control characters`);
  return value;
}

function identity(value: ChatIdentity, what: string): string {
  return formatIdentity(checkIdentity(value, what));
}

/** The CPIM header lines (without line ends). */
function headerLines(input: CpimEncodeInput): string[] {
  const lines: string[] = [];
  if (input.from !== undefined) lines.push(`From: ${identity(input.from, 'from')}`);
  for (const to of input.to ?? []) lines.push(`To: ${identity(to, 'to')}`);
  for (const cc of input.cc ?? []) lines.push(`cc: ${identity(cc, 'cc')}`);
  if (input.subject !== undefined) lines.push(`Subject: ${checkValue(input.subject, 'subject')}`);
  if (input.dateTime !== undefined) lines.push(`DateTime: ${formatDateTime(input.dateTime)}`);
  if (input.required !== undefined && input.required.length > 0) {
    lines.push(`Required: ${input.required.map((name) => checkValue(name, 'required')).join(',')}`);
  }
  const declared = new Map<string, string>();
  for (const header of input.extensions ?? []) {
    if (!TOKEN.test(header.prefix) || header.prefix.includes('.') || !TOKEN.test(header.name) || header.name.includes('.')) {
      throw new ChatUsageError('bad-argument', 'extension header prefixes and names must be tokens without dots');
    }
    const namespace = checkValue(header.namespace, 'namespace');
    if (/[<>\s]/.test(namespace)) throw new ChatUsageError('bad-argument', 'a namespace URI cannot hold spaces or angle brackets');
    if (declared.get(header.prefix) !== namespace) {
      lines.push(`NS: ${header.prefix} <${namespace}>`);
      declared.set(header.prefix, namespace);
    }
    lines.push(`${header.prefix}.${header.name}: ${checkValue(header.value, 'value')}`);
  }
  return lines;
}

/** The inner MIME part as sipsimple's `ChatMimeMessage.as_string()` writes it. */
export function encodeMimePart(contentType: string, charset: string | undefined, body: Uint8Array): Uint8Array {
  const type = checkValue(contentType, 'contentType').trim();
  const slash = type.indexOf('/');
  if (slash <= 0 || !TOKEN.test(type.slice(0, slash)) || !TOKEN.test(type.slice(slash + 1))) {
    throw new ChatUsageError('bad-argument', 'contentType must be type/subtype');
  }
  if (charset !== undefined && !TOKEN.test(charset)) throw new ChatUsageError('bad-argument', 'charset must be a token');
  let head = `MIME-Version: 1.0\nContent-Type: ${type}${charset === undefined ? '' : `; charset="${charset}"`}\n`;
  if (charset !== undefined && !isAscii(body)) head += EMPTY_TRANSFER_ENCODING_LINE;
  return concat([utf8(`${head}\n`), normalizeNewlines(body)]);
}

/** A CPIM message's bytes (the MSRP body for Content-Type `message/cpim`). Throws ChatUsageError for a bad input. */
export function encodeCpim(input: CpimEncodeInput): Uint8Array {
  if (!(input.body instanceof Uint8Array)) throw new ChatUsageError('bad-argument', 'body must be a Uint8Array');
  const headers = headerLines(input).join('\r\n');
  return concat([utf8(`${headers}\r\n\r\n`), encodeMimePart(input.contentType, input.charset, input.body)]);
}
