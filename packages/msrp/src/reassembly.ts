/**
 * Reassembly of chunked messages by Message-ID (RFC 4975 section 5.1).
 *
 * Theory of operation. Each SEND chunk names its message (Message-ID), its
 * place (Byte-Range start; the end is start + body length - 1, whatever the
 * header says: RFC 4975's own example counts a CRLF it does not send) and
 * whether more follows (`+`), the message ends (`$`) or is aborted (`#`).
 * Chunks of several messages may interleave. A message completes once its
 * `$` chunk arrived and its bytes from 1 to the end are all present; it is
 * then handed out whole. Coverage is tracked as the contiguous prefix
 * received so far, so in-order chunks cost constant time each; chunks
 * ahead of a gap wait in a short list (limits.MAX_OUT_OF_ORDER_CHUNKS).
 * Bounds: messages at once, bytes held by all of them (each chunk counted
 * with limits.CHUNK_OVERHEAD_BYTES of bookkeeping), and the size of one
 * message (declared total or received end); a chunk that would pass one
 * drops its message with a typed reason.
 */
import type { ByteRange } from './byte-range.js';
import type { ContinuationFlag } from './frame.js';
import { CHUNK_OVERHEAD_BYTES, MAX_MESSAGE_BYTES, MAX_MESSAGES_IN_REASSEMBLY, MAX_OUT_OF_ORDER_CHUNKS, MAX_REASSEMBLY_BYTES } from './limits.js';
import type { DropReason } from './outcome.js';
import type { ReportRequest } from './report-headers.js';

/** Bounds of one reassembler (defaults from limits.ts). */
export interface ReassemblyLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly maxMessageBytes: number;
}

/** The defaults. */
export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxMessages: MAX_MESSAGES_IN_REASSEMBLY,
  maxBytes: MAX_REASSEMBLY_BYTES,
  maxMessageBytes: MAX_MESSAGE_BYTES,
};

/** What the message's sender asked for and where reports go. */
export interface MessageContext {
  readonly reports: ReportRequest;
  /** From-Path of the chunk (the REPORT's To-Path). */
  readonly fromPath: string;
}

/** A chunk offered to the reassembler. */
export interface IncomingChunk {
  readonly messageId: string;
  readonly range: ByteRange;
  readonly body: Uint8Array;
  readonly flag: ContinuationFlag;
  readonly contentType: string | undefined;
  readonly context: MessageContext;
}

/** What a chunk did. */
export type ReassemblyResult =
  | { readonly kind: 'pending' }
  | { readonly kind: 'complete'; readonly messageId: string; readonly contentType: string; readonly body: Uint8Array; readonly context: MessageContext }
  | { readonly kind: 'dropped'; readonly messageId: string; readonly reason: DropReason; readonly context: MessageContext };

interface Piece {
  readonly start: number;
  readonly bytes: Uint8Array;
}

interface InProgress {
  readonly pieces: Piece[];
  /** Bytes 1..covered are all present. */
  covered: number;
  /** Pieces that start after a gap. */
  readonly ahead: Piece[];
  contentType: string | undefined;
  held: number;
  /** The last byte position, once the `$` chunk arrived. */
  end: number | undefined;
  context: MessageContext;
}

/** One session's messages in reassembly. */
export class Reassembly {
  private readonly messages = new Map<string, InProgress>();
  private heldBytes = 0;
  private readonly limits: ReassemblyLimits;

  constructor(limits: Partial<ReassemblyLimits> = {}) {
    this.limits = { ...DEFAULT_REASSEMBLY_LIMITS, ...limits };
  }

  /** Bytes held by all messages in reassembly. */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  /** Messages in reassembly. */
  get size(): number {
    return this.messages.size;
  }

  /** Adds a chunk. */
  add(chunk: IncomingChunk): ReassemblyResult {
    const { messageId, range, body, flag } = chunk;
    let message = this.messages.get(messageId);
    if (flag === '#') {
      if (message !== undefined) this.forget(messageId, message);
      return { kind: 'dropped', messageId, reason: 'aborted', context: message?.context ?? chunk.context };
    }
    const last = range.start + body.length - 1;
    if (last > this.limits.maxMessageBytes || (range.total !== undefined && range.total > this.limits.maxMessageBytes)) {
      if (message !== undefined) this.forget(messageId, message);
      return { kind: 'dropped', messageId, reason: 'too-large', context: message?.context ?? chunk.context };
    }
    if (message === undefined) {
      if (flag === '$' && range.start === 1) {
        // The common case: a whole message in one chunk needs no bookkeeping.
        return { kind: 'complete', messageId, contentType: chunk.contentType ?? '', body, context: chunk.context };
      }
      if (this.messages.size >= this.limits.maxMessages) return { kind: 'dropped', messageId, reason: 'too-many-messages', context: chunk.context };
      message = { pieces: [], covered: 0, ahead: [], contentType: chunk.contentType, held: 0, end: undefined, context: chunk.context };
      this.messages.set(messageId, message);
    }
    const cost = body.length + CHUNK_OVERHEAD_BYTES;
    if (this.heldBytes + cost > this.limits.maxBytes) {
      this.forget(messageId, message);
      return { kind: 'dropped', messageId, reason: 'reassembly-full', context: message.context };
    }
    if (body.length > 0) {
      const piece = { start: range.start, bytes: body };
      message.pieces.push(piece);
      message.held += cost;
      this.heldBytes += cost;
      if (piece.start <= message.covered + 1) {
        message.covered = Math.max(message.covered, last);
        absorb(message);
      } else {
        message.ahead.push(piece);
        if (message.ahead.length > MAX_OUT_OF_ORDER_CHUNKS) {
          this.forget(messageId, message);
          return { kind: 'dropped', messageId, reason: 'reassembly-full', context: message.context };
        }
      }
    }
    message.contentType ??= chunk.contentType;
    if (flag === '$') message.end = last;
    if (message.end === undefined || message.covered < message.end) return { kind: 'pending' };
    const whole = assemble(message.pieces, message.end);
    this.forget(messageId, message);
    return { kind: 'complete', messageId, contentType: message.contentType ?? '', body: whole, context: message.context };
  }

  /** Drops every message (the session ended). */
  clear(): void {
    this.messages.clear();
    this.heldBytes = 0;
  }

  private forget(messageId: string, message: InProgress): void {
    this.messages.delete(messageId);
    this.heldBytes -= message.held;
  }
}

/** Moves pieces that now touch the covered prefix into it (repeatedly: each may close the next gap). */
function absorb(message: InProgress): void {
  for (let progressed = true; progressed;) {
    progressed = false;
    for (let i = 0; i < message.ahead.length; i++) {
      const piece = message.ahead[i];
      if (piece !== undefined && piece.start <= message.covered + 1) {
        message.covered = Math.max(message.covered, piece.start + piece.bytes.length - 1);
        message.ahead.splice(i, 1);
        progressed = true;
        break;
      }
    }
  }
}

/** The bytes 1..end (the pieces cover them: see `covered`). */
function assemble(pieces: readonly Piece[], end: number): Uint8Array {
  const out = new Uint8Array(end);
  for (const piece of pieces) if (piece.start <= end) out.set(piece.bytes.subarray(0, end - piece.start + 1), piece.start - 1);
  return out;
}
