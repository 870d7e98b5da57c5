/**
 * One MSRP chat stream (RFC 4975), shaped like h11: bytes and `now` in,
 * frames to write and kind-tagged events out, and a deadline to call back.
 *
 * Theory of operation. The session owns the parser of its connection
 * (or takes over its relay client's). `receive` parses what arrived and
 * handles each frame: requests through incoming.ts, responses against the
 * transaction table (or the relay client's AUTH), frame errors as
 * `protocol-error` events (answering 413 or 400 when the frame's
 * transaction id and From-Path are known). `sendMessage` chunks a message,
 * records each chunk's transaction and the message, and returns the frames.
 * `onDeadline` turns overdue transactions into local 408s, sends the
 * keep-alive (an empty SEND with `Keep-Alive: yes` after a quiet interval)
 * and refreshes the relay; `nextDeadline` says when to call it.
 *
 * Paths: our SENDs go To-Path = the relay's Use-Path (our local path
 * without its last URI) + the remote path, From-Path = our own URI (the
 * last URI of the local path), as msrplib writes them.
 */
import { chunkMessage } from './chunking.js';
import { type RandomSource, systemRandom } from './digest.js';
import { UsageError } from './errors.js';
import { headerValue, type Frame, type Header } from './frame.js';
import { isIdent, newIdent } from './ident.js';
import { handleRequest, type IncomingContext } from './incoming.js';
import { DEFAULT_CHUNK_SIZE, KEEP_ALIVE_INTERVAL_MS, MAX_CHUNK_SIZE, MAX_MESSAGES_AWAITING_REPORT, MAX_PENDING_TRANSACTIONS, RESPONSE_TIMEOUT_MS } from './limits.js';
import { emptyOutcome, type Outcome } from './outcome.js';
import { FrameParser, type FrameError, type ParserLimits } from './parser.js';
import { Reassembly, type ReassemblyLimits } from './reassembly.js';
import { merge, type RelayClient } from './relay-client.js';
import type { ReportRequest } from './report-headers.js';
import { serializeReport } from './reports.js';
import { bodyContainsEndLine, responseTo, serializeRequest } from './serializer.js';
import type { MsrpUri } from './uri.js';
import { type TransactionPurpose, Transactions } from './transactions.js';

/** How to build a session. */
export interface MsrpSessionOptions {
  /** Our path as in our SDP a=path: the relay's Use-Path URIs, then our own URI (last, with a session id). */
  readonly localPath: readonly MsrpUri[];
  /** The peer's path from its SDP a=path. */
  readonly remotePath: readonly MsrpUri[];
  /** The time the session starts (keep-alives count from it). */
  readonly now: number;
  readonly random?: RandomSource;
  /** Body bytes per chunk we send (default limits.DEFAULT_CHUNK_SIZE, at most limits.MAX_CHUNK_SIZE). */
  readonly chunkSize?: number;
  readonly responseTimeoutMs?: number;
  /** Quiet time before a keep-alive SEND; 0 turns keep-alives off. */
  readonly keepAliveIntervalMs?: number;
  /** The relay client that AUTHed on this connection: its parser is taken over and its AUTH responses routed to it. */
  readonly relay?: RelayClient;
  readonly parserLimits?: Partial<ParserLimits>;
  readonly reassemblyLimits?: Partial<ReassemblyLimits>;
  /**
   * The host decides the REPORT of each whole message it receives (a chat
   * layer that must first decrypt or parse it): the session sends none by
   * itself for a complete message; the host calls `report(messageId,
   * status, now)` once it handled the `message` event. Default false: the
   * session sends the success REPORT as soon as the message is whole.
   */
  readonly hostReports?: boolean;
}

/** What to ask of the receiver of a message. */
export interface SendOptions {
  /** Success-Report and Failure-Report to write (default yes/yes, as Blink sends user messages). */
  readonly reports?: Partial<ReportRequest>;
  /** The Message-ID to use (an RFC 4975 ident, 4 to 32 characters); default a fresh random one. */
  readonly messageId?: string;
}

/** What a REPORT the host still owes for a received message needs. */
interface OwedReport {
  readonly toPath: readonly MsrpUri[];
  readonly size: number;
  readonly reports: ReportRequest;
}

interface OutgoingMessage {
  chunksLeft: number;
  readonly reports: ReportRequest;
}

/** One chat stream over one connection. */
export class MsrpSession {
  private readonly parser: FrameParser;
  private readonly random: RandomSource;
  private readonly transactions = new Transactions();
  private readonly reassembly: Reassembly;
  private readonly outgoing = new Map<string, OutgoingMessage>();
  /** Received messages whose REPORT the host decides (hostReports), oldest first; bounded by MAX_MESSAGES_AWAITING_REPORT. */
  private readonly owed = new Map<string, OwedReport>();
  private readonly ownUri: MsrpUri;
  private readonly toPath: readonly MsrpUri[];
  private readonly chunkSize: number;
  private readonly responseTimeoutMs: number;
  private readonly keepAliveIntervalMs: number;
  private readonly relay: RelayClient | undefined;
  private lastSent: number;
  private keepAlivePending = false;
  private closed = false;
  private readonly incoming: IncomingContext;

  constructor(options: MsrpSessionOptions) {
    const ownUri = options.localPath.at(-1);
    if (ownUri?.sessionId === undefined) throw new UsageError('bad-uri', 'the last URI of the local path is our own and needs a session id');
    if (options.remotePath.length === 0) throw new UsageError('bad-uri', 'the remote path is empty');
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new UsageError('bad-argument', `chunk size must be 1..${MAX_CHUNK_SIZE}`);
    checkNow(options.now);
    this.ownUri = ownUri;
    const relayRoute = options.relay?.route ?? options.localPath.slice(0, -1);
    this.toPath = [...relayRoute, ...options.remotePath];
    this.chunkSize = chunkSize;
    this.random = options.random ?? systemRandom;
    this.responseTimeoutMs = options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
    this.keepAliveIntervalMs = options.keepAliveIntervalMs ?? KEEP_ALIVE_INTERVAL_MS;
    this.relay = options.relay;
    this.parser = options.relay?.parser ?? new FrameParser(options.parserLimits);
    this.reassembly = new Reassembly(options.reassemblyLimits);
    this.lastSent = options.now;
    this.incoming = {
      ownUri,
      reassembly: this.reassembly,
      report: (outcome, toPath, messageId, size, status) => {
        outcome.write.push(serializeReport({ transactionId: newIdent(this.random), toPath, fromPath: [ownUri], messageId, size, status }));
      },
      ...(options.hostReports === true
        ? {
            owe: (messageId: string, toPath: readonly MsrpUri[], size: number, reports: ReportRequest) => {
              this.owed.delete(messageId);
              this.owed.set(messageId, { toPath, size, reports });
              if (this.owed.size > MAX_MESSAGES_AWAITING_REPORT) {
                const oldest = this.owed.keys().next().value;
                if (oldest !== undefined) this.owed.delete(oldest);
              }
            },
          }
        : {}),
      onReport: (outcome, messageId, status) => {
        if (!this.outgoing.delete(messageId)) return;
        outcome.events.push(status === 200 ? { kind: 'delivered', messageId } : { kind: 'not-delivered', messageId, reason: 'report', status });
      },
    };
  }

  /** Bytes held by the parser and the reassembly (bounded; see limits.ts). */
  get bytesHeld(): number {
    return this.parser.bytesHeld + this.reassembly.bytesHeld;
  }

  /** The active side's first frame: an empty SEND that binds the connection to the session (as msrplib does). */
  bind(now: number): Outcome {
    checkNow(now);
    const outcome = emptyOutcome();
    this.sendEmpty(outcome, now, [], { kind: 'bind' });
    return outcome;
  }

  /** Bytes from the connection. */
  receive(bytes: Uint8Array, now: number): Outcome {
    checkNow(now);
    const outcome = emptyOutcome();
    if (this.closed) return outcome;
    for (const result of this.parser.push(bytes)) {
      if (result.kind === 'frame') this.handleFrame(result.frame, now, outcome);
      else this.handleFrameError(result, outcome);
    }
    return outcome;
  }

  /** Sends a message: chunks of at most the chunk size, each a SEND awaiting its response. */
  sendMessage(contentType: string, body: Uint8Array, options: SendOptions, now: number): Outcome & { readonly messageId: string } {
    checkNow(now);
    if (this.closed) throw new UsageError('closed', 'the session is closed');
    if (body.length === 0) throw new UsageError('empty-body', 'an empty SEND is a keep-alive, not a message');
    if (!/^[!-~]+\/[!-~]+( *;.*)?$/.test(contentType) || /[\r\n]/.test(contentType)) throw new UsageError('bad-header', 'bad content type');
    const reports: ReportRequest = { success: options.reports?.success ?? 'yes', failure: options.reports?.failure ?? 'yes' };
    const chunks = chunkMessage(body, this.chunkSize);
    if (this.transactions.size + chunks.length > MAX_PENDING_TRANSACTIONS || !this.transactions.hasRoom()) throw new UsageError('too-many-pending', 'too many requests await a response');
    if (options.messageId !== undefined && (!isIdent(options.messageId) || this.outgoing.has(options.messageId))) {
      throw new UsageError('bad-argument', 'a Message-ID is 4 to 32 ident characters, and not one of a message still awaiting its outcome');
    }
    const messageId = options.messageId ?? newIdent(this.random);
    const outcome = emptyOutcome();
    for (const chunk of chunks) {
      const transactionId = this.freshTransactionId(chunk.body);
      outcome.write.push(serializeRequest({
        transactionId,
        method: 'SEND',
        toPath: this.toPath,
        fromPath: [this.ownUri],
        headers: [
          { name: 'Byte-Range', value: chunk.byteRange },
          { name: 'Message-ID', value: messageId },
          { name: 'Failure-Report', value: reports.failure },
          { name: 'Success-Report', value: reports.success },
          { name: 'Content-Type', value: contentType },
        ],
        body: chunk.body,
        flag: chunk.flag,
      }));
      if (reports.failure === 'yes') this.transactions.add(transactionId, { kind: 'chunk', messageId }, now + this.responseTimeoutMs);
      else if (reports.failure === 'partial') this.transactions.addErrorsOnly(transactionId, { kind: 'chunk', messageId });
    }
    if (reports.failure !== 'no' || reports.success === 'yes') this.remember(messageId, { chunksLeft: chunks.length, reports });
    this.lastSent = now;
    return { ...outcome, messageId };
  }

  /**
   * The host's verdict on a whole message it received (with `hostReports`):
   * 200 sends the success REPORT when the sender asked for one; another
   * status sends a failure REPORT with it unless the sender's
   * Failure-Report is `no`. Once per message; an unknown or already
   * reported id (or a closed session) gives nothing.
   */
  report(messageId: string, status: number, now: number): Outcome {
    checkNow(now);
    if (!Number.isInteger(status) || status < 100 || status > 999) throw new UsageError('bad-argument', 'a REPORT status is a three-digit code');
    const outcome = emptyOutcome();
    const owed = this.owed.get(messageId);
    if (owed === undefined || this.closed) return outcome;
    this.owed.delete(messageId);
    const wanted = status === 200 ? owed.reports.success === 'yes' : owed.reports.failure !== 'no';
    if (wanted) this.incoming.report(outcome, owed.toPath, messageId, owed.size, status);
    return outcome;
  }

  /** When `onDeadline` must be called next, if ever. */
  nextDeadline(): number | undefined {
    const candidates = [this.transactions.nextDeadline(), this.relay?.nextDeadline()];
    if (this.keepAliveIntervalMs > 0 && !this.keepAlivePending && !this.closed) candidates.push(this.lastSent + this.keepAliveIntervalMs);
    let next: number | undefined;
    for (const c of candidates) if (c !== undefined && (next === undefined || c < next)) next = c;
    return next;
  }

  /** Handles passed deadlines: local 408s, the keep-alive, the relay refresh. */
  onDeadline(now: number): Outcome {
    checkNow(now);
    const outcome = emptyOutcome();
    if (this.closed) return outcome;
    for (const purpose of this.transactions.expire(now)) this.failed(outcome, purpose, 408, 'timeout');
    if (this.keepAliveIntervalMs > 0 && !this.keepAlivePending && now >= this.lastSent + this.keepAliveIntervalMs) {
      this.keepAlivePending = true;
      this.sendEmpty(outcome, now, [{ name: 'Keep-Alive', value: 'yes' }], { kind: 'keep-alive' });
    }
    if (this.relay !== undefined) merge(outcome, this.relay.onDeadline(now));
    return outcome;
  }

  /** Ends the session: messages still awaiting an outcome are reported not delivered. */
  close(): Outcome {
    const outcome = emptyOutcome();
    if (this.closed) return outcome;
    this.closed = true;
    for (const [messageId, message] of this.outgoing) {
      // Failure-Report: partial without a success REPORT never confirms anything: silence is all it gets.
      if (message.reports.failure === 'partial' && message.reports.success === 'no') continue;
      outcome.events.push({ kind: 'not-delivered', messageId, reason: 'closed', status: 0 });
    }
    this.outgoing.clear();
    this.owed.clear();
    this.transactions.clear();
    this.reassembly.clear();
    return outcome;
  }

  private handleFrame(frame: Frame, now: number, outcome: Outcome): void {
    if (frame.type === 'request') {
      handleRequest(this.incoming, frame, outcome);
      return;
    }
    if (this.relay?.owns(frame.transactionId) === true) {
      const handled = this.relay.handleResponse(frame, now);
      if (handled !== undefined) merge(outcome, handled);
      return;
    }
    const match = this.transactions.match(frame.transactionId, frame.status);
    if (match.kind === 'ignored') return;
    if (frame.status === 200 && match.kind === 'first') this.succeeded(outcome, match.purpose);
    else if (frame.status !== 200) this.failed(outcome, match.purpose, frame.status, 'response');
  }

  private handleFrameError(error: FrameError, outcome: Outcome): void {
    outcome.events.push({ kind: 'protocol-error', code: error.code, fatal: error.fatal });
    if (error.transactionId === undefined || error.method === undefined || error.method === 'REPORT' || error.headers === undefined) return;
    const request = { type: 'request' as const, transactionId: error.transactionId, method: error.method, headers: error.headers, body: undefined, flag: '$' as const };
    const failure = headerValue(request, 'Failure-Report')?.trim().toLowerCase();
    if (failure === 'no') return;
    const frame = responseTo(request, error.code === 'body-too-large' ? 413 : 400);
    if (frame !== undefined) outcome.write.push(frame);
  }

  private succeeded(outcome: Outcome, purpose: TransactionPurpose): void {
    if (purpose.kind === 'keep-alive') {
      this.keepAlivePending = false;
      return;
    }
    if (purpose.kind !== 'chunk') return;
    const message = this.outgoing.get(purpose.messageId);
    if (message === undefined) return;
    message.chunksLeft -= 1;
    if (message.chunksLeft > 0) return;
    outcome.events.push({ kind: 'sent', messageId: purpose.messageId });
    if (message.reports.success !== 'yes') this.outgoing.delete(purpose.messageId);
  }

  private failed(outcome: Outcome, purpose: TransactionPurpose, status: number, reason: 'timeout' | 'response'): void {
    if (purpose.kind === 'keep-alive') {
      this.keepAlivePending = false;
      outcome.events.push({ kind: 'keep-alive-failed', status });
      return;
    }
    if (purpose.kind !== 'chunk' || !this.outgoing.has(purpose.messageId)) return;
    this.outgoing.delete(purpose.messageId);
    outcome.events.push({ kind: 'not-delivered', messageId: purpose.messageId, reason, status });
  }

  private sendEmpty(outcome: Outcome, now: number, extra: readonly Header[], purpose: TransactionPurpose): void {
    const transactionId = newIdent(this.random);
    outcome.write.push(serializeRequest({
      transactionId,
      method: 'SEND',
      toPath: this.toPath,
      fromPath: [this.ownUri],
      headers: [{ name: 'Byte-Range', value: '1-0/0' }, { name: 'Message-ID', value: newIdent(this.random) }, ...extra],
    }));
    this.transactions.add(transactionId, purpose, now + this.responseTimeoutMs);
    this.lastSent = now;
  }

  private freshTransactionId(body: Uint8Array): string {
    for (;;) {
      const id = newIdent(this.random);
      if (!bodyContainsEndLine(body, id)) return id;
    }
  }

  private remember(messageId: string, message: OutgoingMessage): void {
    this.outgoing.set(messageId, message);
    if (this.outgoing.size > MAX_MESSAGES_AWAITING_REPORT) {
      const oldest = this.outgoing.keys().next().value;
      if (oldest !== undefined) this.outgoing.delete(oldest);
    }
  }
}

function checkNow(now: number): void {
  if (!Number.isFinite(now)) throw new UsageError('bad-argument', '`now` must be a finite number');
}
