/**
 * Why the DAKE ignored a received message. Returned in the transition,
 * never thrown; the state stays as it was ("Ignore the message"). A
 * rejection names the failed check, never a value.
 */
import { CryptoRejection, rejectionReason, type CryptoRejectionCode } from '../../crypto/v4/index.js';
import type { ProtocolErrorCode } from '../../errors.js';
import type { ProfileRejectionCode } from '../profile/index.js';

/** The check a received DAKE message failed. */
export type DakeRejectionReason =
  /** A message the state does not expect (Auth-R outside WAITING_AUTH_R, Auth-I outside WAITING_AUTH_I). */
  | 'unexpected-message'
  /** The receiver instance tag is not ours (0 is allowed only on Identity messages outside WAITING_AUTH_I). */
  | 'wrong-receiver-tag'
  /**
   * An Identity message with receiver tag 0 in WAITING_AUTH_I: the spec's
   * expected path after simultaneous starts (the side with the higher
   * hashed B resends its Identity message, still to no instance, while we
   * already answered it with an Auth-R), or the peer restarting before it
   * learnt our tag. Ignored as the spec says, and not a fault of the peer.
   */
  | 'identity-without-receiver-tag'
  /** The Auth-I comes from another instance than the Identity message we answered. */
  | 'wrong-sender-tag'
  /** Our own Identity message came back (their B is ours). */
  | 'reflected'
  /** The sender's Client Profile failed validation (`detail` says which check). */
  | 'bad-profile'
  /** Y, X or our_ecdh_first is not a valid point (`detail`). */
  | 'bad-ecdh-key'
  /** B, A or our_dh_first is not in the DH group (`detail`). */
  | 'bad-dh-key'
  /** A ring signature scalar >= q, or sigma does not verify. */
  | 'bad-ring-signature'
  /** The ring we would sign over has two equal keys (their forging key or ephemeral key equals a key of ours). */
  | 'degenerate-ring'
  /** An ECDH or DH result with no contribution from our key. */
  | 'degenerate-shared-secret';

/** An ignored DAKE message. */
export class DakeRejection {
  readonly kind = 'dake-rejection';
  constructor(
    readonly reason: DakeRejectionReason,
    readonly detail?: ProfileRejectionCode | CryptoRejectionCode,
  ) {}
}

/**
 * True when the spec's own flow ignores the message (a resent Identity
 * message after simultaneous starts): the session reports it as `dropped`,
 * not as a protocol error, so the expected path never alarms the user.
 */
export function isExpectedRejection(rejection: DakeRejection): boolean {
  return rejection.reason === 'identity-without-receiver-tag';
}

/** The event reason a session reports for a rejection. */
export function dakeRejectionReason(rejection: DakeRejection): ProtocolErrorCode {
  switch (rejection.reason) {
    case 'unexpected-message':
      return 'unexpected';
    case 'wrong-receiver-tag':
    case 'identity-without-receiver-tag':
    case 'wrong-sender-tag':
    case 'reflected':
      return 'wrong-instance';
    case 'bad-profile':
      return 'bad-signature';
    case 'bad-ecdh-key':
    case 'bad-dh-key':
      return 'bad-group-element';
    case 'bad-ring-signature':
    case 'degenerate-ring':
      return 'bad-signature';
    case 'degenerate-shared-secret':
      return rejectionReason(new CryptoRejection('degenerate-shared-secret'));
  }
}
