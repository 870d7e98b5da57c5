/**
 * Reassembling received fragments (Protocol-v3, "Receiving Fragments"), per
 * sender and sender instance, with bounds: at most MAX_INCOMPLETE_MESSAGES
 * partial messages per account (the oldest is evicted), MAX_MESSAGE_BYTES per
 * message, MAX_REASSEMBLY_BYTES_PER_ACCOUNT in all, and partial messages
 * expire after REASSEMBLY_TIMEOUT_MS without a new piece.
 *
 * Rules: k == 1 starts over; k == K + 1 with the same n appends; anything else
 * forgets the stored pieces. When K == N the message is complete.
 */
import {
  MAX_INCOMPLETE_MESSAGES,
  MAX_MESSAGE_BYTES,
  MAX_REASSEMBLY_BYTES_PER_ACCOUNT,
  REASSEMBLY_TIMEOUT_MS,
} from '../limits.js';
import type { Fragment } from '../wire/index.js';

/** The result of adding one fragment. */
export type ReassemblyResult =
  | { readonly kind: 'complete'; readonly message: string }
  | { readonly kind: 'pending' }
  | { readonly kind: 'dropped'; readonly reason: string };

interface Partial {
  readonly count: number;
  index: number;
  pieces: string[];
  bytes: number;
  updated: number;
}

/** Partial messages of one account. */
export class Reassembler {
  /** Insertion order doubles as age order for eviction. */
  readonly #partials = new Map<string, Partial>();
  #totalBytes = 0;

  /** Adds a fragment from `sender`. */
  add(sender: string, fragment: Fragment, now: number): ReassemblyResult {
    const key = `${fragment.version}|${fragment.senderTag}|${sender}`;
    const stored = this.#partials.get(key);
    if (fragment.index === 1) {
      this.#forget(key);
      if (fragment.count === 1) return { kind: 'complete', message: fragment.piece };
      return this.#store(key, { count: fragment.count, index: 1, pieces: [fragment.piece], bytes: fragment.piece.length, updated: now });
    }
    if (stored === undefined || stored.count !== fragment.count || fragment.index !== stored.index + 1) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'fragment out of sequence' };
    }
    if (stored.bytes + fragment.piece.length > MAX_MESSAGE_BYTES) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'reassembled message too large' };
    }
    if (this.#totalBytes + fragment.piece.length > MAX_REASSEMBLY_BYTES_PER_ACCOUNT) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'reassembly memory limit reached' };
    }
    stored.pieces.push(fragment.piece);
    stored.index = fragment.index;
    stored.bytes += fragment.piece.length;
    stored.updated = now;
    this.#totalBytes += fragment.piece.length;
    // Refresh its age.
    this.#partials.delete(key);
    this.#partials.set(key, stored);
    if (stored.index === stored.count) {
      this.#forget(key);
      return { kind: 'complete', message: stored.pieces.join('') };
    }
    return { kind: 'pending' };
  }

  /** Forgets what a sender had in flight (a non-fragment message arrived from it). */
  forgetSender(sender: string): void {
    for (const key of [...this.#partials.keys()]) if (key.endsWith(`|${sender}`)) this.#forget(key);
  }

  /** Drops partial messages idle for too long. */
  expire(now: number): void {
    for (const [key, partial] of [...this.#partials]) {
      if (now - partial.updated >= REASSEMBLY_TIMEOUT_MS) this.#forget(key);
    }
  }

  /** When the oldest partial message expires. */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const partial of this.#partials.values()) {
      const at = partial.updated + REASSEMBLY_TIMEOUT_MS;
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  /** Number of partial messages held (for tests and diagnostics). */
  get size(): number {
    return this.#partials.size;
  }

  #store(key: string, partial: Partial): ReassemblyResult {
    if (this.#totalBytes + partial.bytes > MAX_REASSEMBLY_BYTES_PER_ACCOUNT) return { kind: 'dropped', reason: 'reassembly memory limit reached' };
    while (this.#partials.size >= MAX_INCOMPLETE_MESSAGES) {
      const oldest = this.#partials.keys().next().value;
      if (oldest === undefined) break;
      this.#forget(oldest);
    }
    this.#partials.set(key, partial);
    this.#totalBytes += partial.bytes;
    return { kind: 'pending' };
  }

  #forget(key: string): void {
    const partial = this.#partials.get(key);
    if (partial === undefined) return;
    this.#totalBytes -= partial.bytes;
    this.#partials.delete(key);
  }
}
