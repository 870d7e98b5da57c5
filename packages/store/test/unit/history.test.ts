/**
 * The message history (history.sqlite): what a row holds, the logging
 * switch, OTR's own messages, paging, search, delivery updates, bounds,
 * file modes, and the typed errors for a damaged, newer or locked file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_HISTORY_TEXT_LENGTH, openHistory, openStore, type Store, type UserMessage } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const ALICE = 'sip:alice@example.org';
const BOB = 'sip:bob@example.org';
const CAROL = 'sip:carol@example.org';
const FINGERPRINT = 'ab'.repeat(20);

function message(text: string, overrides: Partial<UserMessage> = {}): UserMessage {
  return {
    account: ALICE,
    peer: BOB,
    direction: 'out',
    time: new Date('2026-01-02T03:04:05.678Z'),
    contentType: 'text/plain',
    text,
    delivery: 'pending',
    encryption: { status: 'encrypted-verified', fingerprint: FINGERPRINT, otrVersion: 3 },
    ...overrides,
  };
}

async function loggingStore(dir = tempDir()): Promise<Store> {
  const store = await openStore(dir);
  await store.setLogging(true);
  return store;
}

const sqlite3Available = spawnSync('sqlite3', ['-version']).status === 0;

describe('history', () => {
  it('keeps each message with its lock, read back through a fresh connection', async () => {
    const dir = tempDir();
    const store = await loggingStore(dir);
    const history = openHistory(store);
    expect(history.record(message('hello', { messageId: 'm1' }))).toEqual({ recorded: true, id: 1, truncated: false });
    history.record(message('hi alice', { direction: 'in', delivery: 'not-requested', encryption: { status: 'encrypted-unverified', fingerprint: 'cd'.repeat(56), otrVersion: 4 } }));
    history.record(message('plain', { encryption: { status: 'plaintext' }, contentType: 'text/html' }));
    history.close();
    await store.close();

    const reopened = await openStore(dir);
    const again = openHistory(reopened);
    const page = again.messages(ALICE, BOB);
    expect(page.hasOlder).toBe(false);
    expect(page.messages.map((m) => [m.text, m.direction, m.delivery, m.encryption])).toEqual([
      ['hello', 'out', 'pending', { status: 'encrypted-verified', fingerprint: FINGERPRINT, otrVersion: 3 }],
      ['hi alice', 'in', 'not-requested', { status: 'encrypted-unverified', fingerprint: 'cd'.repeat(56), otrVersion: 4 }],
      ['plain', 'out', 'pending', { status: 'plaintext' }],
    ]);
    expect(page.messages[0]).toMatchObject({ account: ALICE, peer: BOB, messageId: 'm1', contentType: 'text/plain', time: new Date('2026-01-02T03:04:05.678Z') });
    again.close();
    await reopened.close();
  });

  it.skipIf(!sqlite3Available)('is a file the sqlite3 shell reads (skipped when sqlite3 is not on PATH)', async () => {
    const dir = tempDir();
    const store = await loggingStore(dir);
    const history = openHistory(store);
    history.record(message('readable by sqlite3'));
    history.close();
    await store.close();
    const out = execFileSync('sqlite3', ['-readonly', join(dir, 'history.sqlite'), 'PRAGMA user_version; SELECT peer, direction, encryption, fingerprint, text FROM messages;'], { encoding: 'utf8' });
    expect(out).toBe(`1\n${BOB}|out|encrypted-verified|${FINGERPRINT}|readable by sqlite3\n`);
  });

  it('logging off records nothing and says so', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const history = openHistory(store);
    expect(history.loggingEnabled).toBe(false);
    expect(history.record(message('secret'))).toEqual({ recorded: false, reason: 'logging-off' });
    await store.setLogging(true);
    expect(history.record(message('kept')).recorded).toBe(true);
    await store.setLogging(false);
    expect(history.record(message('secret too'))).toEqual({ recorded: false, reason: 'logging-off' });
    expect(history.messages(undefined, BOB).messages.map((m) => m.text)).toEqual(['kept']);
    expect(history.search(undefined, 'secret').messages).toEqual([]);
    history.close();
    await store.close();
  });

  it("never records OTR's own messages", async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    for (const text of ['?OTRv3?', '?OTR:AAMDabc.', '?OTR|1|2|3,1,2,x,', '?OTR,1,2,x,', '?OTR Error: bad']) {
      expect(history.record(message(text))).toEqual({ recorded: false, reason: 'otr-protocol-message' });
    }
    expect(history.record(message('I typed ?OTR in the middle')).recorded).toBe(true);
    expect(history.messages(ALICE, BOB).messages).toHaveLength(1);
    history.close();
    await store.close();
  });

  it('pages newest last, with a cursor to older messages', async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    for (let i = 1; i <= 7; i++) history.record(message(`m${i}`));
    history.record(message('to carol', { peer: CAROL }));
    const newest = history.messages(ALICE, BOB, { limit: 3 });
    expect(newest.messages.map((m) => m.text)).toEqual(['m5', 'm6', 'm7']);
    expect(newest.hasOlder).toBe(true);
    const older = history.messages(ALICE, BOB, { limit: 3, before: newest.messages[0]?.id ?? 0 });
    expect(older.messages.map((m) => m.text)).toEqual(['m2', 'm3', 'm4']);
    const oldest = history.messages(ALICE, BOB, { limit: 3, before: older.messages[0]?.id ?? 0 });
    expect(oldest).toMatchObject({ hasOlder: false, messages: [{ text: 'm1' }] });
    expect(() => history.messages(ALICE, BOB, { limit: 0 })).toThrow(expect.objectContaining({ code: 'invalid' }) as Error);
    expect(() => history.messages(ALICE, BOB, { limit: 1001 })).toThrow(expect.objectContaining({ code: 'invalid' }) as Error);
    expect(history.peers(ALICE).map((p) => [p.peer, p.messages])).toEqual([
      [CAROL, 1],
      [BOB, 7],
    ]);
    history.close();
    await store.close();
  });

  it('search escapes % and _ (they match only themselves)', async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    for (const text of ['100% sure', '1000 sure', 'a_b', 'axb', 'back\\slash', 'backslash', 'Hello World']) history.record(message(text));
    const find = (text: string): string[] => history.search(ALICE, text).messages.map((m) => m.text);
    expect(find('%')).toEqual(['100% sure']);
    expect(find('0%')).toEqual(['100% sure']);
    expect(find('_')).toEqual(['a_b']);
    expect(find('a_b')).toEqual(['a_b']);
    expect(find('\\')).toEqual(['back\\slash']);
    expect(find('hello')).toEqual(['Hello World']);
    expect(history.search(ALICE, 'sure', { peer: CAROL }).messages).toEqual([]);
    expect(() => history.search(ALICE, '')).toThrow(expect.objectContaining({ code: 'invalid' }) as Error);
    history.close();
    await store.close();
  });

  it('updates the delivery status by message id', async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    history.record(message('one', { messageId: 'id-1' }));
    history.record(message('two', { messageId: 'id-2' }));
    expect(history.setDelivery(ALICE, 'id-2', 'delivered')).toBe(1);
    expect(history.setDelivery(ALICE, 'id-1', 'failed')).toBe(1);
    expect(history.setDelivery(ALICE, 'unknown', 'delivered')).toBe(0);
    expect(history.setDelivery(BOB, 'id-1', 'delivered')).toBe(0);
    expect(history.messages(ALICE, BOB).messages.map((m) => m.delivery)).toEqual(['failed', 'delivered']);
    history.close();
    await store.close();
  });

  it('cuts a text longer than the cap and marks it, never half a surrogate pair', async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    const long = `${'x'.repeat(MAX_HISTORY_TEXT_LENGTH - 1)}😀tail`;
    expect(history.record(message(long))).toMatchObject({ recorded: true, truncated: true });
    const [kept] = history.messages(ALICE, BOB).messages;
    expect(kept?.truncated).toBe(true);
    expect(kept?.text).toBe('x'.repeat(MAX_HISTORY_TEXT_LENGTH - 1));
    history.close();
    await store.close();
  });

  it('refuses what cannot be recorded with typed errors', async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    const invalid = expect.objectContaining({ name: 'StoreError', code: 'invalid' }) as Error;
    expect(() => history.record(message('x', { peer: 'sip:bob\u202e@example.org' }))).toThrow(invalid);
    expect(() => history.record(message('x', { encryption: { status: 'encrypted-verified', fingerprint: 'xyz', otrVersion: 3 } }))).toThrow(invalid);
    expect(() => history.record(message('x', { encryption: { status: 'encrypted-verified', fingerprint: FINGERPRINT, otrVersion: 5 as 4 } }))).toThrow(invalid);
    expect(() => history.record(message('x', { delivery: 'read' as 'pending' }))).toThrow(invalid);
    expect(() => history.record(message('x', { time: new Date(NaN) }))).toThrow(invalid);
    expect(() => history.record(message('x', { messageId: 'a'.repeat(257) }))).toThrow(invalid);
    expect(history.messages(ALICE, BOB).messages).toEqual([]);
    history.close();
    await store.close();
  });

  it('stops when the store is closed', async () => {
    const store = await loggingStore();
    const history = openHistory(store);
    await store.close();
    expect(() => history.record(message('late'))).toThrow(expect.objectContaining({ code: 'invalid' }) as Error);
    expect(() => openHistory(store)).toThrow(expect.objectContaining({ code: 'invalid' }) as Error);
  });
});

describe('history file', () => {
  it('the database and its journal are 0600 even under umask 0', async () => {
    const previous = process.umask(0);
    try {
      const dir = tempDir();
      const store = await loggingStore(dir);
      const history = openHistory(store);
      history.record(message('hello'));
      history.close();
      await store.close();
      expect(statSync(join(dir, 'history.sqlite')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'history.sqlite-journal')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('refuses a history file other users can read, and leaves its mode alone', async () => {
    const dir = tempDir();
    const store = await loggingStore(dir);
    openHistory(store).close();
    chmodSync(join(dir, 'history.sqlite'), 0o644);
    expect(() => openHistory(store)).toThrow(expect.objectContaining({ code: 'permission', file: join(dir, 'history.sqlite') }) as Error);
    expect(statSync(join(dir, 'history.sqlite')).mode & 0o777).toBe(0o644);
    await store.close();
  });

  it('a damaged file is a corrupt error naming it, and is left untouched', async () => {
    const dir = tempDir();
    const store = await loggingStore(dir);
    const garbage = 'this is not an SQLite database, just text that is long enough to fill a header '.repeat(20);
    writeFileSync(join(dir, 'history.sqlite'), garbage, { mode: 0o600 });
    expect(() => openHistory(store)).toThrow(expect.objectContaining({ name: 'StoreError', code: 'corrupt', file: join(dir, 'history.sqlite') }) as Error);
    expect(statSync(join(dir, 'history.sqlite')).size).toBe(garbage.length);
    await store.close();
  });

  it('a database held by another connection is a locked error', async () => {
    const dir = tempDir();
    const store = await loggingStore(dir);
    const history = openHistory(store);
    // The VFS's lock: what another connection holds while it writes.
    mkdirSync(join(dir, 'history.sqlite.lock'));
    expect(() => history.record(message('blocked'))).toThrow(expect.objectContaining({ name: 'StoreError', code: 'locked' }) as Error);
    history.close();
    await store.close();
  });

  it('a lock left by a killed process is cleared at open (the store lock is ours)', async () => {
    const dir = tempDir();
    const store = await loggingStore(dir);
    openHistory(store).close();
    mkdirSync(join(dir, 'history.sqlite.lock'));
    const history = openHistory(store);
    expect(history.record(message('after the crash')).recorded).toBe(true);
    history.close();
    await store.close();
  });
});
