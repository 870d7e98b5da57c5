/**
 * Writes MSRP frames (RFC 4975 sections 7 and 9): start line, To-Path,
 * From-Path, the other header fields in the order given, and, when there is
 * a body, a blank line, the body and CRLF before the end-line. Also builds
 * the response to a request: To-Path is the first URI of the request's
 * From-Path (the previous hop; RFC 4975 section 7.2), From-Path the first
 * URI of its To-Path (us).
 */
import { concatBytes, isSafeHeaderText, utf8 } from './bytes.js';
import { UsageError } from './errors.js';
import { headerValue, type ContinuationFlag, type Frame, type Header, type RequestFrame } from './frame.js';
import { isIdent } from './ident.js';
import { reasonPhrase } from './status.js';
import { formatPath, type MsrpUri, parsePath } from './uri.js';

const HEADER_NAME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$/;

/** A request to write. */
export interface RequestSpec {
  readonly transactionId: string;
  readonly method: string;
  readonly toPath: readonly MsrpUri[];
  readonly fromPath: readonly MsrpUri[];
  /** Further header fields, written after the paths in this order (Content-Type last if there is a body). */
  readonly headers?: readonly Header[];
  readonly body?: Uint8Array;
  readonly flag?: ContinuationFlag;
}

/** A response to write. */
export interface ResponseSpec {
  readonly transactionId: string;
  readonly status: number;
  readonly comment?: string;
  readonly toPath: readonly MsrpUri[];
  readonly fromPath: readonly MsrpUri[];
  readonly headers?: readonly Header[];
}

/** True when `body` holds this transaction's end-line, so a frame with it would end early (RFC 4975 section 7.1: pick another id). */
export function bodyContainsEndLine(body: Uint8Array, transactionId: string): boolean {
  const marker = utf8(`-------${transactionId}`);
  const first = marker[0] ?? 0x2d;
  for (let i = body.indexOf(first); i >= 0 && i + marker.length <= body.length; i = body.indexOf(first, i + 1)) {
    let j = 1;
    while (j < marker.length && body[i + j] === marker[j]) j++;
    if (j === marker.length) return true;
  }
  return false;
}

/** Writes any frame (the round-trip partner of the parser). Throws UsageError for a frame that cannot be written faithfully. */
export function serializeFrame(frame: Frame): Uint8Array {
  if (!isIdent(frame.transactionId)) throw new UsageError('bad-argument', 'not a valid transaction id');
  let start: string;
  if (frame.type === 'request') {
    if (!/^[A-Z]+$/.test(frame.method)) throw new UsageError('bad-argument', 'a method is upper-case letters');
    start = `MSRP ${frame.transactionId} ${frame.method}`;
  } else {
    if (!Number.isInteger(frame.status) || frame.status < 0 || frame.status > 999) throw new UsageError('bad-argument', 'a status is three digits');
    if (!isSafeHeaderText(frame.comment)) throw new UsageError('bad-header', 'control character in the comment');
    start = `MSRP ${frame.transactionId} ${String(frame.status).padStart(3, '0')}${frame.comment === '' ? '' : ` ${frame.comment}`}`;
  }
  let head = `${start}\r\n`;
  for (const { name, value } of frame.headers) {
    if (!HEADER_NAME.test(name)) throw new UsageError('bad-header', 'bad header name');
    if (!isSafeHeaderText(value) || value !== value.trim()) throw new UsageError('bad-header', 'bad header value');
    head += `${name}: ${value}\r\n`;
  }
  const endLine = `-------${frame.transactionId}${frame.flag}\r\n`;
  if (frame.body === undefined) return utf8(head + endLine);
  if (bodyContainsEndLine(frame.body, frame.transactionId)) throw new UsageError('bad-argument', 'the body holds the end-line of this transaction id');
  return concatBytes([utf8(`${head}\r\n`), frame.body, utf8(`\r\n${endLine}`)]);
}

/** Writes a request. */
export function serializeRequest(spec: RequestSpec): Uint8Array {
  return serializeFrame({
    type: 'request',
    transactionId: spec.transactionId,
    method: spec.method,
    headers: [{ name: 'To-Path', value: formatPath(spec.toPath) }, { name: 'From-Path', value: formatPath(spec.fromPath) }, ...(spec.headers ?? [])],
    body: spec.body,
    flag: spec.flag ?? '$',
  });
}

/** Writes a response. */
export function serializeResponse(spec: ResponseSpec): Uint8Array {
  return serializeFrame({
    type: 'response',
    transactionId: spec.transactionId,
    status: spec.status,
    comment: spec.comment ?? reasonPhrase(spec.status),
    headers: [{ name: 'To-Path', value: formatPath(spec.toPath) }, { name: 'From-Path', value: formatPath(spec.fromPath) }, ...(spec.headers ?? [])],
    body: undefined,
    flag: '$',
  });
}

/**
 * The response to `request`: To-Path = the first From-Path URI, From-Path =
 * the first To-Path URI. `undefined` when the request's paths are unusable
 * (then no response can be addressed).
 */
export function responseTo(request: RequestFrame, status: number, comment?: string): Uint8Array | undefined {
  const from = parsePath(headerValue(request, 'From-Path') ?? '');
  const to = parsePath(headerValue(request, 'To-Path') ?? '');
  const previousHop = from?.[0];
  const us = to?.[0];
  if (previousHop === undefined || us === undefined) return undefined;
  return serializeResponse({ transactionId: request.transactionId, status, ...(comment === undefined ? {} : { comment }), toPath: [previousHop], fromPath: [us] });
}
