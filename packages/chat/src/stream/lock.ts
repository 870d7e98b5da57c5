/** Blink's lock and a message's encryption status, from the peer's fingerprint and the host's trust records. */
import type { Encryption, LockState, TrustView } from './types.js';

/** The lock of an encrypted session with `fingerprint`: verified, fingerprint-changed (another key of this peer was verified), or unverified. */
export function lockFor(trust: TrustView, peer: string, fingerprint: string): LockState {
  if (trust.isVerified(peer, fingerprint)) return 'verified';
  return trust.hasVerified(peer) ? 'fingerprint-changed' : 'unverified';
}

/** The encryption status a history records for a message. */
export function encryptionFor(trust: TrustView, peer: string, fingerprint: string | undefined): Encryption {
  if (fingerprint === undefined) return 'plaintext';
  return trust.isVerified(peer, fingerprint) ? 'encrypted-verified' : 'encrypted-unverified';
}
