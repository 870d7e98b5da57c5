/**
 * Errors. Misuse by the host (a bad argument, an OTR command on a stream
 * without OTR) throws {@link ChatUsageError}. Bad bytes from the network
 * never throw: decoders return a {@link DecodeResult} whose failure carries a
 * {@link DecodeErrorCode}, and the chat stream turns it into an MSRP status
 * and an event.
 */

/** Why a host call was refused. */
export type ChatUsageErrorCode =
  /** An argument of the wrong type or out of range. */
  | 'bad-argument'
  /** OTR is off for this stream: the peer is a conference focus, or the policy allows no OTR. */
  | 'otr-unavailable'
  /** The stream was closed. */
  | 'closed'
  /** The content type cannot be sent to this peer (not in its accept-types, nor wrappable in CPIM). */
  | 'unsupported-content-type';

/** A host call the chat layer refused; the message names the problem, never message contents. */
export class ChatUsageError extends Error {
  override readonly name = 'ChatUsageError';
  constructor(
    readonly code: ChatUsageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Why received bytes could not be decoded. */
export type DecodeErrorCode =
  /** Larger than the decoder's bound (limits.ts). */
  | 'too-large'
  /** More header lines than allowed. */
  | 'too-many-headers'
  /** A header block without its end (no blank line within the bound). */
  | 'unterminated-headers'
  /** Not the expected syntax. */
  | 'malformed'
  /** XML with a document type declaration or an entity other than the predefined ones. */
  | 'forbidden-xml'
  /** XML nested deeper, or with more elements, than allowed. */
  | 'too-complex'
  /** A required part is missing (an is-composing document without its state). */
  | 'missing-field';

/** A decoder's answer: the value, or a typed failure with a short description free of the input's contents. */
export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: DecodeErrorCode; readonly detail: string };

/** A successful decode. */
export function decoded<T>(value: T): DecodeResult<T> {
  return { ok: true, value };
}

/** A failed decode. */
export function failed<T>(code: DecodeErrorCode, detail: string): DecodeResult<T> {
  return { ok: false, code, detail };
}
