/**
 * What the terminal shows per conversation, derived from driver events only:
 * the lock state (plaintext, encrypted-unverified, encrypted-verified,
 * fingerprint-changed, finished), the peer's fingerprint and SSID of the
 * latest AKE, and whether the peer wrote to us. Pure: no I/O, no clock.
 *
 * Lock rules: `secure` locks the conversation, verified when the fingerprint
 * is trusted; a `fingerprint-changed` just before it turns it red, and it
 * stays red until that fingerprint is verified (`trusted`), whatever the
 * session does meanwhile, because the user has not yet answered the warning.
 * `insecure` (we ended) unlocks; `finished` (the peer ended) holds the
 * conversation in finished, where nothing is sent, until the user acts.
 *
 * Bounded: a relay can write from any number of addresses, so beyond `cap`
 * views the oldest plaintext one is forgotten (else the oldest of any), never
 * the pinned one (the peer the prompt shows). A forgotten peer that writes
 * again starts over in plaintext; a changed fingerprint is announced again by
 * its next AKE, so no warning is lost.
 */
import type { DriverEvent } from './driver-events.js';
import { MAX_REMEMBERED_PEERS } from './recent-map.js';

/** A conversation's lock state. */
export type LockState = 'plaintext' | 'encrypted-unverified' | 'encrypted-verified' | 'fingerprint-changed' | 'finished';

/** One conversation as the user sees it. */
export interface ConversationView {
  readonly peer: string;
  readonly lock: LockState;
  /** The peer's fingerprint (hex) in the latest AKE. */
  readonly fingerprint?: string;
  readonly ssid?: string;
  readonly version?: number;
  /** True once the peer has sent us anything shown (a message, an AKE, an SMP request). */
  readonly wrote: boolean;
  /** Fingerprint announced by `fingerprint-changed` and not yet verified. */
  readonly changedFingerprint?: string;
}

/** The conversations of one chat, by peer address, in order of appearance. */
export class Conversations {
  readonly #views = new Map<string, ConversationView>();
  #pinned: string | undefined;

  constructor(readonly cap: number = MAX_REMEMBERED_PEERS) {}

  /** Keeps `peer`'s view whatever else arrives (the current peer). */
  pin(peer: string | undefined): void {
    this.#pinned = peer;
  }

  /** The conversation with `peer` (plaintext if nothing happened yet). */
  get(peer: string): ConversationView {
    return this.#views.get(peer) ?? { peer, lock: 'plaintext', wrote: false };
  }

  /** Every known conversation, in order of appearance. */
  list(): ConversationView[] {
    return [...this.#views.values()];
  }

  /** Notes that the user addressed `peer` (so it is listed). */
  touch(peer: string): void {
    if (!this.#views.has(peer)) this.#add(peer, this.get(peer));
  }

  /** Applies one event; returns the peer whose view changed, if any. */
  apply(event: DriverEvent): string | undefined {
    switch (event.event) {
      case 'message':
        return this.#update(event.from, { wrote: true });
      case 'fingerprint-changed':
        return this.#update(event.peer, { changedFingerprint: event.fingerprint });
      case 'secure': {
        const current = this.get(event.peer);
        const unanswered = current.changedFingerprint !== undefined && !event.trusted;
        const view = { fingerprint: event.fingerprint, ssid: event.ssid, version: event.version, wrote: true };
        if (unanswered) return this.#update(event.peer, { ...view, lock: 'fingerprint-changed', changedFingerprint: event.fingerprint });
        return this.#update(event.peer, { ...view, lock: event.trusted ? 'encrypted-verified' : 'encrypted-unverified' }, true);
      }
      case 'trusted': {
        const current = this.get(event.peer);
        if (current.fingerprint !== event.fingerprint) return undefined;
        const encrypted = current.lock === 'encrypted-unverified' || current.lock === 'fingerprint-changed';
        return this.#update(event.peer, encrypted ? { lock: 'encrypted-verified' } : {}, true);
      }
      case 'insecure':
        return this.#update(event.peer, { lock: 'plaintext' });
      case 'finished':
        return this.#update(event.peer, { lock: 'finished' });
      case 'smp-request':
        return this.#update(event.peer, { wrote: true });
      case 'ready':
      case 'smp-result':
      case 'smp-aborted':
      case 'not-sent':
      case 'symkey':
      case 'error':
        return undefined;
    }
  }

  #update(peer: string, change: Partial<Omit<ConversationView, 'peer'>>, clearChanged = false): string {
    const { changedFingerprint, ...rest } = { ...this.get(peer), ...change };
    this.#add(peer, clearChanged || changedFingerprint === undefined ? rest : { ...rest, changedFingerprint });
    return peer;
  }

  #add(peer: string, view: ConversationView): void {
    const known = this.#views.has(peer);
    this.#views.set(peer, view);
    if (known || this.#views.size <= this.cap) return;
    let oldest: string | undefined;
    for (const [candidate, { lock }] of this.#views) {
      if (candidate === this.#pinned || candidate === peer) continue;
      if (lock === 'plaintext') {
        this.#views.delete(candidate);
        return;
      }
      oldest ??= candidate;
    }
    if (oldest !== undefined) this.#views.delete(oldest);
  }
}
