/**
 * The bytes Blink's engine writes (python3-msrplib 5bd0696, python3-sipsimple
 * 5.5.0, python3-otr 0a950d2), as functions: msrplib's ids and frames, the
 * CPIM payload `CPIMPayload.encode()` and Python's `email` produce, the
 * is-composing document, python3-otr's query text and its old-MAC-keys field.
 * Written from notes section 6 of the SIP/MSRP notes and those sources; our
 * own code, for the Blink test double only.
 */
import { randomBytes } from 'node:crypto';

/** msrplib's transaction ids and Message-IDs: `'%x' % random.getrandbits(64)` (no zero padding). */
export function msrplibId(): string {
  return BigInt(`0x${randomBytes(8).toString('hex')}`).toString(16);
}

/** msrplib's URI session ids: `'%x' % random.getrandbits(80)`. */
export function msrplibSessionId(): string {
  return BigInt(`0x${randomBytes(10).toString('hex')}`).toString(16);
}

/**
 * msrplib's header order (`HeaderOrderMapping`): To-Path, From-Path, then
 * level-2 headers in the order they were added, Content-* but Content-Type,
 * Content-Type last. A frame with a Content-Type has a blank line and the
 * body; the end-line is `\r\n-------tid<flag>\r\n`.
 */
export function msrplibFrame(firstLine: string, transactionId: string, headers: readonly (readonly [string, string])[], body?: string, flag = '$'): Buffer {
  const level = (name: string): number => {
    if (name === 'To-Path') return 0;
    if (name === 'From-Path') return 1;
    if (name === 'Content-Type') return 4;
    if (['Content-ID', 'Content-Description', 'Content-Disposition'].includes(name)) return 3;
    return name.startsWith('Content-') ? 3 : 2;
  };
  const sorted = headers.map((h, i) => ({ h, i })).sort((a, b) => level(a.h[0]) - level(b.h[0]) || a.i - b.i).map(({ h }) => h);
  const lines = [firstLine, ...sorted.map(([name, value]) => `${name}: ${value}`)];
  const hasType = sorted.some(([name]) => name === 'Content-Type');
  if (hasType) lines.push('\r\n');
  const head = lines.join('\r\n');
  return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(body ?? '', 'utf8'), Buffer.from(`\r\n-------${transactionId}${flag}\r\n`, 'utf8')]);
}

/**
 * `make_send_request`: Byte-Range `1-N/N`, or `1-*\/N` above 2048, where N
 * is `len(data)` of a Python *str*, i.e. the number of code points, not
 * bytes (they differ only for non-ASCII CPIM).
 */
export function msrplibByteRange(body: string): string {
  let length = 0;
  for (const _ of body) length += 1; // code points, as Python's len(str)
  return `1-${length > 2048 ? '*' : String(length)}/${length}`;
}

/** sipsimple's `ISOTimestamp.now()` as CPIM DateTime: microseconds and `+00:00`. */
export function cpimDateTime(now = new Date(), micro = Math.floor(Math.random() * 1000)): string {
  const iso = now.toISOString(); // 2026-12-06T03:43:13.172Z
  return `${iso.slice(0, 23)}${String(micro).padStart(3, '0')}+00:00`;
}

/** A SIP identity as sipsimple prints it in CPIM: `Display <sip:u@h>` or `<sip:u@h>`. */
export function cpimIdentity(uri: string, displayName: string | undefined): string {
  return displayName === undefined || displayName === '' ? `<${uri}>` : `${displayName} <${uri}>`;
}

/**
 * `CPIMPayload.encode()`: CPIM headers joined by CRLF, CRLFCRLF, then the
 * inner part as Python's `email` writes it (bare LF): `MIME-Version: 1.0`,
 * `Content-Type` (with `; charset="utf8"` when the content was a str), an
 * empty `Content-Transfer-Encoding:` when a charset is set and the payload is
 * not ASCII, a blank line, the payload.
 */
export function cpimEncode(input: { from: string; to: string; contentType: string; charset: boolean; content: string; dateTime?: string }): string {
  const headers = [`From: ${input.from}`, `To: ${input.to}`, `DateTime: ${input.dateTime ?? cpimDateTime()}`].join('\r\n');
  const inner = ['MIME-Version: 1.0', `Content-Type: ${input.contentType}${input.charset ? '; charset="utf8"' : ''}`];
  // eslint-disable-next-line no-control-regex
  if (input.charset && /[^\x00-\x7f]/.test(input.content)) inner.push('Content-Transfer-Encoding: ');
  return `${headers}\r\n\r\n${inner.join('\n')}\n\n${input.content}`;
}

export interface CpimParsed {
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly dateTime: string | undefined;
  readonly contentType: string;
  readonly charset: string | undefined;
  readonly content: string;
}

/** `CPIMPayload.decode()` as sipsimple does it: split at CRLFCRLF, then the inner part by `email` (LF or CRLF). Undefined = "CPIM Parser Error". */
export function cpimDecode(text: string): CpimParsed | undefined {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const headers = new Map<string, string>();
  for (const line of text.slice(0, split).split('\r\n')) {
    const match = /^(?:([^:]+?)\.)?(.+?):\s*(.+?)$/.exec(line);
    if (match?.[2] !== undefined && match[3] !== undefined && match[1] === undefined) headers.set(match[2], match[3]);
  }
  const inner = text.slice(split + 4);
  const end = /\r?\n\r?\n/.exec(inner);
  const innerHeaders = end === null ? inner : inner.slice(0, end.index);
  const content = end === null ? '' : inner.slice(end.index + end[0].length);
  let contentType = 'text/plain';
  let charset: string | undefined;
  for (const line of innerHeaders.split(/\r?\n/)) {
    const match = /^content-type:\s*([^;\s]+)(.*)$/i.exec(line);
    if (match?.[1] === undefined) continue;
    contentType = match[1].toLowerCase();
    charset = /charset="?([^";\s]+)"?/i.exec(match[2] ?? '')?.[1];
  }
  return { from: headers.get('From'), to: headers.get('To'), dateTime: headers.get('DateTime'), contentType, charset, content };
}

/** sipsimple's `IsComposingDocument` as Blink sends it (no refresh unless given). */
export function isComposingXml(state: 'active' | 'idle'): string {
  return `<?xml version='1.0' encoding='UTF-8'?>\n<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>${state}</state><contenttype>text</contenttype></isComposing>`;
}

/** python3-otr's `QueryMessage.encode()` for versions {3}: two spaces after the tag. */
export const BLINK_OTR_QUERY = '?OTRv3?  I would like to start an Off-the-Record private conversation, but you do not seem to support that.';

/** Python's `repr(bytes)` without its `b'`/`'` frame, as `str(bytes)[2:-1]`. */
function pythonBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const hasDouble = bytes.includes(0x22);
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `b${quote}${out}${quote}`;
}

/**
 * python3-otr's data message old-MAC-keys field: `''.join(str(mac) for mac
 * in old_macs)` then `pack_data`, which keeps `data[2:-1].encode()`: the
 * Python reprs of the 20-byte keys run together, minus the first `b'` and
 * the last `'`. Empty stays empty.
 */
export function pythonOldMacsField(keys: readonly Uint8Array[]): Uint8Array {
  if (keys.length === 0) return new Uint8Array(0);
  const text = keys.map(pythonBytesRepr).join('');
  return Buffer.from(text.slice(2, -1), 'latin1');
}

/**
 * Rewrites one of our v3 data messages (`?OTR:AAMD...` , unfragmented) so
 * that its old-MAC-keys field is as python3-otr writes it. The MAC covers
 * the fields before it only, so the message stays valid. Anything else is
 * returned unchanged; `revealed` counts the rewrites with keys.
 */
export function withPythonOldMacs(text: string, stats: { revealed: number }): string {
  const match = /^\?OTR:([A-Za-z0-9+/=]+)\.$/.exec(text);
  if (match?.[1] === undefined) return text;
  const bytes = Buffer.from(match[1], 'base64');
  if (bytes.length < 11 || bytes.readUInt16BE(0) !== 3 || bytes[2] !== 0x03) return text;
  let at = 11 + 1 + 4 + 4; // header, flags, sender keyid, recipient keyid
  at += 4 + bytes.readUInt32BE(at); // next DH (MPI)
  at += 8; // counter
  at += 4 + bytes.readUInt32BE(at); // encrypted message (DATA)
  at += 20; // MAC
  const length = bytes.readUInt32BE(at);
  if (length === 0 || length % 20 !== 0) return text;
  const keys: Uint8Array[] = [];
  for (let i = 0; i < length; i += 20) keys.push(bytes.subarray(at + 4 + i, at + 4 + i + 20));
  const field = pythonOldMacsField(keys);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(field.length);
  stats.revealed += 1;
  return `?OTR:${Buffer.concat([bytes.subarray(0, at), head, field]).toString('base64')}.`;
}
