/**
 * The history's schema versions (PRAGMA user_version): a new or empty file
 * (version 0) is brought to the newest version, a file at an older version
 * is migrated step by step keeping its rows, and a file from a newer sotto
 * is refused with a typed error and left untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_SCHEMA_VERSION, openHistory, openStore } from '../../src/index.js';
import { MIGRATIONS, migrate, schemaVersion } from '../../src/history/schema.js';
import { openConnection } from '../../src/history/sqlite.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const ROW = "INSERT INTO messages (account, peer, direction, time, content_type, text, delivery, encryption) VALUES ('sip:a@x.org', 'sip:b@x.org', 'in', '2026-01-01T00:00:00.000Z', 'text/plain', 'kept', 'not-requested', 'plaintext')";

describe('history schema', () => {
  it('migrates a version 0 file (an empty database) to the newest version', async () => {
    const dir = tempDir();
    const path = join(dir, 'history.sqlite');
    const empty = openConnection(path);
    expect(schemaVersion(empty, path)).toBe(0);
    empty.close();
    const store = await openStore(dir);
    const history = openHistory(store);
    history.close();
    await store.close();
    const check = openConnection(path);
    expect(schemaVersion(check, path)).toBe(HISTORY_SCHEMA_VERSION);
    expect(check.all("SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([{ name: 'messages' }]);
    check.close();
  });

  it('migrates a version 1 file step by step, keeping its rows', () => {
    const path = join(tempDir(), 'history.sqlite');
    const connection = openConnection(path);
    expect(migrate(connection, path, MIGRATIONS.slice(0, 1))).toBe(1);
    connection.run(ROW);
    const next = [...MIGRATIONS.slice(0, 1), 'ALTER TABLE messages ADD COLUMN subject TEXT', "UPDATE messages SET subject = 'migrated'"];
    expect(migrate(connection, path, next)).toBe(3);
    expect(schemaVersion(connection, path)).toBe(3);
    expect(connection.all('SELECT text, subject FROM messages')).toEqual([{ text: 'kept', subject: 'migrated' }]);
    connection.close();
  });

  it('a failing migration leaves the file at the version before it', () => {
    const path = join(tempDir(), 'history.sqlite');
    const connection = openConnection(path);
    migrate(connection, path);
    connection.run(ROW);
    expect(() => migrate(connection, path, [...MIGRATIONS, 'ALTER TABLE messages ADD COLUMN a TEXT; SELECT * FROM no_such_table'])).toThrow(
      expect.objectContaining({ name: 'StoreError' }) as Error,
    );
    expect(schemaVersion(connection, path)).toBe(MIGRATIONS.length);
    expect(connection.all("SELECT name FROM pragma_table_info('messages') WHERE name = 'a'")).toEqual([]);
    connection.close();
  });

  it('refuses a file written by a newer sotto with a typed error, untouched', async () => {
    const dir = tempDir();
    const path = join(dir, 'history.sqlite');
    const connection = openConnection(path);
    migrate(connection, path);
    connection.exec(`PRAGMA user_version = ${HISTORY_SCHEMA_VERSION + 1}`);
    connection.close();
    const before = readFileSync(path);
    const store = await openStore(dir);
    expect(() => openHistory(store)).toThrow(
      expect.objectContaining({ name: 'StoreError', code: 'corrupt', file: path, message: expect.stringMatching(/newer sotto/) as string }) as Error,
    );
    await store.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
