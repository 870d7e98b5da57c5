/**
 * Reassembling received fragments (Protocol-v3, "Receiving Fragments").
 *
 * Theory of operation. One Reassembler serves one account. Each stream of
 * fragments is keyed by the sender's account name, the protocol version,
 * for versions 3 and 4 the sender's instance tag and, for version 4, the
 * fragment identifier that names one message (OTRv4, "Fragmentation"), so
 * two instances of one contact, a v2 and a v3 client, or two fragmented v4
 * messages of one instance never mix pieces. Per stream the spec's rules
 * apply, with (K, N) the stored numbers:
 *
 *   k == 1                 forget what is stored, store the piece, (K, N) = (1, n)
 *   k == K + 1 and n == N  append the piece, K = k
 *   otherwise              forget what is stored (the fragment is dropped)
 *   then K == N            the stored text is the received message
 *
 * Version 4 streams follow the same in-order rules: each v4 message has a
 * stream of its own, so a new message neither completes nor disturbs
 * another one still arriving; a v4 stream whose message never completes is
 * dropped by the bounds below like any other.
 *
 * Bounds (limits.ts), because every piece is attacker-controlled memory:
 * a piece longer than MAX_FRAGMENT_BYTES or a message growing past
 * MAX_MESSAGE_BYTES is dropped with its stream; at most
 * MAX_INCOMPLETE_MESSAGES streams and MAX_REASSEMBLY_BYTES_PER_ACCOUNT bytes
 * are held, and making room evicts the least recently extended streams; a
 * stream with no new piece for REASSEMBLY_TIMEOUT_MS expires. There are no
 * timers: every call takes the host's `now`, {@link Reassembler.nextDeadline}
 * says when the next stream expires and {@link Reassembler.expire} drops it.
 *
 * What is held is what is counted. A piece arrives as part of the received
 * text, and V8 may keep a piece taken out of a string as a view on that
 * whole string, so a 1 MiB text ending in a fragment would stay alive for a
 * 16-character piece. Each stream therefore keeps its pieces as UTF-8 bytes
 * in one buffer of its own (grown by doubling), never a string taken from
 * the received text, and the budgets count the buffer's whole capacity plus
 * {@link STREAM_OVERHEAD_BYTES} and the stream's key. Honest pieces are
 * ASCII (base64), where a character is a byte; a piece with a lone
 * surrogate comes back with U+FFFD in its place (it cannot be part of a
 * valid OTR message anyway).
 */
import {
  MAX_FRAGMENT_BYTES,
  MAX_INCOMPLETE_MESSAGES,
  MAX_MESSAGE_BYTES,
  MAX_REASSEMBLY_BYTES_PER_ACCOUNT,
  REASSEMBLY_TIMEOUT_MS,
} from '../limits.js';
import type { Fragment, FragmentVersion } from '../wire/fragment.js';

/** Why a fragment (and the stream it belonged to) was dropped. */
export type ReassemblyDropReason = 'out-of-sequence' | 'fragment-too-large' | 'message-too-large' | 'account-limit';

/** The result of adding one fragment. */
export type ReassemblyResult =
  | { readonly kind: 'complete'; readonly message: string }
  | { readonly kind: 'pending' }
  | { readonly kind: 'dropped'; readonly reason: ReassemblyDropReason };

/**
 * Which stream of fragments: sender, version, (v3 and v4) the sender's
 * instance tag, 0 for v2, and (v4) the fragment identifier.
 */
export interface ReassemblyStream {
  readonly sender: string;
  readonly version: FragmentVersion;
  readonly senderTag: number;
  /** Version 4 only: the identifier of the fragmented message. */
  readonly identifier?: number;
}

/**
 * Bytes charged to a stream beyond its buffer: the stream record, its map
 * entry and the buffer's object (measured with V8 at about 400 bytes; the
 * key strings are charged on top, two bytes a character).
 */
export const STREAM_OVERHEAD_BYTES = 512;

interface Partial {
  /** The sender's name as JSON: a string of our own, so the host's string is not kept. */
  readonly senderJson: string;
  readonly version: FragmentVersion;
  readonly senderTag: number;
  /** Version 4: the fragment identifier; 0 for versions 2 and 3. */
  readonly identifier: number;
  readonly count: number;
  index: number;
  /** The pieces so far, UTF-8, in bytes [0, length) of a buffer of our own. */
  buffer: Uint8Array;
  length: number;
  /** What this stream is charged against the account's budget. */
  charged: number;
  updated: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The key of a stream; versions 2 and 3 keep the key they always had, version 4 adds the identifier. */
function streamKey(senderJson: string, version: FragmentVersion, senderTag: number, identifier: number): string {
  if (version === 4) return `[${senderJson},4,${senderTag},${identifier}]`;
  return `[${senderJson},${version},${version === 3 ? senderTag : 0}]`;
}

/** The identifier of a fragment's message: v4's, else 0. */
const identifierOf = (fragment: Fragment): number => (fragment.version === 4 ? fragment.identifier : 0);

/** What a stream with this buffer capacity and key costs, in bytes. */
const chargeOf = (capacity: number, key: string, senderJson: string): number => capacity + STREAM_OVERHEAD_BYTES + 2 * (key.length + senderJson.length);

/** A buffer of at least `needed` bytes holding the first `length` bytes of `buffer`, doubling (at most MAX_MESSAGE_BYTES). */
function grown(buffer: Uint8Array, length: number, needed: number): Uint8Array {
  if (needed <= buffer.length) return buffer;
  const next = new Uint8Array(Math.min(Math.max(needed, 2 * buffer.length), Math.max(needed, MAX_MESSAGE_BYTES)));
  next.set(buffer.subarray(0, length));
  return next;
}

/** Incomplete fragmented messages of one account. */
export class Reassembler {
  /** Insertion order is refresh order, so the first entry is the least recently extended. */
  readonly #partials = new Map<string, Partial>();
  #totalCharged = 0;

  /** Adds a fragment received from `sender` (the peer's account name). */
  add(sender: string, fragment: Fragment, now: number): ReassemblyResult {
    this.expire(now);
    const senderJson = JSON.stringify(sender);
    const identifier = identifierOf(fragment);
    const key = streamKey(senderJson, fragment.version, fragment.senderTag, identifier);
    const stored = this.#partials.get(key);

    if (fragment.piece.length > MAX_FRAGMENT_BYTES) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'fragment-too-large' };
    }
    if (fragment.index === 1) {
      this.#forget(key);
      if (fragment.count === 1) return { kind: 'complete', message: fragment.piece };
      // A copy in a buffer of the piece's own size: nothing of the received text is kept.
      const buffer = utf8Encoder.encode(fragment.piece);
      if (buffer.length > MAX_FRAGMENT_BYTES) return { kind: 'dropped', reason: 'fragment-too-large' };
      const charged = chargeOf(buffer.length, key, senderJson);
      if (!this.#makeRoom(charged, true)) return { kind: 'dropped', reason: 'account-limit' };
      const partial: Partial = {
        senderJson,
        version: fragment.version,
        senderTag: fragment.version === 2 ? 0 : fragment.senderTag,
        identifier,
        count: fragment.count,
        index: 1,
        buffer,
        length: buffer.length,
        charged,
        updated: now,
      };
      this.#partials.set(key, partial);
      this.#totalCharged += charged;
      return { kind: 'pending' };
    }
    if (stored === undefined || fragment.count !== stored.count || fragment.index !== stored.index + 1) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'out-of-sequence' };
    }
    const piece = utf8Encoder.encode(fragment.piece);
    if (piece.length > MAX_FRAGMENT_BYTES) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'fragment-too-large' };
    }
    const length = stored.length + piece.length;
    if (length > MAX_MESSAGE_BYTES) {
      this.#forget(key);
      return { kind: 'dropped', reason: 'message-too-large' };
    }
    // Take the stream out while making room, so it is never evicted for itself.
    this.#forget(key);
    const last = fragment.index === stored.count;
    // The last piece is not stored: the message is decoded from the pieces so far and it.
    const buffer = last ? stored.buffer : grown(stored.buffer, stored.length, length);
    const charged = chargeOf(buffer.length, key, senderJson);
    if (!last && !this.#makeRoom(charged, false)) return { kind: 'dropped', reason: 'account-limit' };
    if (last) return { kind: 'complete', message: utf8Decoder.decode(stored.buffer.subarray(0, stored.length)) + utf8Decoder.decode(piece) };
    buffer.set(piece, stored.length);
    stored.buffer = buffer;
    stored.length = length;
    stored.charged = charged;
    stored.index = fragment.index;
    stored.updated = now;
    this.#partials.set(key, stored);
    this.#totalCharged += charged;
    return { kind: 'pending' };
  }

  /** Forgets every stream of `sender` (e.g. an unfragmented message arrived from it). */
  forgetSender(sender: string): void {
    const senderJson = JSON.stringify(sender);
    for (const [key, partial] of [...this.#partials]) if (partial.senderJson === senderJson) this.#forget(key);
  }

  /** Forgets one stream. */
  forgetStream(stream: ReassemblyStream): void {
    this.#forget(streamKey(JSON.stringify(stream.sender), stream.version, stream.senderTag, stream.identifier ?? 0));
  }

  /** Drops streams with no new piece for REASSEMBLY_TIMEOUT_MS; returns which. */
  expire(now: number): ReassemblyStream[] {
    const expired: ReassemblyStream[] = [];
    for (const [key, partial] of [...this.#partials]) {
      if (now - partial.updated >= REASSEMBLY_TIMEOUT_MS) {
        this.#forget(key);
        const sender = JSON.parse(partial.senderJson) as string;
        const { version, senderTag, identifier } = partial;
        expired.push(version === 4 ? { sender, version, senderTag, identifier } : { sender, version, senderTag });
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

  /** Bytes of pieces held in all incomplete messages (what was received). */
  get heldLength(): number {
    let total = 0;
    for (const partial of this.#partials.values()) total += partial.length;
    return total;
  }

  /** Bytes charged for all incomplete messages: buffer capacities, keys and per-stream overhead (what is retained). */
  get heldBytes(): number {
    return this.#totalCharged;
  }

  /**
   * Evicts the least recently extended streams until a stream charged
   * `charge` bytes fits (and, for a new stream, until there is a free slot).
   * False when `charge` alone exceeds the account's budget.
   */
  #makeRoom(charge: number, newStream: boolean): boolean {
    if (charge > MAX_REASSEMBLY_BYTES_PER_ACCOUNT) return false;
    for (const key of this.#partials.keys()) {
      const full = newStream ? this.#partials.size >= MAX_INCOMPLETE_MESSAGES : false;
      if (!full && this.#totalCharged + charge <= MAX_REASSEMBLY_BYTES_PER_ACCOUNT) break;
      this.#forget(key);
    }
    return true;
  }

  #forget(key: string): void {
    const partial = this.#partials.get(key);
    if (partial === undefined) return;
    this.#totalCharged -= partial.charged;
    this.#partials.delete(key);
  }
}
