/**
 * Import from and export to libotr clients, against libotr itself: import of
 * files libotr wrote keeps libotr's fingerprints, trust and instance tags;
 * export writes files that libotr (read-libotr.c, built here) reads back with
 * the same fingerprints, trust and tags, and whose keys libgcrypt accepts.
 */
import { copyFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLibotr, humanFingerprint, importLibotr, libotrFilesIn, openStore, type Store } from '../../src/index.js';
import { buildLibotrProgram, LIBOTR_FIXTURES, readWithLibotr } from '../helpers/external-tools.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

const PIDGIN = join(LIBOTR_FIXTURES, 'pidgin');
const expected = readFileSync(join(LIBOTR_FIXTURES, 'pidgin.expected.tsv'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split('\t'));
const NOW = new Date('2024-06-01T12:00:00.000Z');
const compact = (human: string): string => human.replace(/ /g, '').toLowerCase();

let reader = '';
beforeAll(() => {
  reader = buildLibotrProgram('read-libotr', tempDir('sotto-libotr-build-'));
});
afterAll(removeTempDirs);

async function withStore<T>(run: (store: Store, dir: string) => Promise<T>, dir = tempDir()): Promise<T> {
  const store = await openStore(dir);
  try {
    return await run(store, dir);
  } finally {
    await store.close();
  }
}

/** A copy of the fixture directory with one file replaced. */
function pidginWith(name: string, content: string): string {
  const dir = tempDir();
  for (const file of readdirSync(PIDGIN)) copyFileSync(join(PIDGIN, file), join(dir, file));
  writeFileSync(join(dir, name), content);
  return dir;
}

/** Everything a store holds, for checking that a failed import changed nothing. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('importLibotr', () => {
  it('imports every account with libotr\'s fingerprints, trust and instance tags', async () => {
    await withStore(async (store) => {
      const report = await importLibotr(store, { ...(await libotrFilesIn(PIDGIN)), now: NOW });
      const keys = expected.filter((row) => row[0] === 'key');
      expect(store.keys().map((k) => [k.account, k.fingerprint]).sort()).toEqual(keys.map((row) => [row[1], compact(row[3] ?? '')]).sort());
      for (const row of expected.filter((r) => r[0] === 'instag')) expect(store.instanceTag(row[1] ?? '')).toBe(parseInt(row[3] ?? '', 16));
      for (const [, contact = '', account = '', , hex = '', trust = ''] of expected.filter((r) => r[0] === 'fingerprint')) {
        const record = store.fingerprints(account, contact).find((r) => r.fingerprint === hex);
        expect(record?.status).toBe(trust === '' ? 'unverified' : trust === 'smp' ? 'smp' : 'manual');
        expect(record?.history.at(-1)).toEqual({ status: record?.status, at: NOW.toISOString(), via: 'import-libotr' });
      }
      expect(report.keys.map((k) => k.result)).toEqual(['added', 'added']);
    });
  });

  it('imports one chosen account into a named store account', async () => {
    await withStore(async (store) => {
      await importLibotr(store, { ...(await libotrFilesIn(PIDGIN)), accountName: 'alice@example.net/Home', protocol: 'prpl-jabber', intoAccount: 'alice' });
      expect(store.accounts()).toEqual(['alice']);
      const row = expected.find((r) => r[0] === 'key' && r[1] === 'alice@example.net/Home');
      expect(store.keys('alice')[0]?.fingerprint).toBe(compact(row?.[3] ?? ''));
      expect(store.contacts('alice')).toEqual(['dave@example.net']);
    });
  });

  it('asks which account when several would go into one', async () => {
    await withStore(async (store, dir) => {
      const before = snapshot(dir);
      await expect(importLibotr(store, { ...(await libotrFilesIn(PIDGIN)), intoAccount: 'alice' })).rejects.toMatchObject({ code: 'invalid' });
      expect(snapshot(dir)).toEqual(before);
    });
  });

  it('says which accounts exist when none matches', async () => {
    await withStore(async (store) => {
      await expect(importLibotr(store, { ...(await libotrFilesIn(PIDGIN)), accountName: 'nobody' })).rejects.toMatchObject({
        code: 'bad-import',
        message: expect.stringContaining('alice@example.org') as string,
      });
    });
  });

  it('is idempotent, and never lowers trust already recorded', async () => {
    await withStore(async (store) => {
      const files = await libotrFilesIn(PIDGIN);
      const bob = expected.find((r) => r[0] === 'fingerprint' && r[5] === '');
      await store.setTrust('alice@example.org', 'bob@example.org', bob?.[4] ?? '', 'smp', NOW);
      await importLibotr(store, { ...files, now: NOW });
      const again = await importLibotr(store, { ...files, now: NOW });
      expect(again.keys.map((k) => k.result)).toEqual(['unchanged', 'unchanged']);
      expect(again.fingerprints.every((f) => f.result === 'kept')).toBe(true);
      expect(store.isVerified('alice@example.org', 'bob@example.org', bob?.[4] ?? '')).toBe(true);
    });
  });

  it('refuses to replace a different key unless asked, and then keeps the old one', async () => {
    await withStore(async (store, dir) => {
      await store.getOrCreateKey('alice@example.org');
      const mine = store.keys('alice@example.org')[0]?.fingerprint;
      const files = await libotrFilesIn(PIDGIN);
      const before = snapshot(dir);
      await expect(importLibotr(store, { ...files, accountName: 'alice@example.org' })).rejects.toMatchObject({
        code: 'exists',
        message: expect.stringContaining(humanFingerprint(mine ?? '')) as string,
      });
      expect(snapshot(dir)).toEqual(before);
      await importLibotr(store, { ...files, accountName: 'alice@example.org', replace: true });
      expect(store.keys('alice@example.org')[0]?.fingerprint).not.toBe(mine);
      expect(store.retiredKeys('alice@example.org')).toMatchObject([{ fingerprint: mine, reason: 'replaced-by-import' }]);
    });
  });

  describe('malformed files change nothing', () => {
    const good = (name: string): string => readFileSync(join(PIDGIN, name), 'utf8');
    const cases: [string, string, string, RegExp][] = [
      ['a truncated private key file', 'otr.private_key', good('otr.private_key').slice(0, 500), /otr\.private_key: line \d+/],
      ['a key whose x is wrong', 'otr.private_key', good('otr.private_key').replace(/\(x #([0-9A-F])/, (_m, d: string) => `(x #${d === '1' ? '2' : '1'}`), /not a usable OTR DSA key/],
      ['a fingerprint line without tabs', 'otr.fingerprints', `${good('otr.fingerprints')}garbage line\n`, /otr\.fingerprints: line 5/],
      ['a bad instance tag', 'otr.instance_tags', `${good('otr.instance_tags')}x\ty\t000000zz\n`, /otr\.instance_tags: line 4/],
    ];
    it.each(cases)('%s', async (_name, file, content, message) => {
      const source = pidginWith(file, content);
      await withStore(async (store, dir) => {
        await store.setTrust('someone', 'bob', 'ab'.repeat(20), 'manual', NOW);
        const before = snapshot(dir);
        const error = await importLibotr(store, await libotrFilesIn(source)).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'bad-import', file: join(source, file) });
        expect((error as Error).message).toMatch(message);
        expect(snapshot(dir)).toEqual(before);
        expect(store.accounts()).toEqual(['someone']);
      });
    });
  });

  it('has nothing to export from an empty store', async () => {
    await withStore(async (store) => {
      const out = join(tempDir(), 'out');
      await expect(exportLibotr(store, out)).rejects.toMatchObject({ code: 'not-found' });
    });
  });

  it('reports a missing file by name', async () => {
    await withStore(async (store) => {
      const missing = join(tempDir(), 'otr.private_key');
      await expect(importLibotr(store, { privateKeyFile: missing })).rejects.toMatchObject({ code: 'not-found', file: missing });
    });
  });
});

describe('exportLibotr, read back by libotr', () => {
  it('round-trips libotr\'s own files: libotr reads our export exactly as it read its own', async () => {
    await withStore(async (store) => {
      await importLibotr(store, await libotrFilesIn(PIDGIN));
      const out = join(tempDir(), 'export');
      const report = await exportLibotr(store, out);
      expect(report.files.map((file) => statSync(file).mode & 0o777)).toEqual([0o600, 0o600, 0o600]);
      expect(readWithLibotr(reader, out)).toEqual(expected);
    });
  });

  it('exports keys we generated and trust we recorded, with libotr agreeing on every fingerprint and status', async () => {
    await withStore(async (store) => {
      const accounts = ['alice@example.org', 'with space "and quotes"', 'ünïcödé@example.org'];
      for (const account of accounts) {
        await store.getOrCreateKey(account);
        await store.getOrCreateInstanceTag(account);
      }
      await store.setTrust(accounts[0] ?? '', 'bob@example.org', '01'.repeat(20), 'smp', NOW);
      await store.setTrust(accounts[0] ?? '', 'bob@example.org', '02'.repeat(20), 'manual', NOW);
      await store.recordSeen(accounts[1] ?? '', 'carol', '03'.repeat(20), NOW);
      const out = join(tempDir(), 'export');
      await exportLibotr(store, out, { protocol: 'prpl-jabber' });
      const rows = readWithLibotr(reader, out);
      const keys = rows.filter((row) => row[0] === 'key');
      expect(keys.map((row) => [row[1], compact(row[3] ?? ''), row[4]]).sort()).toEqual(
        store
          .keys()
          .map((k) => [k.account, k.fingerprint, 'testkey=ok'])
          .sort(),
      );
      expect(rows.filter((row) => row[0] === 'instag').map((row) => [row[1], parseInt(row[3] ?? '', 16)]).sort()).toEqual(
        accounts.map((a) => [a, store.instanceTag(a)]).sort(),
      );
      expect(rows.filter((row) => row[0] === 'fingerprint')).toEqual(
        [
          ['fingerprint', 'bob@example.org', accounts[0], 'prpl-jabber', '01'.repeat(20), 'smp'],
          ['fingerprint', 'bob@example.org', accounts[0], 'prpl-jabber', '02'.repeat(20), 'verified'],
          ['fingerprint', 'carol', accounts[1], 'prpl-jabber', '03'.repeat(20), ''],
        ].sort(),
      );
      // And our importer reads libotr-readable files back to the same store contents.
      await withStore(async (copy) => {
        await importLibotr(copy, await libotrFilesIn(out));
        expect(copy.keys().map((k) => k.fingerprint)).toEqual(store.keys().map((k) => k.fingerprint));
        expect(copy.fingerprints(accounts[0] ?? '', 'bob@example.org').map((r) => [r.fingerprint, r.status])).toEqual([
          ['01'.repeat(20), 'smp'],
          ['02'.repeat(20), 'manual'],
        ]);
      });
    });
  });

  it('never overwrites existing files unless asked', async () => {
    await withStore(async (store) => {
      await store.getOrCreateKey('alice');
      const out = tempDir();
      writeFileSync(join(out, 'otr.fingerprints'), 'precious\n');
      await expect(exportLibotr(store, out)).rejects.toMatchObject({ code: 'exists', file: join(out, 'otr.fingerprints') });
      expect(readdirSync(out)).toEqual(['otr.fingerprints']);
      expect(readFileSync(join(out, 'otr.fingerprints'), 'utf8')).toBe('precious\n');
      await exportLibotr(store, out, { overwrite: true });
      expect(readWithLibotr(reader, out).filter((row) => row[0] === 'key')).toHaveLength(1);
    });
  });
});
