/** What the ratchet reports besides its result: facts without secrets. */

/** Ids are bounded INTs on the wire: a chain or counter that reaches 2^32 - 1 stops (a new DAKE is needed). */
export const MAX_RATCHET_COUNTER = 0xffffffff;

/**
 * MAC keys waiting to be revealed, at most. They are revealed in the first
 * message of our next sending chain ("Revealing MAC Keys"); a peer that
 * sends and never reads our replies would otherwise grow the list without
 * end. Beyond the bound the oldest are wiped unrevealed (those messages stay
 * unforgeable, which costs deniability, not security) and reported.
 */
export const MAX_PENDING_MAC_KEYS = 2000;

/** An event of one ratchet step. */
export type RatchetEvent =
  /** A stored skipped key was evicted to keep the store bounded: that message can no longer be read. */
  | { readonly kind: 'skipped-key-evicted'; readonly ratchetId: number; readonly messageId: number }
  /** MAC keys were wiped without being revealed, to keep the list bounded. */
  | { readonly kind: 'mac-keys-unrevealed'; readonly count: number };
