/**
 * Reassembling received fragments (Protocol-v3, "Receiving Fragments").
 *
 * Theory of operation. One Reassembler serves one account. Each stream of
 * fragments is keyed by the sender's account name, the protocol version and,
 * for version 3, the sender's instance tag, so two instances of one contact
 * (or a v2 and a v3 client) never mix pieces. Per stream the spec's rules
 * apply, with (K, N) the stored numbers:
 *
 *   k == 1                 forget what is stored, store the piece, (K, N) = (1, n)
 *   k == K + 1 and n == N  append the piece, K = k
 *   otherwise              forget what is stored (the fragment is dropped)
 *   then K == N            the stored text is the received message
 *
 * Bounds (limits.ts), because every piece is attacker-controlled memory:
 * a piece longer than MAX_FRAGMENT_BYTES or a message growing past
 * MAX_MESSAGE_BYTES is dropped with its stream; at most
 * MAX_INCOMPLETE_MESSAGES streams and MAX_REASSEMBLY_BYTES_PER_ACCOUNT bytes
 * are held, and making room evicts the least recently extended streams; a
 * stream with no new piece for REASSEMBLY_TIMEOUT_MS expires. There are no
 * timers: every call takes the host's `now`, {@link Reassembler.nextDeadline}
 * says when the next stream expires and {@link Reassembler.expire} drops it.
 * Sizes are counted in string length (UTF-16 code units); honest pieces are
 * ASCII, where that equals bytes.
 */
import {
  MAX_FRAGMENT_BYTES,
  MAX_INCOMPLETE_MESSAGES,
  MAX_MESSAGE_BYTES,
  MAX_REASSEMBLY_BYTES_PER_ACCOUNT,
  REASSEMBLY_TIMEOUT_MS,
} from '../limits.js';
import type { Fragment } from '../wire/fragment.js';
import type { ProtocolVersion } from '../wire/header.js';

/** Why a fragment (and the stream it belonged to) was dropped. */
export type ReassemblyDropReason = 'out-of-sequence' | 'fragment-too-large' | 'message-too-large' | 'account-limit';

/** The result of adding one fragment. */
export type ReassemblyResult =
  | { readonly kind: 'complete'; readonly message: string }
  | { readonly kind: 'pending' }
  | { readonly kind: 'dropped'; readonly reason: ReassemblyDropReason };

/** Which stream of fragments: sender, version, and (v3) the sender's instance tag; 0 for v2. */
export interface ReassemblyStream {
  readonly sender: string;
  readonly version: ProtocolVersion;
  readonly senderTag: number;
}

interface Partial extends ReassemblyStream {
  readonly count: number;
  index: number;
  readonly pieces: string[];
  length: number;
  updated: number;
}

const streamKey = (sender: string, version: ProtocolVersion, senderTag: number): string =>
  JSON.stringify([sender, version, version === 3 ? senderTag : 0]);

/** Incomplete fragmented messages of one account. */
export class Reassembler {
  /** Insertion order is refresh order, so the first entry is the least recently extended. */
  readonly #partials = new Map<string, Partial>();
  #totalLength = 0;

  /** Adds a fragment received from `sender` (the peer's account name). */
  add(sender: string, fragment: Fragment, now: number): ReassemblyResult {
    this.expire(now);
    const key = streamKey(sender, fragment.version, fragment.senderTag);
    const stored = this.#partials.get(key);
    const pieceLength = fragment.piece.length;

    if (pieceLength > MAX_FRAGMENT_BYTES) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'fragment-too-large' };
    }
    if (fragment.index === 1) {
      this.#forget(key);
      if (fragment.count === 1) return { kind: 'complete', message: fragment.piece };
      if (!this.#makeRoom(pieceLength, true)) return { kind: 'dropped', reason: 'account-limit' };
      const partial: Partial = {
        sender,
        version: fragment.version,
        senderTag: fragment.version === 3 ? fragment.senderTag : 0,
        count: fragment.count,
        index: 1,
        pieces: [fragment.piece],
        length: pieceLength,
        updated: now,
      };
      this.#partials.set(key, partial);
      this.#totalLength += pieceLength;
      return { kind: 'pending' };
    }
    if (stored === undefined || fragment.count !== stored.count || fragment.index !== stored.index + 1) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'out-of-sequence' };
    }
    if (stored.length + pieceLength > MAX_MESSAGE_BYTES) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'message-too-large' };
    }
    // Take the stream out while making room, so it is never evicted for itself.
    this.#forget(key);
    if (!this.#makeRoom(stored.length + pieceLength, false)) return { kind: 'dropped', reason: 'account-limit' };
    stored.pieces.push(fragment.piece);
    stored.index = fragment.index;
    stored.length += pieceLength;
    stored.updated = now;
    if (stored.index === stored.count) return { kind: 'complete', message: stored.pieces.join('') };
    this.#partials.set(key, stored);
    this.#totalLength += stored.length;
    return { kind: 'pending' };
  }

  /** Forgets every stream of `sender` (e.g. an unfragmented message arrived from it). */
  forgetSender(sender: string): void {
    for (const [key, partial] of [...this.#partials]) if (partial.sender === sender) this.#forget(key);
  }

  /** Forgets one stream. */
  forgetStream(stream: ReassemblyStream): void {
    this.#forget(streamKey(stream.sender, stream.version, stream.senderTag));
  }

  /** Drops streams with no new piece for REASSEMBLY_TIMEOUT_MS; returns which. */
  expire(now: number): ReassemblyStream[] {
    const expired: ReassemblyStream[] = [];
    for (const [key, partial] of [...this.#partials]) {
      if (now - partial.updated >= REASSEMBLY_TIMEOUT_MS) {
        this.#forget(key);
        expired.push({ sender: partial.sender, version: partial.version, senderTag: partial.senderTag });
      }
    }
    return expired;
  }

  /** When the next stream expires, or undefined when none is held. */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const partial of this.#partials.values()) {
      const at = partial.updated + REASSEMBLY_TIMEOUT_MS;
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  /** Number of incomplete messages held. */
  get size(): number {
    return this.#partials.size;
  }

  /** Characters held in all incomplete messages. */
  get heldLength(): number {
    return this.#totalLength;
  }

  /**
   * Evicts the least recently extended streams until a stream of `length`
   * fits (and, for a new stream, until there is a free slot). False when
   * `length` alone exceeds the account's budget.
   */
  #makeRoom(length: number, newStream: boolean): boolean {
    if (length > MAX_REASSEMBLY_BYTES_PER_ACCOUNT) return false;
    for (const key of this.#partials.keys()) {
      const full = newStream ? this.#partials.size >= MAX_INCOMPLETE_MESSAGES : false;
      if (!full && this.#totalLength + length <= MAX_REASSEMBLY_BYTES_PER_ACCOUNT) break;
      this.#forget(key);
    }
    return true;
  }

  #forget(key: string): void {
    const partial = this.#partials.get(key);
    if (partial === undefined) return;
    this.#totalLength -= partial.length;
    this.#partials.delete(key);
  }
}
