/**
 * A peer can show a new key in every AKE and a relay can hand out a new
 * address for every connection; trust.json must stay bounded all the same,
 * keep every verification, and not be rewritten when nothing changed.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { MAX_CONTACTS_PER_ACCOUNT, MAX_FINGERPRINTS_PER_CONTACT, MAX_HISTORY_PER_RECORD } from '../../src/trust.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const fp = (n: number): string => n.toString(16).padStart(40, '0');
const at = (minutes: number): Date => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000);

describe('trust.json grows without bound', () => {
  it('keeps at most 16 fingerprints per contact, evicting the oldest unverified and never a verified one', async () => {
    expect(MAX_FINGERPRINTS_PER_CONTACT).toBe(16);
    const store = await openStore(tempDir());
    await store.recordSeen('me', 'peer', fp(1), at(0));
    await store.setTrust('me', 'peer', fp(1), 'smp', at(1));
    await store.setTrust('me', 'peer', fp(2), 'manual', at(2));
    for (let n = 3; n <= 200; n++) await store.recordSeen('me', 'peer', fp(n), at(n));
    const records = store.fingerprints('me', 'peer');
    expect(records).toHaveLength(MAX_FINGERPRINTS_PER_CONTACT);
    expect(records.filter((record) => record.status !== 'unverified').map((record) => record.fingerprint)).toEqual([fp(1), fp(2)]);
    // The newest ones are the unverified ones kept.
    expect(records.filter((record) => record.status === 'unverified').map((record) => record.fingerprint)).toEqual(
      Array.from({ length: 14 }, (_, i) => fp(187 + i)),
    );
    // A key verified before still counts: a new one is a change.
    expect(await store.recordSeen('me', 'peer', fp(201), at(201))).toEqual({ changed: true, verified: false, crossVersion: false });
    await store.close();
  });

  it('does not record a new unverified fingerprint over 16 verified ones, but still warns', async () => {
    const store = await openStore(tempDir());
    for (let n = 1; n <= 16; n++) await store.setTrust('me', 'peer', fp(n), 'manual', at(n));
    expect(await store.recordSeen('me', 'peer', fp(99), at(99))).toEqual({ changed: true, verified: false, crossVersion: false });
    expect(store.fingerprints('me', 'peer').map((record) => record.status)).toEqual(Array(16).fill('manual'));
    await store.close();
  });

  it('does not rewrite the file for a known fingerprint seen again within the hour', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.recordSeen('me', 'peer', fp(1), at(0));
    const file = join(dir, 'trust.json');
    const written = statSync(file).ino;
    for (let minute = 1; minute < 60; minute++) await store.recordSeen('me', 'peer', fp(1), at(minute));
    expect(statSync(file).ino).toBe(written);
    await store.recordSeen('me', 'peer', fp(1), at(60));
    expect(statSync(file).ino).not.toBe(written);
    expect(store.fingerprints('me', 'peer')[0]?.lastSeen).toBe(at(60).toISOString());
    await store.close();
  });

  it('keeps at most 1024 contacts per account, dropping the longest unused without a verified fingerprint', async () => {
    const dir = tempDir();
    let store = await openStore(dir);
    await store.setTrust('me', 'verified-long-ago', fp(1), 'smp', at(0));
    await store.recordSeen('me', 'seen-once', fp(2), at(1));
    await store.close();
    // Fill the account up to the cap (written directly: one write per contact would take long).
    const file = join(dir, 'trust.json');
    const trust = JSON.parse(readFileSync(file, 'utf8')) as { accounts: { me: Record<string, unknown> } };
    const record = (n: number, minutes: number): unknown[] => [
      { fingerprint: fp(n), status: 'unverified', firstSeen: at(minutes).toISOString(), lastSeen: at(minutes).toISOString(), history: [] },
    ];
    for (let n = 0; Object.keys(trust.accounts.me).length < MAX_CONTACTS_PER_ACCOUNT; n++) trust.accounts.me[`127.0.0.1:${10_000 + n}`] = record(1000 + n, 10 + n);
    writeFileSync(file, JSON.stringify(trust));

    store = await openStore(dir);
    for (let n = 0; n < 50; n++) await store.recordSeen('me', `10.0.0.1:${n}`, fp(5000 + n), at(100_000 + n));
    const contacts = store.contacts('me');
    expect(contacts).toHaveLength(MAX_CONTACTS_PER_ACCOUNT);
    expect(contacts).toContain('verified-long-ago');
    expect(contacts).not.toContain('seen-once');
    expect(contacts).toContain('10.0.0.1:49');
    await store.close();
  });

  it('keeps the latest 16 status changes of a record', async () => {
    const store = await openStore(tempDir());
    for (let n = 0; n < 40; n++) await store.setTrust('me', 'peer', fp(1), n % 2 === 0 ? 'smp' : 'manual', at(n));
    const history = store.fingerprints('me', 'peer')[0]?.history ?? [];
    expect(history).toHaveLength(MAX_HISTORY_PER_RECORD);
    expect(history.at(-1)).toMatchObject({ status: 'manual', at: at(39).toISOString() });
    await store.close();
  });
});
