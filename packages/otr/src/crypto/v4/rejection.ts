/**
 * Why a received OTRv4 value was refused by the cryptography. Like wire/'s
 * DecodeError this is returned, never thrown: values from the network are
 * hostile, and the caller turns a rejection into a `protocol-error` or
 * `dropped` event ({@link rejectionReason} gives its `reason`). Rejections
 * name the failed check only, never a value.
 */
import type { ProtocolErrorCode } from '../../errors.js';

/** The check a received value failed. */
export type CryptoRejectionCode =
  /** A POINT or SCALAR that is not 57 bytes, a signature that is not 114, a DH value longer than the modulus. */
  | 'bad-length'
  /** A POINT whose y-coordinate is >= p, or x = 0 with the sign bit set ("Point", decoding). */
  | 'non-canonical-point'
  /** A POINT whose x-coordinate does not exist: not on Ed448-Goldilocks. */
  | 'not-on-curve'
  /** The identity point (refused by "Verifying that a point is on the curve"). */
  | 'identity-point'
  /** A point on the curve but outside the prime-order subgroup (q * P is not the identity). */
  | 'not-in-subgroup'
  /** A SCALAR >= q. */
  | 'scalar-out-of-range'
  /** A DH value outside [2, dh_p - 2] ("Verifying that an integer is in the DH group"). */
  | 'dh-out-of-range'
  /** A DH value in range but outside the order-dh_q subgroup. */
  | 'dh-not-in-subgroup'
  /** An ECDH result equal to the identity (no contribution from our key: "Generating Shared Secrets"). */
  | 'degenerate-shared-secret';

/** A refused value; compare `code`. */
export class CryptoRejection {
  readonly kind = 'crypto-rejection';
  constructor(readonly code: CryptoRejectionCode) {}
}

/** Type guard for the results of the v4 decoders and checks. */
export function isCryptoRejection(value: unknown): value is CryptoRejection {
  return value instanceof CryptoRejection;
}

/** The event reason for a rejection: group elements, or exponents (scalars). */
export function rejectionReason(rejection: CryptoRejection): Extract<ProtocolErrorCode, 'bad-group-element' | 'bad-exponent' | 'malformed'> {
  switch (rejection.code) {
    case 'scalar-out-of-range':
      return 'bad-exponent';
    case 'bad-length':
      return 'malformed';
    case 'non-canonical-point':
    case 'not-on-curve':
    case 'identity-point':
    case 'not-in-subgroup':
    case 'dh-out-of-range':
    case 'dh-not-in-subgroup':
    case 'degenerate-shared-secret':
      return 'bad-group-element';
  }
}
