/**
 * The lock state the UI shows per conversation: plaintext, encrypted but
 * unverified, encrypted and verified, fingerprint changed (until verified
 * again), finished. Derived from driver events only.
 */
import type { DriverEvent } from './driver-events.js';

/** A conversation's lock state. */
export type LockState = 'plaintext' | 'unverified' | 'verified' | 'fingerprint-changed' | 'finished';

/** Tracks lock states per peer. */
export class LockStates {
  readonly #states = new Map<string, LockState>();

  /** The state of `peer`. */
  get(peer: string): LockState {
    return this.#states.get(peer) ?? 'plaintext';
  }

  /** Updates from one event; returns the peer whose state changed, if any. */
  update(event: DriverEvent): string | undefined {
    switch (event.event) {
      case 'fingerprint-changed':
        this.#states.set(event.peer, 'fingerprint-changed');
        return event.peer;
      case 'secure':
        if (this.#states.get(event.peer) === 'fingerprint-changed' && !event.trusted) return undefined;
        this.#states.set(event.peer, event.trusted ? 'verified' : 'unverified');
        return event.peer;
      case 'trusted':
        this.#states.set(event.peer, 'verified');
        return event.peer;
      case 'insecure':
        this.#states.set(event.peer, 'plaintext');
        return event.peer;
      case 'finished':
        this.#states.set(event.peer, 'finished');
        return event.peer;
      default:
        return undefined;
    }
  }
}
