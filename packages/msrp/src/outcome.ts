/**
 * What every entry point of a session or relay client returns: the frames
 * to write to the connection, in order, and kind-tagged events for the host.
 */
import type { FrameErrorCode } from './errors.js';
import type { MsrpUri } from './uri.js';

/** Why a received message was dropped. */
export type DropReason =
  /** The sender aborted it (a chunk ending in `#`). */
  | 'aborted'
  /** Larger than the maximum message size (declared or received). */
  | 'too-large'
  /** Too many messages in reassembly at once. */
  | 'too-many-messages'
  /** All messages in reassembly together would hold too many bytes. */
  | 'reassembly-full';

/** Why a request or message of ours failed. */
export type NotDeliveredReason =
  /** An error transaction response (status in the event). */
  | 'response'
  /** No response within the response timeout: a local 408. */
  | 'timeout'
  /** A failure REPORT. */
  | 'report'
  /** The session was closed before the outcome was known (Blink: "Stream ended"). */
  | 'closed';

/** Events, in the order they happened. */
export type MsrpEvent =
  /** A whole message arrived (chunks reassembled; keep-alives never appear). */
  | { readonly kind: 'message'; readonly messageId: string; readonly contentType: string; readonly body: Uint8Array }
  /** Every chunk of our message got a 200 from the next hop (not proof of delivery: a relay answers hop by hop). */
  | { readonly kind: 'sent'; readonly messageId: string }
  /** A success REPORT for our message: the peer has it. */
  | { readonly kind: 'delivered'; readonly messageId: string }
  /** Our message failed: an error response, a timeout, or a failure REPORT. */
  | { readonly kind: 'not-delivered'; readonly messageId: string; readonly reason: NotDeliveredReason; readonly status: number }
  /** A keep-alive SEND failed (the host should close the connection, as msrplib does). */
  | { readonly kind: 'keep-alive-failed'; readonly status: number }
  /** A received message was dropped. */
  | { readonly kind: 'message-dropped'; readonly messageId: string; readonly reason: DropReason }
  /** Bad input from the network. `fatal`: the stream is unusable; close the connection. */
  | { readonly kind: 'protocol-error'; readonly code: FrameErrorCode | RequestErrorCode; readonly fatal: boolean }
  /** The relay accepted our AUTH: the path to advertise and use. */
  | { readonly kind: 'relay-ready'; readonly path: readonly MsrpUri[]; readonly expiresAt: number }
  /** The relay refused us for good (wrong credentials, bad answers). */
  | { readonly kind: 'relay-failed'; readonly status: number; readonly reason: RelayFailure };

/** Why a well-formed frame was refused. */
export type RequestErrorCode =
  /** A request without a usable To-Path or From-Path, Message-ID or report header. */
  | 'bad-request'
  /** A request for another session (session id of the first To-Path URI). */
  | 'wrong-session'
  /** A method we do not implement. */
  | 'unknown-method'
  /** A SEND whose Byte-Range does not fit its body. */
  | 'bad-byte-range';

/** Why relay authentication stopped. */
export type RelayFailure = 'unauthorized' | 'interval' | 'bad-response' | 'timeout' | 'error-response';

/** The result of one call. */
export interface Outcome {
  /** Frames to write, in order, on the session's connection. */
  readonly write: Uint8Array[];
  readonly events: MsrpEvent[];
}

/** A fresh, empty outcome. */
export function emptyOutcome(): Outcome {
  return { write: [], events: [] };
}
