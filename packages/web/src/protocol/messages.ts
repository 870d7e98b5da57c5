/**
 * The messages between the page of `sotto web` and its local server: one
 * schema, imported by both sides, each message checked on arrival by the
 * validators in validate.ts. The server pushes {@link ServerMessage}s over
 * server-sent events; the page sends {@link Command}s as `fetch` POSTs and
 * gets a {@link CommandReply} back.
 *
 * Peer content (message texts, SMP questions, addresses) travels as plain
 * strings and is only ever shown as text.
 */

/** Blink's toolbar lock: no OTR, encrypted to an unverified or a verified fingerprint, or the contact's fingerprint changed. */
export type Lock = 'none' | 'unverified' | 'verified' | 'fingerprint-changed';
export const LOCKS: readonly Lock[] = ['none', 'unverified', 'verified', 'fingerprint-changed'];

/** The lock a message was sent or received under, as the history records it. */
export type MessageLock = 'plaintext' | 'encrypted-unverified' | 'encrypted-verified';
export const MESSAGE_LOCKS: readonly MessageLock[] = ['plaintext', 'encrypted-unverified', 'encrypted-verified'];

/** Delivery as the transport reports it; `held` waits for OTR (policy "always"). */
export type Delivery = 'pending' | 'held' | 'delivered' | 'failed' | 'not-requested';
export const DELIVERIES: readonly Delivery[] = ['pending', 'held', 'delivered', 'failed', 'not-requested'];

/** Who a line of the chat is from: received, sent, or the client itself (a system message). */
export type MessageDirection = 'in' | 'out' | 'system';
export const MESSAGE_DIRECTIONS: readonly MessageDirection[] = ['in', 'out', 'system'];

export type Registration = 'registering' | 'registered' | 'unregistered' | 'failed';
export const REGISTRATIONS: readonly Registration[] = ['registering', 'registered', 'unregistered', 'failed'];

/** A chat session's state (SipSessionInfo's), or `ended` once it is over. */
export type SessionState = 'incoming' | 'calling' | 'connecting' | 'active' | 'ended';
export const SESSION_STATES: readonly SessionState[] = ['incoming', 'calling', 'connecting', 'active', 'ended'];

/** One line in a chat. */
export interface ChatMessage {
  /** Unique within its conversation. */
  readonly id: string;
  readonly direction: MessageDirection;
  readonly text: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly lock: MessageLock;
  readonly delivery: Delivery;
  /** A system message about a fingerprint change or a failure: shown as a warning. */
  readonly warning: boolean;
}

/** The SMP window's state for one contact. */
export type Smp =
  | { readonly phase: 'idle' }
  /** The contact asked; `question` null when they gave none. */
  | { readonly phase: 'asked'; readonly question: string | null }
  | { readonly phase: 'in-progress' }
  | { readonly phase: 'succeeded' }
  | { readonly phase: 'failed' }
  | { readonly phase: 'aborted' };
export const SMP_PHASES = ['idle', 'asked', 'in-progress', 'succeeded', 'failed', 'aborted'] as const;

/** A conversation without its messages. */
export interface ConversationInfo {
  readonly peer: string;
  readonly session: SessionState;
  readonly direction: 'in' | 'out';
  readonly focus: boolean;
  readonly lock: Lock;
  readonly otrVersion: number | null;
  /** Their fingerprint in the current OTR session, hex. */
  readonly theirFingerprint: string | null;
  readonly composing: boolean;
  readonly alwaysOtr: boolean;
  readonly unread: number;
  readonly smp: Smp;
}

export interface Conversation extends ConversationInfo {
  /** The latest messages, oldest first (at most {@link MAX_MESSAGES_KEPT}). */
  readonly messages: readonly ChatMessage[];
}

/** Our fingerprints by key family ("3": DSA, v2 and v3; "4": OTRv4). */
export interface OurFingerprints {
  readonly v3: string | null;
  readonly v4: string | null;
}

export interface AccountInfo {
  readonly address: string;
  readonly registration: Registration;
  readonly reason: string | null;
  readonly fingerprints: OurFingerprints;
}

export interface Settings {
  /** The global history logging switch. */
  readonly logging: boolean;
}

/** Everything the page shows, sent whole when the event stream opens (so a reload keeps it all). */
export interface AppState {
  readonly account: AccountInfo;
  /** Every SIP account in the state directory (the one in use is `account.address`). */
  readonly accounts: readonly string[];
  readonly settings: Settings;
  readonly conversations: readonly Conversation[];
}

/** What the server pushes. */
export type ServerMessage =
  | { readonly type: 'state'; readonly state: AppState }
  | { readonly type: 'account'; readonly account: AccountInfo }
  | { readonly type: 'settings'; readonly settings: Settings }
  | { readonly type: 'conversation'; readonly conversation: ConversationInfo }
  /** A new message, or one whose delivery or lock changed (same id). */
  | { readonly type: 'message'; readonly peer: string; readonly message: ChatMessage }
  /** Speak and notify: the contact's fingerprint changed. `id` names the alert once. */
  | { readonly type: 'alert'; readonly id: string; readonly peer: string; readonly text: string }
  /** Something for the status line, about no conversation in particular. */
  | { readonly type: 'notice'; readonly text: string };

/** A recorded message, as the history view lists it. */
export interface HistoryEntry {
  readonly peer: string;
  readonly direction: 'in' | 'out';
  readonly text: string;
  readonly time: number;
  readonly lock: MessageLock;
  readonly delivery: Delivery;
}

export type HistoryResult =
  | { readonly logging: false }
  | { readonly logging: true; readonly entries: readonly HistoryEntry[]; readonly hasOlder: boolean };

/** What the page asks. */
export type Command =
  | { readonly type: 'call'; readonly peer: string }
  | { readonly type: 'accept'; readonly peer: string }
  | { readonly type: 'reject'; readonly peer: string }
  | { readonly type: 'hangup'; readonly peer: string }
  | { readonly type: 'send'; readonly peer: string; readonly text: string }
  | { readonly type: 'composing'; readonly peer: string; readonly active: boolean }
  | { readonly type: 'read'; readonly peer: string }
  | { readonly type: 'close'; readonly peer: string }
  | { readonly type: 'start-otr'; readonly peer: string }
  | { readonly type: 'end-otr'; readonly peer: string }
  | { readonly type: 'always-otr'; readonly peer: string; readonly on: boolean }
  | { readonly type: 'smp-start'; readonly peer: string; readonly secret: string; readonly question: string | null }
  | { readonly type: 'smp-answer'; readonly peer: string; readonly secret: string }
  | { readonly type: 'smp-abort'; readonly peer: string }
  /** The user compared the fingerprints and marks theirs verified. */
  | { readonly type: 'trust'; readonly peer: string }
  | { readonly type: 'history'; readonly peer: string; readonly search: string | null }
  | { readonly type: 'logging'; readonly on: boolean }
  /** Regenerate our key; `confirm` must be true (the page asks first). */
  | { readonly type: 'regenerate-key'; readonly confirm: true };
export type CommandType = Command['type'];

/** Why a command was refused. */
export type ErrorCode = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'too-large' | 'failed';

export type CommandReply =
  | { readonly ok: true; readonly history?: HistoryResult; readonly fingerprints?: OurFingerprints }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Bounds (both sides refuse more). */
export const MAX_TEXT_LENGTH = 64 * 1024;
export const MAX_SECRET_LENGTH = 1024;
export const MAX_QUESTION_LENGTH = 1024;
export const MAX_ADDRESS_LENGTH = 256;
export const MAX_SEARCH_LENGTH = 256;
/** The largest command body, in bytes (a message of MAX_TEXT_LENGTH UTF-16 units, JSON-escaped, fits). */
export const MAX_COMMAND_BYTES = 6 * MAX_TEXT_LENGTH + 1024;
/** Messages kept per conversation for the page (the history keeps the rest). */
export const MAX_MESSAGES_KEPT = 500;
/** Conversations kept (the oldest ended one goes first). */
export const MAX_CONVERSATIONS = 64;
/** History entries per search. */
export const MAX_HISTORY_ENTRIES = 200;

/** The HTTP paths. */
export const PATHS = { events: '/api/events', command: '/api/command' } as const;
/** The header that carries the token on commands. */
export const TOKEN_HEADER = 'x-sotto-token';
/** The query parameter that carries the token in the page's address and on the event stream. */
export const TOKEN_PARAM = 'token';
