/**
 * What a session does with a request it received (RFC 4975 sections 7.2
 * and 7.3): check the paths and that the first To-Path URI names this
 * session by session id only ("sessmatch", as msrplib does); answer SEND
 * as its Failure-Report asks (yes: 200 or an error; partial: errors only;
 * no: nothing); hide empty SENDs (keep-alives, binds); reassemble chunks;
 * send the success REPORT a Success-Report: yes asks for once the message
 * is whole, and a failure REPORT when a message is dropped and its
 * Failure-Report is yes or partial; never answer a REPORT; answer other
 * methods 501.
 */
import { parseByteRange } from './byte-range.js';
import { headerValue, type RequestFrame } from './frame.js';
import { isIdent } from './ident.js';
import type { MsrpEvent, Outcome, RequestErrorCode } from './outcome.js';
import type { Reassembly } from './reassembly.js';
import { parseFailureReport, parseSuccessReport, type ReportRequest } from './report-headers.js';
import { responseTo } from './serializer.js';
import { parseStatus } from './status.js';
import { type MsrpUri, parsePath } from './uri.js';

/** What incoming handling needs from its session. */
export interface IncomingContext {
  readonly ownUri: MsrpUri;
  readonly reassembly: Reassembly;
  /** Queues a REPORT to `toPath`. */
  report(outcome: Outcome, toPath: readonly MsrpUri[], messageId: string, size: number, status: number): void;
  /** A REPORT arrived for one of our messages. */
  onReport(outcome: Outcome, messageId: string, status: number): void;
  /** Present when the host decides the REPORT of each whole message: remembers what it needs instead of reporting at once. */
  readonly owe?: (messageId: string, toPath: readonly MsrpUri[], size: number, reports: ReportRequest) => void;
}

function respond(outcome: Outcome, request: RequestFrame, status: number, failure: ReportRequest['failure']): void {
  if (failure === 'no' || (failure === 'partial' && status === 200)) return;
  const frame = responseTo(request, status);
  if (frame !== undefined) outcome.write.push(frame);
}

function refuse(outcome: Outcome, request: RequestFrame, status: number, code: RequestErrorCode, failure: ReportRequest['failure']): void {
  outcome.events.push({ kind: 'protocol-error', code, fatal: false });
  if (request.method !== 'REPORT') respond(outcome, request, status, failure);
}

/** Handles one received request. */
export function handleRequest(context: IncomingContext, request: RequestFrame, outcome: Outcome): void {
  const failure = parseFailureReport(headerValue(request, 'Failure-Report'));
  const success = parseSuccessReport(headerValue(request, 'Success-Report'));
  const toPath = parsePath(headerValue(request, 'To-Path') ?? '');
  const fromPath = parsePath(headerValue(request, 'From-Path') ?? '');
  if (failure === undefined || success === undefined || toPath === undefined || fromPath === undefined) {
    refuse(outcome, request, 400, 'bad-request', failure ?? 'yes');
    return;
  }
  if (toPath[0]?.sessionId !== context.ownUri.sessionId) {
    refuse(outcome, request, 481, 'wrong-session', failure);
    return;
  }
  if (request.method === 'REPORT') {
    const messageId = headerValue(request, 'Message-ID');
    const status = parseStatus(headerValue(request, 'Status') ?? '');
    if (messageId === undefined || status === undefined) {
      outcome.events.push({ kind: 'protocol-error', code: 'bad-request', fatal: false });
      return;
    }
    context.onReport(outcome, messageId.trim(), status.code);
    return;
  }
  if (request.method !== 'SEND') {
    refuse(outcome, request, 501, 'unknown-method', failure);
    return;
  }
  const messageId = headerValue(request, 'Message-ID')?.trim();
  const rangeText = headerValue(request, 'Byte-Range');
  const range = rangeText === undefined ? { start: 1, end: undefined, total: undefined } : parseByteRange(rangeText);
  if (messageId === undefined || !isIdent(messageId) || range === undefined) {
    refuse(outcome, request, 400, range === undefined ? 'bad-byte-range' : 'bad-request', failure);
    return;
  }
  const body = request.body ?? new Uint8Array(0);
  if (body.length === 0 && request.flag === '$' && range.start === 1) {
    respond(outcome, request, 200, failure); // a keep-alive or a bind: answered, never shown
    return;
  }
  const reports: ReportRequest = { success, failure };
  const result = context.reassembly.add({
    messageId,
    range,
    body,
    flag: request.flag,
    contentType: headerValue(request, 'Content-Type')?.trim(),
    context: { reports, fromPath: headerValue(request, 'From-Path') ?? '' },
  });
  switch (result.kind) {
    case 'pending':
      respond(outcome, request, 200, failure);
      return;
    case 'complete': {
      respond(outcome, request, 200, failure);
      const event: MsrpEvent = { kind: 'message', messageId, contentType: result.contentType, body: result.body };
      outcome.events.push(event);
      const reportTo = parsePath(result.context.fromPath) ?? fromPath;
      if (context.owe !== undefined) context.owe(messageId, reportTo, result.body.length, result.context.reports);
      else if (result.context.reports.success === 'yes') context.report(outcome, reportTo, messageId, result.body.length, 200);
      return;
    }
    case 'dropped': {
      outcome.events.push({ kind: 'message-dropped', messageId, reason: result.reason });
      if (result.reason === 'aborted') {
        respond(outcome, request, 200, failure);
        return;
      }
      respond(outcome, request, 413, failure);
      if (result.context.reports.failure !== 'no') {
        context.report(outcome, parsePath(result.context.fromPath) ?? fromPath, messageId, range.start + body.length - 1, 413);
      }
    }
  }
}
