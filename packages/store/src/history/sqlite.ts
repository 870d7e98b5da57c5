/**
 * Opening the history database file with node-sqlite3-wasm (SQLite compiled
 * to WebAssembly, reading and writing through Node's fs; no native build),
 * and turning its errors into StoreErrors.
 *
 * Files and modes: the database and its rollback journal are created 0600
 * before SQLite opens them and set to exactly 0600 (the umask can only
 * remove bits, so it cannot widen them, but it must not narrow them either);
 * an existing one open to other users is refused as the store refuses its
 * JSON files. The journal is kept (journal_mode=TRUNCATE), so it is never
 * re-created by SQLite with another mode; WAL is not used (it needs shared
 * memory this VFS does not have), so there are no -wal or -shm files.
 *
 * Durability: synchronous=FULL, so a statement outside a transaction has
 * been fsynced (the journal truncated: SQLite's commit point) when the call
 * returns.
 *
 * Locking: the library's VFS locks with a directory `<file>.lock` made by
 * mkdir (Node has no fcntl). The history is only opened beside an open
 * Store, which holds the state directory's lock, so a `.lock` directory
 * found at open was left by a killed process and is removed. SQLite tools
 * (the sqlite3 shell) lock with fcntl and do not see it: read the file
 * with them while sotto is not running, or with `sqlite3 -readonly`.
 */
import { closeSync, fstatSync, openSync, fchmodSync, rmdirSync, statSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import type { Database as DatabaseType } from 'node-sqlite3-wasm';
import { StoreError, fromSystemError } from '../errors.js';
import { assertPrivate } from '../atomic-file.js';

/** The library's database class (loaded on first use: it instantiates 1.2 MB of WebAssembly). */
type DatabaseClass = typeof DatabaseType;
let databaseClass: DatabaseClass | undefined;

function loadDatabaseClass(): DatabaseClass {
  if (databaseClass === undefined) {
    // A CommonJS package without named ESM exports: require it.
    const library = createRequire(import.meta.url)('node-sqlite3-wasm') as { Database: DatabaseClass };
    databaseClass = library.Database;
  }
  return databaseClass;
}

/** An open connection of the library. */
export type Connection = DatabaseType;

/** Creates `path` 0600 if absent; checks an existing one is ours, private and a regular file. */
function preparePrivateFile(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new StoreError('corrupt', `${path} is not a regular file`, path);
    if (stats.size === 0 && (stats.mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
    else assertPrivate(stats, path, 'file');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new StoreError('corrupt', `${path} is a symbolic link; refusing to follow it`, path);
    throw fromSystemError(error, path, 'open');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes the VFS lock directory a killed process left (see the file comment: only while the store's lock is held). */
function removeStaleVfsLock(path: string): void {
  const lock = `${path}.lock`;
  try {
    if (statSync(lock).isDirectory()) rmdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fromSystemError(error, lock, 'remove the stale lock');
  }
}

/**
 * The StoreError for a failure of the library on `path`: 'locked' when
 * another connection holds the file, 'corrupt' when it is not an SQLite
 * database or is damaged, 'io' otherwise. The message never carries values
 * bound to a statement (message texts).
 */
export function fromSqliteError(error: unknown, path: string, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (/database is locked|database table is locked/i.test(reason)) {
    return new StoreError('locked', `cannot ${doing} ${path}: the history database is in use by another program; close it and try again`, path, { cause: error });
  }
  if (/file is not a database|malformed|corrupt/i.test(reason)) {
    return new StoreError(
      'corrupt',
      `${path} is damaged (${reason}). It was left untouched; restore it from a backup or move it away to start a new history`,
      path,
      { cause: error },
    );
  }
  if (/readonly|read-only|unable to open/i.test(reason)) {
    return new StoreError('permission', `cannot ${doing} ${path}: ${reason}`, path, { cause: error });
  }
  return new StoreError('io', `cannot ${doing} ${path}: ${reason}`, path, { cause: error });
}

/**
 * Opens (creating if absent) the database at `path` with the modes, journal
 * and durability described in the file comment.
 */
export function openConnection(path: string): Connection {
  preparePrivateFile(path);
  preparePrivateFile(`${path}-journal`);
  removeStaleVfsLock(path);
  const Database = loadDatabaseClass();
  let connection: Connection;
  try {
    connection = new Database(path, { fileMustExist: true });
  } catch (error) {
    throw fromSqliteError(error, path, 'open');
  }
  try {
    connection.exec('PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    return connection;
  } catch (error) {
    connection.close();
    throw fromSqliteError(error, path, 'open');
  }
}
