/**
 * Incremental MSRP frame parser (RFC 4975 sections 7 and 9).
 *
 * Theory of operation. Bytes arrive in arbitrary pieces through `push`;
 * each call returns the frames and typed errors completed so far. MSRP has
 * no Content-Length: a frame is
 *
 *   req-start / resp-start   "MSRP" SP transact-id SP (method / status-code [SP comment]) CRLF
 *   header fields            name ":" SP value CRLF, one per line
 *   [ CRLF body CRLF ]       only after a blank line
 *   end-line                 "-------" transact-id ("$" / "+" / "#") CRLF
 *
 * so a header-only frame ends at an end-line among the header lines, and a
 * body ends at the first CRLF "-------" + this frame's transaction id +
 * flag + CRLF. A body may hold lookalike lines (another transaction id, or
 * the right id followed by something other than a flag and CRLF); they are
 * body. The search for the end-line resumes where it stopped, so a body
 * arriving byte by byte costs linear time.
 *
 * Bounds (limits.ts): the start line, the header count and header bytes,
 * and the body of one chunk. A body too large is reported once with the
 * frame's transaction id and headers (so the receiver can answer 413) and
 * the rest of it is discarded as it streams in, up to its end-line; a bad
 * header likewise skips to the end-line. A bad start line leaves the frame
 * bounds unknown: the stream is then `broken` (report it and close, or
 * call `resynchronise()` to skip to the next line starting "MSRP ").
 * Never throws on any input.
 */
import { fromUtf8, hasControl, utf8 } from './bytes.js';
import { ByteQueue } from './byte-queue.js';
import { bodyEnd, isFlag, prefixOf, startsWith } from './end-line.js';
import type { FrameErrorCode } from './errors.js';
import type { ContinuationFlag, Frame, Header } from './frame.js';
import { isIdent } from './ident.js';
import { MAX_CHUNK_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADER_COUNT, MAX_START_LINE_BYTES, RECEIVE_SLICE_BYTES } from './limits.js';

/** Bounds of one parser (defaults from limits.ts). */
export interface ParserLimits {
  readonly maxStartLineBytes: number;
  readonly maxHeaderCount: number;
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
}

/** The defaults. */
export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxStartLineBytes: MAX_START_LINE_BYTES,
  maxHeaderCount: MAX_HEADER_COUNT,
  maxHeaderBytes: MAX_HEADER_BYTES,
  maxBodyBytes: MAX_CHUNK_BODY_BYTES,
};

/** A frame rejected by the parser. */
export interface FrameError {
  readonly kind: 'frame-error';
  readonly code: FrameErrorCode;
  /** True when the stream's frame bounds are lost (`broken`). */
  readonly fatal: boolean;
  /** The frame's transaction id, when its start line was valid. */
  readonly transactionId?: string;
  /** The request method, or `undefined` for a response or an unknown start line. */
  readonly method?: string;
  /** The header fields read before the error (complete for `body-too-large`). */
  readonly headers?: readonly Header[];
}

/** What `push` returns, in stream order. */
export type ParseResult = { readonly kind: 'frame'; readonly frame: Frame } | FrameError;

const CRLF = utf8('\r\n');
const RESYNC = utf8('\r\nMSRP ');
const START_LINE = /^MSRP ([^ ]+) (?:([A-Z]+)|([0-9]{3})(?: (.*))?)$/;
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*):[ \t]*(.*?)[ \t]*$/;

type Start =
  | { readonly type: 'request'; readonly transactionId: string; readonly method: string }
  | { readonly type: 'response'; readonly transactionId: string; readonly status: number; readonly comment: string };

type State =
  | { readonly name: 'start' }
  | { readonly name: 'headers'; readonly start: Start; readonly headers: Header[]; headerBytes: number; readonly endLine: Uint8Array; readonly marker: Uint8Array }
  | { readonly name: 'body'; readonly start: Start; readonly headers: Header[]; readonly endLine: Uint8Array; readonly marker: Uint8Array; scanFrom: number; fresh: boolean }
  | { readonly name: 'discard'; readonly marker: Uint8Array; scanFrom: number }
  | { readonly name: 'broken' }
  | { readonly name: 'seek' };


/** One connection's incremental parser. */
export class FrameParser {
  private readonly queue = new ByteQueue();
  private state: State = { name: 'start' };
  private readonly limits: ParserLimits;

  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = { ...DEFAULT_PARSER_LIMITS, ...limits };
  }

  /** Bytes the parser holds now (bounded by header and body limits plus one input slice). */
  get bytesHeld(): number {
    return this.queue.length;
  }

  /** True after an error that lost the frame bounds: input is ignored until `resynchronise()`. */
  get broken(): boolean {
    return this.state.name === 'broken';
  }

  /** After a fatal error: skip input up to the next line that starts with "MSRP " and parse from there. */
  resynchronise(): void {
    if (this.state.name === 'broken') this.state = { name: 'seek' };
  }

  /** Feeds bytes; returns the frames and errors completed by them, in order. */
  push(bytes: Uint8Array): ParseResult[] {
    const results: ParseResult[] = [];
    if (this.state.name === 'broken') {
      if (bytes.length > 0) this.fail(results, { code: 'stream-broken', fatal: true });
      return results;
    }
    for (let offset = 0; offset < bytes.length; offset += RECEIVE_SLICE_BYTES) {
      if (this.broken) break;
      this.queue.append(bytes.subarray(offset, offset + RECEIVE_SLICE_BYTES));
      this.drain(results);
    }
    return results;
  }

  private drain(results: ParseResult[]): void {
    for (;;) {
      const progressed = this.step(results);
      if (!progressed) return;
    }
  }

  /** One transition; false when more input is needed. */
  private step(results: ParseResult[]): boolean {
    const state = this.state;
    switch (state.name) {
      case 'start': return this.readStartLine(results);
      case 'headers': return this.readHeaderLine(state, results);
      case 'body': return this.readBody(state, results);
      case 'discard': return this.discard(state);
      case 'seek': return this.seek();
      case 'broken':
        this.queue.consume(this.queue.length);
        return false;
    }
  }

  private fail(results: ParseResult[], error: Omit<FrameError, 'kind'>): void {
    results.push({ kind: 'frame-error', ...error });
  }

  private readStartLine(results: ParseResult[]): boolean {
    // Tolerate blank lines between frames (some stacks write a CRLF after the end-line).
    while (this.queue.at(0) === 0x0d && this.queue.at(1) === 0x0a) this.queue.consume(2);
    const lineEnd = this.queue.indexOf(CRLF, 0);
    if (lineEnd < 0) {
      if (this.queue.length <= this.limits.maxStartLineBytes) return false;
      this.state = { name: 'broken' };
      this.fail(results, { code: 'start-line-too-long', fatal: true });
      return true;
    }
    if (lineEnd > this.limits.maxStartLineBytes) {
      this.state = { name: 'broken' };
      this.fail(results, { code: 'start-line-too-long', fatal: true });
      return true;
    }
    const line = fromUtf8(this.queue.view().subarray(0, lineEnd));
    const match = START_LINE.exec(line);
    const transactionId = match?.[1];
    if (match === null || transactionId === undefined || !isIdent(transactionId) || hasControl(line)) {
      this.state = { name: 'broken' };
      this.fail(results, { code: 'bad-start-line', fatal: true });
      return true;
    }
    this.queue.consume(lineEnd + 2);
    const [, , method, statusText, comment] = match;
    const start: Start = method !== undefined
      ? { type: 'request', transactionId, method }
      : { type: 'response', transactionId, status: Number(statusText), comment: comment ?? '' };
    this.state = { name: 'headers', start, headers: [], headerBytes: lineEnd + 2, endLine: utf8(`-------${transactionId}`), marker: bodyEnd(transactionId) };
    return true;
  }

  private readHeaderLine(state: Extract<State, { name: 'headers' }>, results: ParseResult[]): boolean {
    const lineEnd = this.queue.indexOf(CRLF, 0);
    const budget = this.limits.maxHeaderBytes - state.headerBytes;
    if (lineEnd < 0 || lineEnd + 2 > budget) {
      if (lineEnd < 0 && this.queue.length < budget) return false;
      this.skipFrame(state, results, 'headers-too-large');
      return true;
    }
    const view = this.queue.view();
    if (lineEnd === 0) {
      this.queue.consume(2);
      this.state = { name: 'body', start: state.start, headers: state.headers, endLine: state.endLine, marker: state.marker, scanFrom: 0, fresh: true };
      return true;
    }
    if (lineEnd === state.endLine.length + 1 && isFlag(view[lineEnd - 1]) && startsWith(view, state.endLine)) {
      const flag = String.fromCharCode(view[lineEnd - 1] ?? 0x24) as ContinuationFlag;
      this.queue.consume(lineEnd + 2);
      results.push({ kind: 'frame', frame: makeFrame(state.start, state.headers, undefined, flag) });
      this.state = { name: 'start' };
      return true;
    }
    const line = fromUtf8(view.subarray(0, lineEnd));
    const match = HEADER_LINE.exec(line);
    if (match === null || hasControl(line)) {
      this.skipFrame(state, results, 'bad-header');
      return true;
    }
    if (state.headers.length >= this.limits.maxHeaderCount) {
      this.skipFrame(state, results, 'too-many-headers');
      return true;
    }
    state.headers.push({ name: match[1] ?? '', value: match[2] ?? '' });
    state.headerBytes += lineEnd + 2;
    this.queue.consume(lineEnd + 2);
    return true;
  }

  private readBody(state: Extract<State, { name: 'body' }>, results: ParseResult[]): boolean {
    // An empty body may follow the blank line directly: "\r\n\r\n-------tid$\r\n".
    if (state.fresh) {
      const endLength = state.endLine.length + 3;
      if (this.queue.length < endLength && prefixOf(this.queue.view(), state.endLine)) return false;
      state.fresh = false;
      const view = this.queue.view();
      if (startsWith(view, state.endLine) && isFlag(view[state.endLine.length]) && view[state.endLine.length + 1] === 0x0d && view[state.endLine.length + 2] === 0x0a) {
        const flag = String.fromCharCode(view[state.endLine.length] ?? 0x24) as ContinuationFlag;
        this.queue.consume(endLength);
        results.push({ kind: 'frame', frame: makeFrame(state.start, state.headers, new Uint8Array(0), flag) });
        this.state = { name: 'start' };
        return true;
      }
    }
    const marker = state.marker;
    for (;;) {
      const at = this.queue.indexOf(marker, state.scanFrom);
      if (at < 0) {
        state.scanFrom = Math.max(state.scanFrom, this.queue.length - marker.length + 1);
        if (this.queue.length > this.limits.maxBodyBytes + marker.length + 3) {
          this.fail(results, { code: 'body-too-large', fatal: false, ...describe(state.start), headers: state.headers });
          this.state = { name: 'discard', marker: state.marker, scanFrom: 0 };
          return true;
        }
        return false;
      }
      const flagAt = at + marker.length;
      if (this.queue.length < flagAt + 3) {
        state.scanFrom = at;
        return false;
      }
      const view = this.queue.view();
      if (isFlag(view[flagAt]) && view[flagAt + 1] === 0x0d && view[flagAt + 2] === 0x0a) {
        if (at > this.limits.maxBodyBytes) {
          this.fail(results, { code: 'body-too-large', fatal: false, ...describe(state.start), headers: state.headers });
          this.queue.consume(flagAt + 3);
          this.state = { name: 'start' };
          return true;
        }
        const flag = String.fromCharCode(view[flagAt] ?? 0x24) as ContinuationFlag;
        const body = view.slice(0, at);
        this.queue.consume(flagAt + 3);
        results.push({ kind: 'frame', frame: makeFrame(state.start, state.headers, body, flag) });
        this.state = { name: 'start' };
        return true;
      }
      state.scanFrom = at + 1; // a lookalike end-line inside the body
    }
  }

  /** Reports `code` for the frame being read and discards it up to its end-line. */
  private skipFrame(state: Extract<State, { name: 'headers' }>, results: ParseResult[], code: FrameErrorCode): void {
    this.fail(results, { code, fatal: false, ...describe(state.start), headers: state.headers });
    // Header lines were consumed; a CRLF stands in for the last one's, so an end-line right at the front is found.
    const rest = this.queue.view().slice();
    this.queue.consume(this.queue.length);
    this.queue.append(CRLF);
    this.queue.append(rest);
    this.state = { name: 'discard', marker: state.marker, scanFrom: 0 };
  }

  private discard(state: Extract<State, { name: 'discard' }>): boolean {
    const marker = state.marker;
    for (;;) {
      const at = this.queue.indexOf(marker, state.scanFrom);
      if (at < 0) {
        const keep = Math.min(this.queue.length, marker.length - 1);
        this.queue.consume(this.queue.length - keep);
        state.scanFrom = 0;
        return false;
      }
      const flagAt = at + marker.length;
      if (this.queue.length < flagAt + 3) {
        this.queue.consume(at);
        state.scanFrom = 0;
        return false;
      }
      const view = this.queue.view();
      if (isFlag(view[flagAt]) && view[flagAt + 1] === 0x0d && view[flagAt + 2] === 0x0a) {
        this.queue.consume(flagAt + 3);
        this.state = { name: 'start' };
        return true;
      }
      state.scanFrom = at + 1;
    }
  }

  private seek(): boolean {
    if (startsWith(this.queue.view(), utf8('MSRP '))) {
      this.state = { name: 'start' };
      return true;
    }
    const at = this.queue.indexOf(RESYNC, 0);
    if (at < 0) {
      this.queue.consume(Math.max(0, this.queue.length - (RESYNC.length - 1)));
      return false;
    }
    this.queue.consume(at + 2);
    this.state = { name: 'start' };
    return true;
  }
}

function describe(start: Start): { transactionId: string; method?: string } {
  return start.type === 'request' ? { transactionId: start.transactionId, method: start.method } : { transactionId: start.transactionId };
}

function makeFrame(start: Start, headers: readonly Header[], body: Uint8Array | undefined, flag: ContinuationFlag): Frame {
  return start.type === 'request'
    ? { type: 'request', transactionId: start.transactionId, method: start.method, headers, body, flag }
    : { type: 'response', transactionId: start.transactionId, status: start.status, comment: start.comment, headers, body, flag };
}
