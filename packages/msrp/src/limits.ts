/**
 * Every bound @sotto/msrp enforces, one named constant each, with its
 * reason. Sizes are bytes; times are milliseconds on the host's clock.
 * A session takes smaller (or larger) values through its options; these
 * are the defaults.
 */

/** Longest start line (`MSRP tid METHOD` or `MSRP tid 200 comment`): a 32-character transaction id and a short method or reason phrase fit in far less. */
export const MAX_START_LINE_BYTES = 512;
/** Most header fields in one frame: RFC 4975 defines about a dozen; Kamailio's parser stops at a few dozen. */
export const MAX_HEADER_COUNT = 64;
/** Bytes of the whole header block (start line included): Kamailio caps headers at 4096 (msrp_parser.h); a To-Path through a few relays stays far below this. */
export const MAX_HEADER_BYTES = 8 * 1024;
/**
 * Largest body of one chunk we accept. Blink sends a whole chat message as
 * one chunk (msrplib does not chunk), so pasted images arrive in one piece;
 * relays cap far lower (Kamailio: 10240). A larger chunk is discarded while
 * it streams in and answered 413.
 */
export const MAX_CHUNK_BODY_BYTES = 1024 * 1024;
/** Bytes one connection's parser holds at most: a frame's headers, its body, and one end-line of look-ahead. */
export const MAX_BYTES_HELD_PER_CONNECTION = MAX_HEADER_BYTES + MAX_CHUNK_BODY_BYTES + 64;
/** Input is consumed in slices of this size, so one huge `receive` never makes the parser copy more than this beyond its bound. */
export const RECEIVE_SLICE_BYTES = 64 * 1024;
/** Largest reassembled message (text, or a pasted image). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Messages being reassembled at once per session (interleaved chunked messages). */
export const MAX_MESSAGES_IN_REASSEMBLY = 16;
/** Bookkeeping counted per held chunk on top of its bytes, so that tiny chunks cannot hold far more memory than the byte bound says. */
export const CHUNK_OVERHEAD_BYTES = 128;
/** Chunks of one message held ahead of a gap (out of order); MSRP over one connection arrives in order, so more is an attack. */
export const MAX_OUT_OF_ORDER_CHUNKS = 32;
/** Bytes held by all messages in reassembly of one session together. */
export const MAX_REASSEMBLY_BYTES = 32 * 1024 * 1024;
/** Default body bytes per chunk we send: Kamailio's relay drops frames whose body exceeds 10240 bytes; msrplib switches to `1-*\/N` above 2048. */
export const DEFAULT_CHUNK_SIZE = 2048;
/** Largest chunk size a host may configure: stays under Kamailio's 10240-byte body cap. */
export const MAX_CHUNK_SIZE = 10 * 1024;
/** A request without a response for this long gets a local 408 (RFC 4975 section 7.1.1; msrplib RESPONSE_TIMEOUT = 30). */
export const RESPONSE_TIMEOUT_MS = 30 * 1000;
/** An empty SEND with `Keep-Alive: yes` goes out this long after the last frame we sent (msrplib KEEPALIVE_INTERVAL = 60). */
export const KEEP_ALIVE_INTERVAL_MS = 60 * 1000;
/** Requests awaiting a response at once; more are refused to the host (`too-many-pending`). */
export const MAX_PENDING_TRANSACTIONS = 4096;
/** Answered transactions remembered so that a late error after a relay's hop-by-hop 200 still reaches its message; oldest forgotten first. */
export const MAX_ANSWERED_TRANSACTIONS = 1024;
/** Sent messages remembered while a success REPORT may still come; oldest forgotten first. */
export const MAX_MESSAGES_AWAITING_REPORT = 1024;
/** Refresh a relay AUTH this long before it expires (RFC 4976 section 5.2 asks for a refresh before expiry). */
export const RELAY_REFRESH_MARGIN_MS = 60 * 1000;
/** Relay AUTHs with credentials in a row that may end in 401 before giving up (a wrong password, or a relay that never accepts; stale nonces count too, so one stale retry fits). */
export const MAX_AUTH_CHALLENGES = 2;
/** 423 Interval Out-of-Bounds answers in a row before giving up. */
export const MAX_INTERVAL_RETRIES = 2;
/** Longest transaction id and Message-ID (RFC 4975 ident: 4 to 32 characters). */
export const MAX_IDENT_LENGTH = 32;
/** URIs in one To-Path or From-Path (a path through many relays is an attack, not a route). */
export const MAX_PATH_URIS = 16;
/** The port an MSRP URI without one names (RFC 4975 section 15.5, IANA). */
export const DEFAULT_MSRP_PORT = 2855;
