/**
 * The store of skipped message keys (OTRv4, "When you receive a Data
 * Message": `skipped_MKenc`; "Deletion of Stored Message Keys").
 *
 * When a message arrives ahead of others, the keys of the messages it
 * skipped over are derived and kept here, each as MKenc and the extra
 * symmetric key, so the late messages can still be read. The spec indexes
 * the dictionary by (their_ecdh, message id); a ratchet id names exactly one
 * of the peer's ECDH keys, so we index by (ratchet id, message id) and keep
 * the chain's ECDH public key beside each entry (shared by the chain) so a
 * message is only matched with the key of the chain it claims.
 *
 * The store is bounded ({@link MAX_STORED_SKIPPED_KEYS}); adding beyond the
 * bound evicts the oldest entries, which the caller reports and whose MAC
 * keys it reveals ("Revealing MAC Keys": "when the storage of message keys
 * gets deleted, the MAC keys for messages that have not arrived are
 * derived"). Insertion order is age order: a Map keeps it.
 */
import type { Secret } from '../../crypto/secret.js';

/**
 * Skipped message keys kept per session, at most. The spec suggests 1,000
 * ("Deletion of Stored Message Keys"); otr4j keeps 1,000 too. Each entry
 * holds 128 secret bytes, so the store stays near 200 KiB at worst.
 */
export const MAX_STORED_SKIPPED_KEYS = 1000;

/** One stored skipped message key. */
export interface SkippedKey {
  readonly ratchetId: number;
  readonly messageId: number;
  /** The sender's ECDH public key (POINT encoding) of that chain; public, shared by the chain's entries. */
  readonly theirEcdh: Uint8Array;
  /** MKenc. */
  readonly encryptionKey: Secret;
  /** extra_symm_key of that message. */
  readonly extraKey: Secret;
}

/** The position of a message: its ratchet id and message id. */
export interface MessagePosition {
  readonly ratchetId: number;
  readonly messageId: number;
}

/** The bounded, insertion-ordered store. */
export class SkippedKeys {
  readonly #entries = new Map<number | string, SkippedKey>();

  /** Number of stored keys. */
  get size(): number {
    return this.#entries.size;
  }

  /** The stored key of a message, left in place (use {@link take} once the message is authenticated). */
  peek(position: MessagePosition): SkippedKey | undefined {
    return this.#entries.get(mapKey(position.ratchetId, position.messageId));
  }

  /** Removes and returns the stored key of a message. */
  take(position: MessagePosition): SkippedKey | undefined {
    const key = mapKey(position.ratchetId, position.messageId);
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#entries.delete(key);
    return entry;
  }

  /**
   * Adds keys (oldest first) and returns the entries evicted to stay within
   * {@link MAX_STORED_SKIPPED_KEYS}, oldest first; the caller owns their secrets.
   */
  addAll(entries: readonly SkippedKey[]): SkippedKey[] {
    for (const entry of entries) this.#entries.set(mapKey(entry.ratchetId, entry.messageId), entry);
    const evicted: SkippedKey[] = [];
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= MAX_STORED_SKIPPED_KEYS) break;
      this.#entries.delete(key);
      evicted.push(entry);
    }
    return evicted;
  }

  /** Removes every entry and returns them (for the session's end); the caller owns their secrets. */
  drain(): SkippedKey[] {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    return all;
  }

  /** The stored entries, oldest first, left in place (the caller must not wipe their secrets). */
  entries(): SkippedKey[] {
    return [...this.#entries.values()];
  }

  /** The stored positions, oldest first (tests and diagnostics; no secrets). */
  positions(): MessagePosition[] {
    return [...this.#entries.values()].map(({ ratchetId, messageId }) => ({ ratchetId, messageId }));
  }
}

/** ratchetId * 2^32 + messageId when that is an exact double (ratchet ids below 2^21), else a string. */
function mapKey(ratchetId: number, messageId: number): number | string {
  const folded = ratchetId * 0x1_0000_0000 + messageId;
  return Number.isSafeInteger(folded) ? folded : `${ratchetId}:${messageId}`;
}
