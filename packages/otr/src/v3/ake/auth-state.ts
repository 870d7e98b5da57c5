/**
 * The authentication state of the v2/v3 AKE (Protocol-v3, "Authentication
 * state"), one variant per authstate, each holding only the secrets that
 * state needs. AUTHSTATE_V1_SETUP is not represented: sotto never speaks v1.
 */
import type { AkeKeys, DhKeyPair, Secret, Wipeable } from '../../crypto/index.js';
import type { DhCommit, DhKey, RevealSignature } from '../../wire/index.js';
import { assertNever } from '../../assert-never.js';
import type { ProtocolVersion } from '../../version.js';

/** Protocol versions that run this AKE. */
export type AkeVersion = Extract<ProtocolVersion, 2 | 3>;

/** AUTHSTATE_NONE: no AKE in progress. */
export interface AuthNone {
  readonly kind: 'none';
}

/** AUTHSTATE_AWAITING_DHKEY: we sent a D-H Commit and wait for g^y. */
export interface AwaitingDhKey {
  readonly kind: 'awaiting-dhkey';
  readonly version: AkeVersion;
  /** When this AKE last made progress (host clock), for the stale-AKE timeout. */
  readonly since: number;
  /** r: the AES key that hides g^x until the Reveal Signature message. */
  readonly revealKey: Secret;
  /** x and g^x. */
  readonly ourDh: DhKeyPair;
  /** The D-H Commit we sent, kept verbatim for retransmission. */
  readonly commit: DhCommit;
}

/** AUTHSTATE_AWAITING_REVEALSIG: we answered a D-H Commit with our g^y. */
export interface AwaitingRevealSignature {
  readonly kind: 'awaiting-revealsig';
  readonly version: AkeVersion;
  readonly since: number;
  /** y and g^y. */
  readonly ourDh: DhKeyPair;
  /** The peer's commitment: AES_r(g^x) and HASH(g^x). */
  readonly theirCommit: DhCommit;
  /** The D-H Key message we sent, for retransmission. */
  readonly dhKey: DhKey;
}

/** AUTHSTATE_AWAITING_SIG: we revealed r and signed; we wait for the Signature message. */
export interface AwaitingSignature {
  readonly kind: 'awaiting-sig';
  readonly version: AkeVersion;
  readonly since: number;
  /** x and g^x. */
  readonly ourDh: DhKeyPair;
  /** g^y as received. */
  readonly theirDhPublic: Uint8Array;
  /** s = (g^y)^x, kept to key the first data-message pairing (the AKE's two keys). */
  readonly shared: Secret;
  /** c, c', m1, m1', m2, m2' and ssid derived from s. */
  readonly keys: AkeKeys;
  /** The Reveal Signature message we sent, for retransmission. */
  readonly revealSignature: RevealSignature;
}

/** Every authstate. */
export type AuthState = AuthNone | AwaitingDhKey | AwaitingRevealSignature | AwaitingSignature;

/** The initial state. */
export const AUTH_NONE: AuthNone = { kind: 'none' };

/** The secrets a state holds: what leaving it consumes. */
export function authStateSecrets(state: AuthState): Wipeable[] {
  switch (state.kind) {
    case 'none':
      return [];
    case 'awaiting-dhkey':
      return [state.revealKey, state.ourDh.privateKey];
    case 'awaiting-revealsig':
      return [state.ourDh.privateKey];
    case 'awaiting-sig':
      return [state.ourDh.privateKey, state.shared, state.keys];
    default:
      return assertNever(state);
  }
}
