/**
 * A map that keeps only its most recently used entries. The client keeps a
 * little state per peer address (the latest fingerprint, when an error was
 * last told), and a hostile relay can send from any number of addresses, so
 * such state lives in one of these: the least recently used entry is
 * forgotten when a new one would pass the cap.
 */

/**
 * Peer addresses the client remembers per kind of per-peer state. Far above
 * the people one chats with; 100,000 addresses cost no more than this many
 * entries.
 */
export const MAX_REMEMBERED_PEERS = 1024;

/** A Map bounded to `cap` entries, forgetting the least recently used first. */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly cap: number = MAX_REMEMBERED_PEERS) {
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError('the cap must be a whole number of at least 1');
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** The value for `key`, marking it recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Sets `key`, marking it recently used; forgets the least recently used entry beyond the cap. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.cap) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }
}
