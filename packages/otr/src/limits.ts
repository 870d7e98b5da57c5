/**
 * Every bound the library enforces, one named constant each, with its reason.
 * Time values are milliseconds on the host's clock.
 */

/** Incomplete fragmented messages kept per account; more evicts the oldest (memory cap). */
export const MAX_INCOMPLETE_MESSAGES = 100;
/** Largest single fragment accepted, in bytes of text (CVE-2016-2851 class of bugs). */
export const MAX_FRAGMENT_BYTES = 250 * 1024;
/** Largest reassembled message, in bytes of text. */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
/** Bytes of all incomplete reassembly buffers of one account together. */
export const MAX_REASSEMBLY_BYTES_PER_ACCOUNT = 128 * 1024 * 1024;
/** An incomplete fragmented message is dropped after this long without a new piece. */
export const REASSEMBLY_TIMEOUT_MS = 10 * 60 * 1000;
/** Largest number of fragments a sender may announce (the wire field is 16-bit). */
export const MAX_FRAGMENT_COUNT = 65535;
/** Send an empty heartbeat data message after this long of receiving but not sending (Protocol-v3, "Data exchange" / libotr HEARTBEAT_INTERVAL). */
export const HEARTBEAT_INTERVAL_MS = 60 * 1000;
/** An AKE with no progress for this long is abandoned (libotr's AKE restart guard). */
export const AKE_TIMEOUT_MS = 60 * 1000;
/** Largest decoded (binary) OTR message; longer base64 is rejected before decoding. */
export const MAX_ENCODED_MESSAGE_BYTES = MAX_MESSAGE_BYTES;
/** Largest MPI accepted from the wire, in bytes (group elements are <= 192; DSA p is <= 128). */
export const MAX_MPI_BYTES = 512;
/** Largest data field accepted from the wire (a data message's encrypted body). */
export const MAX_DATA_FIELD_BYTES = MAX_MESSAGE_BYTES;
/**
 * Remote instances remembered per contact. A message from a new instance
 * beyond this makes room by forgetting, first, an instance that holds
 * nothing (no AKE, no session; the oldest), else, for a D-H Commit or
 * D-H Key, the AKE that made progress least recently (reported as a
 * `dropped` event, reason `instance-limit`). Encrypted and finished
 * instances, the master and the host's selected instance are never
 * forgotten; when only those remain, the newcomer's message is dropped and
 * reported instead. (Before, the new instance itself was forgotten, so 32
 * stalled AKEs kept alive by re-sent D-H Commits locked every new instance
 * of the contact out of the AKE, silently.)
 */
export const MAX_INSTANCES_PER_CONTACT = 32;
/**
 * Contacts an account remembers. Every message from a new sender name makes
 * a conversation (about 1 KB), and a hostile relay chooses sender names, so
 * a new contact beyond this makes room by forgetting, first, the least
 * recently used contact that holds nothing (no AKE, no session, no host
 * setting, no rate limit still running: forgetting it loses nothing), else
 * the least recently used one whose instances hold only AKEs in progress
 * (reported as a `dropped` event, reason `conversation-limit`). Contacts with
 * an encrypted or finished session, or a policy or instance the host chose,
 * are never forgotten; when only those remain, a message from a new sender
 * is dropped and reported instead. The host's own calls always get their
 * conversation.
 */
export const MAX_CONVERSATIONS = 10_000;
/** Smallest valid instance tag; 0 means "none" (Protocol-v3, "Instance Tags"). */
export const MIN_INSTANCE_TAG = 0x100;
/** Smallest transport message size that fits a fragment header and some payload. */
export const MIN_MAX_MESSAGE_SIZE = 64;
/** Protocol errors reported to the peer at most this often per conversation (no error storms). */
export const ERROR_REPLY_INTERVAL_MS = 5 * 1000;
/**
 * Query messages and whitespace tags start at most AKE_STARTS_PER_INTERVAL
 * AKEs per contact in this interval while the last AKE started still runs;
 * further ones are ignored, since the D-H Commit already sent answers them.
 * Each start costs a fresh D-H key pair (a 1536-bit modular exponentiation)
 * and sends a D-H Commit about 48 times the size of a 7-character `?OTRv3?`:
 * without the limit, 5,000 queries cost about a second of CPU and 1.7 MB of
 * replies. Once the AKE has completed or was abandoned, a query always
 * starts a new one.
 */
export const AKE_START_INTERVAL_MS = 5 * 1000;
/**
 * AKE starts allowed per AKE_START_INTERVAL_MS: two, so a peer that asks
 * again at once because a message of the first AKE was lost is still
 * answered.
 */
export const AKE_STARTS_PER_INTERVAL = 2;
/**
 * With the error-start-AKE policy, an OTR error message is answered with a
 * query at most once per contact in this interval (2,000 error messages
 * gave 2,000 queries).
 */
export const ERROR_QUERY_INTERVAL_MS = 5 * 1000;
/**
 * At most one `peer-error` event per contact in this interval: error
 * messages received meanwhile are counted, and reported together by one
 * event (`repeated`, the latest text) with the next error message after the
 * interval, or by the deadline at its end. 2,000 error messages gave 2,000
 * user-visible events.
 */
export const PEER_ERROR_EVENT_INTERVAL_MS = 5 * 1000;
/** A message held while encryption was required is sent once the session is secure, if it is this recent (libotr's RESEND_INTERVAL). */
export const RESEND_INTERVAL_MS = 60 * 1000;
/**
 * Longest text a host may send or use as an SMP secret, in UTF-16 code units
 * (JavaScript string length). At most 3 UTF-8 bytes per unit and base64's
 * 4/3 keep the encoded data message (about 4 x 16 MiB) under
 * MAX_MESSAGE_BYTES, so a peer with our limits can always receive it.
 */
export const MAX_SEND_TEXT_LENGTH = 16 * 1024 * 1024;
/** Longest SMP question, in UTF-16 code units: 3 bytes each plus message 1 must fit the 65535-byte TLV 7. */
export const MAX_SMP_QUESTION_LENGTH = 16 * 1024;
