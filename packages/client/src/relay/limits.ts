/**
 * Every bound of the echo-network relay, one named constant each with its
 * reason. A relay may be reached by anyone who can reach its address, and an
 * interactive `sotto chat` hosts one in its own process, so none of what a
 * client sends or leaves unread may grow without bound.
 */

/** Largest content accepted by default: far above any chat message, OTR fragments included. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/** Most clients at once. */
export const DEFAULT_MAX_CLIENTS = 256;

/**
 * Most clients at once from one remote address (an IPv6 one counts by its
 * /64): a single host cannot fill the relay's slots and lock others out. All
 * local clients share 127.0.0.1, so this is also how many `sotto chat`s one
 * machine can run against one relay.
 */
export const DEFAULT_MAX_CLIENTS_PER_ADDRESS = 32;

/**
 * Bytes queued for one client that it has not read yet, beyond which frames
 * to it are dropped (as frames to an absent client are). A client that reads
 * never comes near it; one that stops reading costs at most this much (plus
 * one frame when its queue was empty), where it cost everything sent to it.
 * Dropping rather than pausing the sender: a client that never reads would
 * otherwise stall everyone who writes to it, even to others.
 */
export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * A frame half received, or bytes queued for a client of which none are
 * taken, for this long: the connection is closed. Honest clients send a
 * frame in one go and read what arrives.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/**
 * No byte in either direction for this long: the connection is closed. Long,
 * because the echo network has no keep-alive and a quiet chat is legitimate
 * (the interactive chat rejoins with the same address); the per-address cap
 * is what stops a flood of silent connections.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60 * 60 * 1000;

/** Longest time between two checks of the timeouts. */
export const MAX_SWEEP_INTERVAL_MS = 1000;
