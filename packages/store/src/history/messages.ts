/**
 * The history's values: what a user message to record is, what a recorded
 * message reads back as, the checks between the two, and the bounds.
 */
import { StoreError } from '../errors.js';
import { requireFingerprint } from '../fingerprint-text.js';
import { requireSafeName } from '../safe-text.js';

/** Whether a message was received or sent. */
export type Direction = 'in' | 'out';
/** Delivery as the transport reports it (MSRP: a success REPORT means delivered). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'not-requested';
/** The lock a message was sent or received under. */
export type EncryptionStatus = 'plaintext' | 'encrypted-unverified' | 'encrypted-verified';

export const DIRECTIONS: readonly Direction[] = ['in', 'out'];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed', 'not-requested'];
export const ENCRYPTION_STATUSES: readonly EncryptionStatus[] = ['plaintext', 'encrypted-unverified', 'encrypted-verified'];

/** How a message was protected: nothing, or OTR with the peer's fingerprint and the protocol version. */
export type Encryption =
  | { readonly status: 'plaintext' }
  | {
      readonly status: 'encrypted-unverified' | 'encrypted-verified';
      /** The peer's fingerprint: 40 hex (OTR 2, 3) or 112 hex (OTR 4). */
      readonly fingerprint: string;
      readonly otrVersion: 2 | 3 | 4;
    };

/**
 * A message the user wrote or read: never one of OTR's own messages (query,
 * AKE, SMP, disconnect, error), which the caller must not pass; a text
 * starting with `?OTR` is refused as one (see History.record).
 */
export interface UserMessage {
  readonly account: string;
  readonly peer: string;
  readonly direction: Direction;
  readonly time: Date;
  /** For example `text/plain` or `text/html` (reduced to text by the caller before display). */
  readonly contentType: string;
  /** The text as shown to the user (decrypted). */
  readonly text: string;
  readonly delivery: DeliveryStatus;
  readonly encryption: Encryption;
  /** The transport's id, to update the delivery status later. */
  readonly messageId?: string;
}

/** A recorded message. */
export interface HistoryMessage extends Omit<UserMessage, 'messageId'> {
  /** The row's number: increases in the order recorded. */
  readonly id: number;
  /** True when the text was longer than {@link MAX_HISTORY_TEXT_LENGTH} and was cut there. */
  readonly truncated: boolean;
  readonly messageId?: string;
}

/** The longest text kept per message, in UTF-16 code units; longer ones are cut and marked. */
export const MAX_HISTORY_TEXT_LENGTH = 256 * 1024;
/** The longest content type or message id accepted. */
export const MAX_HISTORY_FIELD_LENGTH = 256;
/** The most messages one query returns. */
export const MAX_HISTORY_PAGE = 1000;
/** The page size when none is given. */
export const DEFAULT_HISTORY_PAGE = 100;
/** The longest search text. */
export const MAX_SEARCH_LENGTH = 256;

/** OTR's messages all start with this (query `?OTRv`, data `?OTR:`, fragments `?OTR|` and `?OTR,`, `?OTR Error:`). */
const OTR_PREFIX = '?OTR';

/** True when the text is an OTR protocol message rather than something a person wrote. */
export function isOtrProtocolText(text: string): boolean {
  return text.startsWith(OTR_PREFIX);
}

function oneOf<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new StoreError('invalid', `${what} must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

function boundedField(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (value === '' || value.length > MAX_HISTORY_FIELD_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new StoreError('invalid', `the ${what} must have 1 to ${MAX_HISTORY_FIELD_LENGTH} characters and no control characters`);
  }
  return value;
}

/** The row values of a message, checked; 'invalid' StoreErrors for what cannot be recorded. */
export function messageRow(message: UserMessage): Record<string, string | number | null> {
  requireSafeName('account', message.account);
  requireSafeName('contact', message.peer);
  const time = message.time;
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw new StoreError('invalid', 'the message time is not a valid date');
  if (typeof message.text !== 'string') throw new StoreError('invalid', 'the message text must be a string');
  const encryption = message.encryption;
  const status = oneOf(encryption.status, ENCRYPTION_STATUSES, 'the encryption status');
  let fingerprint: string | null = null;
  let otrVersion: number | null = null;
  if (encryption.status !== 'plaintext') {
    fingerprint = requireFingerprint(encryption.fingerprint);
    if (!([2, 3, 4] as unknown[]).includes(encryption.otrVersion)) throw new StoreError('invalid', 'the OTR version must be 2, 3 or 4');
    otrVersion = encryption.otrVersion;
  }
  const truncated = message.text.length > MAX_HISTORY_TEXT_LENGTH;
  let text = truncated ? message.text.slice(0, MAX_HISTORY_TEXT_LENGTH) : message.text;
  // Never cut a surrogate pair in half: the file would hold an unpaired surrogate.
  if (truncated && /[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  return {
    account: message.account,
    peer: message.peer,
    direction: oneOf(message.direction, DIRECTIONS, 'the direction'),
    time: time.toISOString(),
    content_type: boundedField(message.contentType, 'content type'),
    text,
    truncated: truncated ? 1 : 0,
    delivery: oneOf(message.delivery, DELIVERY_STATUSES, 'the delivery status'),
    encryption: status,
    fingerprint,
    otr_version: otrVersion,
    message_id: message.messageId === undefined ? null : boundedField(message.messageId, 'message id'),
  };
}

/** A row read back as a message; 'corrupt' for a row the schema's checks would not have let in. */
export function rowMessage(row: Record<string, unknown>, path: string): HistoryMessage {
  const bad = (what: string): StoreError =>
    new StoreError('corrupt', `${path} holds a message (row ${String(row.id)}) with a bad ${what}; the file was left untouched`, path);
  const text = (value: unknown, what: string): string => {
    if (typeof value !== 'string') throw bad(what);
    return value;
  };
  const pick = <T extends string>(value: unknown, choices: readonly T[], what: string): T => {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw bad(what);
    return value as T;
  };
  if (typeof row.id !== 'number') throw bad('id');
  const time = new Date(text(row.time, 'time'));
  if (Number.isNaN(time.getTime())) throw bad('time');
  const status = pick(row.encryption, ENCRYPTION_STATUSES, 'encryption status');
  let encryption: Encryption;
  if (status === 'plaintext') {
    encryption = { status };
  } else {
    const version = row.otr_version;
    if (version !== 2 && version !== 3 && version !== 4) throw bad('OTR version');
    encryption = { status, fingerprint: text(row.fingerprint, 'fingerprint'), otrVersion: version };
  }
  const messageId = row.message_id;
  return {
    id: row.id,
    account: text(row.account, 'account'),
    peer: text(row.peer, 'peer'),
    direction: pick(row.direction, DIRECTIONS, 'direction'),
    time,
    contentType: text(row.content_type, 'content type'),
    text: text(row.text, 'text'),
    truncated: row.truncated === 1,
    delivery: pick(row.delivery, DELIVERY_STATUSES, 'delivery status'),
    encryption,
    ...(messageId === null || messageId === undefined ? {} : { messageId: text(messageId, 'message id') }),
  };
}
