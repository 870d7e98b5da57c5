/**
 * Reassembly of chunked messages by Message-ID (RFC 4975 section 5.1).
 *
 * Theory of operation. Each SEND chunk names its message (Message-ID), its
 * place (Byte-Range start; the end is start + body length - 1, whatever the
 * header says: RFC 4975's own example counts a CRLF it does not send) and
 * whether more follows (`+`), the message ends (`$`) or is aborted (`#`).
 * Chunks of several messages may interleave. A message completes once its
 * `$` chunk arrived and its bytes from 1 to the end are all present; it is
 * then handed out whole. Bounds: messages at once, bytes held by all of
 * them, and the size of one message (declared total or received end); a
 * chunk that would pass one drops its message with a typed reason.
 */
import type { ByteRange } from './byte-range.js';
import type { ContinuationFlag } from './frame.js';
import { MAX_MESSAGE_BYTES, MAX_MESSAGES_IN_REASSEMBLY, MAX_REASSEMBLY_BYTES } from './limits.js';
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

interface InProgress {
  readonly pieces: { readonly start: number; readonly bytes: Uint8Array }[];
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
      message = { pieces: [], contentType: chunk.contentType, held: 0, end: undefined, context: chunk.context };
      this.messages.set(messageId, message);
    }
    if (this.heldBytes + body.length > this.limits.maxBytes) {
      this.forget(messageId, message);
      return { kind: 'dropped', messageId, reason: 'reassembly-full', context: message.context };
    }
    if (body.length > 0) {
      message.pieces.push({ start: range.start, bytes: body });
      message.held += body.length;
      this.heldBytes += body.length;
    }
    message.contentType ??= chunk.contentType;
    if (flag === '$') message.end = last;
    if (message.end === undefined) return { kind: 'pending' };
    const whole = assemble(message.pieces, message.end);
    if (whole === undefined) return { kind: 'pending' };
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

/** The bytes 1..end when the pieces cover them all, else `undefined`. */
function assemble(pieces: readonly { readonly start: number; readonly bytes: Uint8Array }[], end: number): Uint8Array | undefined {
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  let covered = 0;
  for (const piece of sorted) {
    if (piece.start > covered + 1) return undefined;
    covered = Math.max(covered, piece.start + piece.bytes.length - 1);
  }
  if (covered < end) return undefined;
  const out = new Uint8Array(end);
  for (const piece of sorted) if (piece.start <= end) out.set(piece.bytes.subarray(0, Math.max(0, end - piece.start + 1)), piece.start - 1);
  return out;
}
