/**
 * The history database's schema, versioned with SQLite's `PRAGMA
 * user_version` (0 in a new file). Migrations form an ordered list: the one
 * at index i takes version i to version i + 1, and each runs in its own
 * transaction together with the version bump, so a crash leaves the file at
 * one version or the next. A file whose version is above the newest this
 * code knows was written by a newer sotto and is refused untouched.
 *
 * Version 1, one row per user message (never OTR's own messages):
 *
 * | column       | holds                                                             |
 * | ------------ | ----------------------------------------------------------------- |
 * | id           | the row's number, in the order recorded (paging cursor)           |
 * | account      | our account (a SIP address)                                       |
 * | peer         | the other side (a SIP address)                                    |
 * | direction    | `in` or `out`                                                     |
 * | time         | ISO 8601, UTC, milliseconds                                       |
 * | content_type | the message's content type (`text/plain`, `text/html`, ...)      |
 * | text         | the message as shown, at most MAX_HISTORY_TEXT_LENGTH characters  |
 * | truncated    | 1 when `text` was cut to that length                              |
 * | delivery     | `pending`, `delivered`, `failed` or `not-requested`               |
 * | encryption   | `plaintext`, `encrypted-unverified` or `encrypted-verified`       |
 * | fingerprint  | the peer's OTR fingerprint (40 or 112 hex) when encrypted         |
 * | otr_version  | 2, 3 or 4 when encrypted                                          |
 * | message_id   | the transport's message id (MSRP Message-ID), to update delivery  |
 */
import { StoreError } from '../errors.js';
import { fromSqliteError, type Connection } from './sqlite.js';

/** One step of the schema: SQL taking version i to i + 1. */
export type Migration = string;

/** Every migration, in order; the schema's version is their number. */
export const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE messages (
     id INTEGER PRIMARY KEY,
     account TEXT NOT NULL,
     peer TEXT NOT NULL,
     direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
     time TEXT NOT NULL,
     content_type TEXT NOT NULL,
     text TEXT NOT NULL,
     truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
     delivery TEXT NOT NULL CHECK (delivery IN ('pending', 'delivered', 'failed', 'not-requested')),
     encryption TEXT NOT NULL CHECK (encryption IN ('plaintext', 'encrypted-unverified', 'encrypted-verified')),
     fingerprint TEXT,
     otr_version INTEGER CHECK (otr_version IN (2, 3, 4)),
     message_id TEXT,
     CHECK ((encryption = 'plaintext') = (fingerprint IS NULL AND otr_version IS NULL))
   );
   CREATE INDEX messages_by_peer ON messages (account, peer, id);
   CREATE INDEX messages_by_message_id ON messages (account, message_id) WHERE message_id IS NOT NULL;`,
];

/** The schema version this code writes. */
export const HISTORY_SCHEMA_VERSION = MIGRATIONS.length;

/** The file's schema version. */
export function schemaVersion(connection: Connection, path: string): number {
  try {
    const row = connection.get('PRAGMA user_version');
    const version = row?.user_version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) throw new StoreError('corrupt', `${path} has no readable schema version`, path);
    return version;
  } catch (error) {
    throw fromSqliteError(error, path, 'read');
  }
}

/**
 * Brings the file at `path` to the newest version of `migrations` (the
 * store's own by default; tests pass longer lists). Refuses a newer file
 * with a 'corrupt' StoreError saying so, and leaves it untouched.
 */
export function migrate(connection: Connection, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const newest = migrations.length;
  let version = schemaVersion(connection, path);
  if (version > newest) {
    throw new StoreError(
      'corrupt',
      `${path} was written by a newer sotto (history schema version ${version}; this one reads up to ${newest}). Upgrade sotto; the file was left untouched`,
      path,
    );
  }
  for (; version < newest; version++) {
    try {
      connection.exec('BEGIN IMMEDIATE');
      try {
        connection.exec(migrations[version] ?? '');
        // PRAGMA takes no bound parameters; the value is our own integer.
        connection.exec(`PRAGMA user_version = ${version + 1}`);
        connection.exec('COMMIT');
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      throw fromSqliteError(error, path, `upgrade the history schema (to version ${version + 1}) of`);
    }
  }
  return version;
}
