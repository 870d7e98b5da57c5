/**
 * Error classes and codes. Misuse by the host throws {@link UsageError}.
 * Bad bytes from the network never throw: the parser returns a
 * `frame-error` (code {@link FrameErrorCode}) and a session turns it into a
 * `protocol-error` event and, where the RFC asks, an error response.
 */

/** Why the host's call was refused. */
export type UsageErrorCode =
  /** An argument of the wrong type or out of range (a non-finite `now`, a chunk size of 0). */
  | 'bad-argument'
  /** A string that is not an MSRP URI where one was required. */
  | 'bad-uri'
  /** An empty message body (an empty SEND is a keep-alive, not a message). */
  | 'empty-body'
  /** A message larger than the session's maximum message size. */
  | 'too-large'
  /** Too many requests awaiting a response (limits.MAX_PENDING_TRANSACTIONS). */
  | 'too-many-pending'
  /** A header name or value that would break the frame (CR, LF, or a bad name). */
  | 'bad-header'
  /** The session or relay client was closed. */
  | 'closed';

/** Thrown for local misuse of the API by the host. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code: UsageErrorCode;
  constructor(code: UsageErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Why the parser rejected bytes (RFC 4975 section 9 ABNF, and the bounds of limits.ts). */
export type FrameErrorCode =
  /** The first line is not `MSRP SP transact-id SP (method / status-code [SP comment])`. */
  | 'bad-start-line'
  /** The start line is longer than limits.MAX_START_LINE_BYTES. */
  | 'start-line-too-long'
  /** A header line is not `name ":" value`, or holds a control character. */
  | 'bad-header'
  /** More header fields than limits.MAX_HEADER_COUNT. */
  | 'too-many-headers'
  /** The header block is longer than limits.MAX_HEADER_BYTES. */
  | 'headers-too-large'
  /** The body grew past the maximum chunk body size without an end-line (the rest is discarded up to the end-line). */
  | 'body-too-large'
  /** The stream is unusable after an earlier error whose frame bounds are unknown; close, or call `resynchronise()`. */
  | 'stream-broken';
