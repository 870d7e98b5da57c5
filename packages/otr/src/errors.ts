/**
 * Error classes. Misuse by the host (a bad argument, a call in the wrong
 * state) throws {@link UsageError}. Bad input from the network never throws:
 * it comes back as a `protocol-error` or `dropped` event carrying a
 * {@link ProtocolErrorCode}.
 */

/** Thrown for local misuse of the API by the host. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** A stable machine-readable code. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Why bytes could not be decoded (wire/). Never contains message contents. */
export type DecodeErrorCode =
  | 'truncated'
  | 'trailing-bytes'
  | 'too-long'
  | 'bad-base64'
  | 'bad-version'
  | 'bad-type'
  | 'bad-field'
  | 'bad-fragment'
  | 'bad-instance-tag';

/** A decode failure, returned (not thrown) by every decoder in wire/. */
export class DecodeError {
  readonly kind = 'decode-error';
  constructor(
    readonly code: DecodeErrorCode,
    readonly detail: string,
  ) {}
}

/** Type guard for results of wire/ decoders. */
export function isDecodeError(value: unknown): value is DecodeError {
  return value instanceof DecodeError;
}

/** Codes carried by `protocol-error` and `dropped` events. */
export type ProtocolErrorCode =
  | 'malformed'
  | 'bad-group-element'
  | 'bad-mac'
  | 'bad-signature'
  /** The peer's long-term key is not an OTR v2/v3 DSA key (p 1024 bits, q 160 bits); refused before any work on it. */
  | 'unsupported-key'
  | 'bad-key-id'
  | 'replayed-counter'
  | 'unreadable'
  | 'not-encrypted'
  | 'wrong-instance'
  | 'unsupported-version'
  | 'policy'
  | 'fragment-limit'
  | 'instance-limit'
  | 'smp-failed-check'
  | 'smp-unexpected'
  | 'internal';
