/**
 * Error classes. Misuse by the host (a bad argument, a call in the wrong
 * state) throws {@link UsageError}. Bad input from the network never throws:
 * it comes back as a `protocol-error`, `dropped` or `smp-aborted` event whose
 * `reason` is a {@link ProtocolErrorCode}.
 */

/**
 * Why a call was refused as misuse by the host. Each code names a mistake
 * in the host program, never something a peer can cause: what a peer can
 * make invalid (ending a session it already ended, SMP once it finished)
 * comes back as a `refused` or `not-sent` event instead.
 */
export type UsageErrorCode =
  /** An argument of the wrong type or out of range (a missing text, a non-finite `now`, an empty peer). */
  | 'bad-argument'
  /** `new Account` without an options object. */
  | 'bad-options'
  /** The private key is not a `DsaPrivateKey` (from `generateDsaKey` or `dsaPrivateKeyFromParts`). */
  | 'bad-private-key'
  /** A policy that is not an object of the six boolean flags of `Policy`. */
  | 'bad-policy'
  /** An instance tag outside [0x100, 0xffffffff]. */
  | 'bad-instance-tag'
  /** A maximum message size that is neither 0 nor at least `limits.MIN_MAX_MESSAGE_SIZE`. */
  | 'bad-max-size'
  /** A text longer than `limits.MAX_SEND_TEXT_LENGTH` (a message, SMP secret or question). */
  | 'text-too-long'
  /** DSA key parts that do not make a usable OTR key (DsaKeyError says which check failed). */
  | 'bad-dsa-key'
  /** An SMP question containing NUL. */
  | 'bad-smp-question'
  /** A TLV value too long for its 16-bit length (for example the extra key's use data). */
  | 'bad-tlv'
  /** The message needs more than 65535 fragments at the configured maximum size. */
  | 'too-large'
  /** A maximum size too small for a fragment header. */
  | 'max-size-too-small'
  /** The policy allows no OTR version, so no query can be sent. */
  | 'otr-disabled'
  /** The account was wiped; make a new one. */
  | 'wiped'
  /** `status` for a remote instance the account does not know (other calls report `refused` instead). */
  | 'unknown-instance'
  /** Internal invariants of the fragmenter and session, kept typed; a host never sees them through `Account`. */
  | 'bad-fragment-input'
  | 'not-encoded'
  | 'not-secure'
  | 'no-smp-request';

/** Thrown for local misuse of the API by the host. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** A stable machine-readable code. */
  readonly code: UsageErrorCode;
  constructor(code: UsageErrorCode, message: string) {
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

/**
 * Why something received was refused: the one vocabulary of the `reason`
 * field of `protocol-error`, `dropped` and `smp-aborted` events.
 */
export type ProtocolErrorCode =
  /** The message does not decode (or an SMP message has the wrong shape). */
  | 'malformed'
  /** A D-H or SMP group element out of range or outside the subgroup. */
  | 'bad-group-element'
  /** An SMP exponent out of range. */
  | 'bad-exponent'
  /** An SMP zero-knowledge proof that does not verify. */
  | 'bad-proof'
  | 'bad-mac'
  | 'bad-signature'
  /** The peer's long-term key is not an OTR v2/v3 DSA key (p 1024 bits, q 160 bits); refused before any work on it. */
  | 'unsupported-key'
  | 'bad-key-id'
  | 'replayed-counter'
  /** An unreadable data message marked IGNORE_UNREADABLE (a heartbeat, an SMP step). */
  | 'unreadable'
  /** A data message outside a secure session. */
  | 'not-encrypted'
  /** A message addressed to another instance, or with an invalid sender tag. */
  | 'wrong-instance'
  | 'unsupported-version'
  /** A version the policy does not allow. */
  | 'policy'
  /** Fragments beyond the reassembly limits. */
  | 'fragment-limit'
  /** The contact already has the most instances the account keeps; see limits.MAX_INSTANCES_PER_CONTACT. */
  | 'instance-limit'
  /** The account already remembers the most contacts it keeps; see limits.MAX_CONVERSATIONS. */
  | 'conversation-limit'
  /** An SMP message the SMP state does not expect. */
  | 'unexpected'
  /** v4: the stored key of a skipped message was evicted to keep the store bounded; that message can no longer be read. */
  | 'keys-evicted'
  /** A defect inside the library; no details are given. */
  | 'internal';

/** Why SMP was given up because of something received: the SMP subset of {@link ProtocolErrorCode}. */
export type SmpAbortReason = Extract<ProtocolErrorCode, 'unexpected' | 'malformed' | 'bad-group-element' | 'bad-exponent' | 'bad-proof'>;
