/**
 * Every bound the chat layer enforces, each with its reason. Hostile peers
 * choose what arrives; nothing they send makes this package hold or scan more
 * than these.
 */

/**
 * The largest chat payload (an MSRP message body, CPIM wrapper included)
 * decoded or handled: 4 MiB. Blink sends a whole message as one MSRP message;
 * a chat text is far smaller, and the MSRP layer bounds reassembly itself.
 */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** The largest CPIM header block (RFC 3862 message headers): 16 KiB. sipsimple writes about 150 bytes. */
export const MAX_CPIM_HEADER_BYTES = 16 * 1024;

/** The most CPIM header lines read: 64 (sipsimple writes three). */
export const MAX_CPIM_HEADERS = 64;

/** The largest inner MIME header block of a CPIM message: 8 KiB (sipsimple writes about 70 bytes). */
export const MAX_MIME_HEADER_BYTES = 8 * 1024;

/** The most inner MIME header lines read: 32 (sipsimple writes two or three). */
export const MAX_MIME_HEADERS = 32;

/** The longest Content-Type value parsed: 1 KiB. */
export const MAX_CONTENT_TYPE_LENGTH = 1024;

/** The largest is-composing document parsed: 8 KiB (sipsimple's is about 170 bytes). */
export const MAX_IS_COMPOSING_BYTES = 8 * 1024;

/** The most XML elements read in an is-composing document: 64. */
export const MAX_XML_ELEMENTS = 64;

/** The deepest XML element nesting read in an is-composing document: 8. */
export const MAX_XML_DEPTH = 8;

/**
 * The largest text/html body reduced to text: 1 MiB of UTF-16 code units;
 * the rest is cut off (and the result says so).
 */
export const MAX_HTML_LENGTH = 1024 * 1024;

/** User messages awaiting a delivery report per stream: 1024; beyond, the oldest is given up as not delivered. */
export const MAX_PENDING_DELIVERIES = 1024;

/** User messages held per stream until OTR is secure (a policy requiring encryption): 32; beyond, a message is refused. */
export const MAX_HELD_MESSAGES = 32;

/**
 * A message held for encryption asks for OTR again only when this stream's
 * last query is older than this (ms): a query still being answered must not
 * be repeated, as a peer following the spec starts a second AKE on it and
 * the session would be set up twice.
 */
export const QUERY_REPEAT_AFTER_MS = 10_000;

/** The longest user message text accepted (UTF-16 code units): 1 MiB. */
export const MAX_MESSAGE_LENGTH = 1024 * 1024;

/** The longest display name or URI in a chat identity: 1 KiB. */
export const MAX_IDENTITY_LENGTH = 1024;

/** The refresh interval (seconds) a receiver assumes when an is-composing document has none (RFC 3994, section 4). */
export const DEFAULT_COMPOSING_REFRESH_SECONDS = 120;
