/**
 * The message history: `<state dir>/history.sqlite`, one row per user
 * message with its direction, time, delivery and the lock it travelled
 * under (plaintext, or OTR with the peer's fingerprint, verified or not),
 * as Blink keeps it. A file a user can read with the `sqlite3` shell
 * (schema.ts documents the table).
 *
 * Theory of operation: the calls are synchronous. `record` returns once
 * the row is committed and fsynced (sqlite.ts), so a client that records a
 * message before showing it never shows one the history lost, even if it is
 * killed right after. Recording follows the store's logging switch, read at
 * each call: off, nothing is written and the result says so, for the client
 * to tell the user. The history lives beside an open Store (its lock covers
 * the file) and stops working when the store closes.
 */
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { FILES } from '../paths.js';
import type { Store } from '../store.js';
import {
  DEFAULT_HISTORY_PAGE,
  DELIVERY_STATUSES,
  MAX_HISTORY_FIELD_LENGTH,
  MAX_HISTORY_PAGE,
  MAX_SEARCH_LENGTH,
  isOtrProtocolText,
  messageRow,
  rowMessage,
  type DeliveryStatus,
  type HistoryMessage,
  type UserMessage,
} from './messages.js';
import { migrate } from './schema.js';
import { fromSqliteError, openConnection, type Connection } from './sqlite.js';

/** What `record` did. */
export type RecordResult =
  | { readonly recorded: true; readonly id: number; readonly truncated: boolean }
  /** 'logging-off': the switch is off; 'otr-protocol-message': the text is one of OTR's own messages. */
  | { readonly recorded: false; readonly reason: 'logging-off' | 'otr-protocol-message' };

/** Which page of messages to read: the `limit` newest ones before row `before` (default: the newest). */
export interface PageOptions {
  /** 1 to MAX_HISTORY_PAGE (default DEFAULT_HISTORY_PAGE). */
  readonly limit?: number;
  /** Only rows with an id below this (the first id of the page already shown). */
  readonly before?: number;
}

/** A page of messages, oldest first (newest last). */
export interface HistoryPage {
  readonly messages: HistoryMessage[];
  /** True when there are older messages: ask again with `before` = `messages[0].id`. */
  readonly hasOlder: boolean;
}

/** One conversation partner of the history. */
export interface HistoryPeer {
  readonly account: string;
  readonly peer: string;
  readonly messages: number;
  readonly lastTime: Date;
}

/** Escapes LIKE's wildcards (`%`, `_`) and the escape character itself, for `ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function pageLimit(options: PageOptions): { limit: number; before: number | null } {
  const limit = options.limit ?? DEFAULT_HISTORY_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) throw new StoreError('invalid', `a page holds 1 to ${MAX_HISTORY_PAGE} messages`);
  const before = options.before ?? null;
  if (before !== null && !Number.isSafeInteger(before)) throw new StoreError('invalid', 'the page cursor must be a message id');
  return { limit, before };
}

const SELECT = 'SELECT id, account, peer, direction, time, content_type, text, truncated, delivery, encryption, fingerprint, otr_version, message_id FROM messages';

/** The history database of one open store. Obtain with {@link openHistory}. */
export class History {
  #connection: Connection | undefined;

  /** @internal Use `openHistory`. */
  constructor(
    private readonly store: Store,
    /** The file, `<state dir>/history.sqlite`. */
    readonly path: string,
    connection: Connection,
  ) {
    this.#connection = connection;
  }

  #open(): Connection {
    const connection = this.#connection;
    if (connection === undefined || this.store.closed) throw new StoreError('invalid', `the history ${this.path} is closed`, this.path);
    return connection;
  }

  #run<T>(doing: string, body: (connection: Connection) => T): T {
    const connection = this.#open();
    try {
      return body(connection);
    } catch (error) {
      throw fromSqliteError(error, this.path, doing);
    }
  }

  /** Whether messages are recorded now (the store's logging switch). */
  get loggingEnabled(): boolean {
    this.#open();
    return this.store.loggingEnabled();
  }

  /**
   * Records a message the user wrote or read, committed to disk before this
   * returns; call it before showing the message. With logging off nothing
   * is written (`recorded: false`, 'logging-off'); one of OTR's own messages
   * (a text starting `?OTR`) is never written. A text longer than
   * MAX_HISTORY_TEXT_LENGTH is cut there and marked `truncated`. A bad
   * account or peer name, status or fingerprint is an 'invalid' StoreError.
   */
  record(message: UserMessage): RecordResult {
    this.#open();
    if (!this.store.loggingEnabled()) return { recorded: false, reason: 'logging-off' };
    if (typeof message.text === 'string' && isOtrProtocolText(message.text)) return { recorded: false, reason: 'otr-protocol-message' };
    const row = messageRow(message);
    return this.#run('record a message in', (connection) => {
      const result = connection.run(
        'INSERT INTO messages (account, peer, direction, time, content_type, text, truncated, delivery, encryption, fingerprint, otr_version, message_id) ' +
          'VALUES (:account, :peer, :direction, :time, :content_type, :text, :truncated, :delivery, :encryption, :fingerprint, :otr_version, :message_id)',
        Object.fromEntries(Object.entries(row).map(([key, value]) => [`:${key}`, value])),
      );
      return { recorded: true, id: Number(result.lastInsertRowid), truncated: row.truncated === 1 };
    });
  }

  /**
   * Sets the delivery status of the account's messages carrying `messageId`
   * (a success or failure report arrived); returns how many were changed
   * (0 when the message was not recorded). Committed before it returns.
   */
  setDelivery(account: string, messageId: string, status: DeliveryStatus): number {
    if (!DELIVERY_STATUSES.includes(status)) throw new StoreError('invalid', `the delivery status must be one of ${DELIVERY_STATUSES.join(', ')}`);
    if (messageId === '' || messageId.length > MAX_HISTORY_FIELD_LENGTH) return 0;
    return this.#run('update a delivery status in', (connection) =>
      connection.run('UPDATE messages SET delivery = ? WHERE account = ? AND message_id = ?', [status, account, messageId]).changes,
    );
  }

  /** A page of the messages with `peer` (of `account`, or of every account), newest last. */
  messages(account: string | undefined, peer: string, options: PageOptions = {}): HistoryPage {
    const { limit, before } = pageLimit(options);
    return this.#page(
      'WHERE (:account IS NULL OR account = :account) AND peer = :peer AND (:before IS NULL OR id < :before)',
      { ':account': account ?? null, ':peer': peer, ':before': before },
      limit,
    );
  }

  /**
   * A page of the messages whose text contains `text` (case-insensitive for
   * ASCII letters; `%` and `_` match themselves), of `account` or every
   * account, with `peer` or anyone, newest last.
   */
  search(account: string | undefined, text: string, options: PageOptions & { readonly peer?: string } = {}): HistoryPage {
    if (text === '' || text.length > MAX_SEARCH_LENGTH) throw new StoreError('invalid', `a search text has 1 to ${MAX_SEARCH_LENGTH} characters`);
    const { limit, before } = pageLimit(options);
    return this.#page(
      "WHERE (:account IS NULL OR account = :account) AND (:peer IS NULL OR peer = :peer) AND (:before IS NULL OR id < :before) AND text LIKE :pattern ESCAPE '\\'",
      { ':account': account ?? null, ':peer': options.peer ?? null, ':before': before, ':pattern': `%${escapeLike(text)}%` },
      limit,
    );
  }

  #page(where: string, values: Record<string, string | number | null>, limit: number): HistoryPage {
    const rows = this.#run('read', (connection) => connection.all(`${SELECT} ${where} ORDER BY id DESC LIMIT :limit`, { ...values, ':limit': limit + 1 }));
    const hasOlder = rows.length > limit;
    const messages = rows.slice(0, limit).map((row) => rowMessage(row, this.path)).reverse();
    return { messages, hasOlder };
  }

  /** Everyone with messages (of `account`, or of every account), the most recent conversation first; at most `limit`. */
  peers(account?: string, limit = MAX_HISTORY_PAGE): HistoryPeer[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) throw new StoreError('invalid', `at most ${MAX_HISTORY_PAGE} peers are listed at once`);
    const rows = this.#run('read', (connection) =>
      connection.all(
        'SELECT account, peer, COUNT(*) AS messages, MAX(time) AS last_time FROM messages WHERE (:account IS NULL OR account = :account) ' +
          'GROUP BY account, peer ORDER BY MAX(id) DESC LIMIT :limit',
        { ':account': account ?? null, ':limit': limit },
      ),
    );
    return rows.map((row) => {
      const lastTime = new Date(typeof row.last_time === 'string' ? row.last_time : NaN);
      if (typeof row.account !== 'string' || typeof row.peer !== 'string' || typeof row.messages !== 'number' || Number.isNaN(lastTime.getTime())) {
        throw new StoreError('corrupt', `${this.path} holds a message with a bad account, peer or time; the file was left untouched`, this.path);
      }
      return { account: row.account, peer: row.peer, messages: row.messages, lastTime };
    });
  }

  /** Closes the database. Idempotent. Close it before the store. */
  close(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection === undefined) return;
    try {
      connection.close();
    } catch (error) {
      throw fromSqliteError(error, this.path, 'close');
    }
  }
}

/**
 * Opens (creating, mode 0600) the history of `store`'s directory and brings
 * its schema up to date. 'corrupt' for a damaged file or one written by a
 * newer sotto, 'permission' for one open to other users, 'locked' when
 * another program holds it.
 */
export function openHistory(store: Store): History {
  if (store.closed) throw new StoreError('invalid', `the store of ${store.dir} is closed`, store.dir);
  const path = join(store.dir, FILES.history);
  const connection = openConnection(path);
  try {
    migrate(connection, path);
  } catch (error) {
    connection.close();
    throw error;
  }
  return new History(store, path, connection);
}
