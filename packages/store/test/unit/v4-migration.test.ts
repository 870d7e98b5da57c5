/**
 * Migration of a store written before OTRv4 (test/fixtures/store-v1): it is
 * read as it is, left byte for byte unchanged until OTRv4 is used, and then
 * gains the OTRv4 identity with nothing lost.
 */
import { chmodSync, copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const FIXTURE = new URL('../fixtures/store-v1', import.meta.url).pathname;
const FILES = ['keys.json', 'retired-keys.json', 'instance-tags.json', 'trust.json', 'settings.json'];

function oldStore(): string {
  const dir = tempDir();
  for (const name of readdirSync(FIXTURE).filter((file) => file.endsWith('.json'))) {
    copyFileSync(join(FIXTURE, name), join(dir, name));
    chmodSync(join(dir, name), 0o600);
  }
  return dir;
}

const text = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

describe('migration of a store written before OTRv4', () => {
  it('opens an old store and leaves every file unchanged while OTRv4 is not used', async () => {
    const dir = oldStore();
    const store = await openStore(dir);
    expect(store.keys().map((key) => key.v4)).toEqual([undefined, undefined]);
    await store.getOrCreateKey('alice');
    await store.recordSeen('alice', 'bob', 'ab'.repeat(20), new Date('2024-03-01T10:30:00.000Z'));
    await store.setTrust('alice', 'dave', 'ef'.repeat(20), 'manual', new Date('2024-03-03T10:00:00.000Z'));
    await store.close();
    for (const name of ['keys.json', 'retired-keys.json', 'instance-tags.json', 'settings.json']) expect(text(dir, name), name).toBe(text(FIXTURE, name));
    expect(JSON.parse(text(dir, 'trust.json'))).toMatchObject({ version: 1 });
  });

  it('gains the OTRv4 identity on first use without losing a key, a retired key, a tag, trust or settings', async () => {
    const dir = oldStore();
    const store = await openStore(dir);
    const dsaBefore = store.keys();
    const retiredBefore = store.retiredKeys();
    const trustBefore = store.fingerprints('alice', 'bob');
    const tag = store.instanceTag('alice');
    const v4 = await store.getOrCreateV4Identity('alice');
    await store.close();

    const keys = JSON.parse(text(dir, 'keys.json')) as { version: number; accounts: Record<string, Record<string, unknown>> };
    const old = JSON.parse(text(FIXTURE, 'keys.json')) as { version: number; accounts: Record<string, Record<string, unknown>> };
    expect(keys.version).toBe(2);
    // The DSA key's fields are exactly the old ones; only "v4" was added, and only to alice.
    const { v4: added, ...aliceDsa } = keys.accounts.alice ?? {};
    expect(aliceDsa).toEqual(old.accounts.alice);
    expect(added).toMatchObject({ fingerprint: v4.fingerprint });
    expect(keys.accounts.carol).toEqual(old.accounts.carol);
    for (const name of ['retired-keys.json', 'instance-tags.json', 'trust.json', 'settings.json']) expect(text(dir, name), name).toBe(text(FIXTURE, name));

    const reopened = await openStore(dir);
    expect(reopened.keys().map(({ v4: _v4, ...dsa }) => dsa)).toEqual(dsaBefore);
    expect(reopened.keys('alice')[0]?.v4?.fingerprint).toBe(v4.fingerprint);
    expect(reopened.retiredKeys()).toEqual(retiredBefore);
    expect(reopened.fingerprints('alice', 'bob')).toEqual(trustBefore);
    expect(reopened.instanceTag('alice')).toBe(tag);
    expect(reopened.contactSettings('alice', 'bob')).toEqual({ requireEncryption: true });
    await reopened.close();
  });

  it('keeps old trust when an OTRv4 fingerprint is first recorded (trust.json moves to version 2, records gain their kind)', async () => {
    const dir = oldStore();
    const store = await openStore(dir);
    const before = store.fingerprints('alice', 'bob');
    expect(before.map((record) => record.kind)).toEqual(['v3', 'v3']);
    await store.recordSeen('alice', 'bob', '12'.repeat(56), new Date('2024-03-05T10:00:00.000Z'));
    await store.close();
    const trust = JSON.parse(text(dir, 'trust.json')) as { version: number; accounts: { alice: { bob: { kind: string }[] } } };
    expect(trust.version).toBe(2);
    expect(trust.accounts.alice.bob.map((record) => record.kind)).toEqual(['v3', 'v3', 'v4']);
    const reopened = await openStore(dir);
    expect(reopened.fingerprints('alice', 'bob').slice(0, 2)).toEqual(before);
    await reopened.close();
  });

  it('every file of the old store stays 0600 after migration', async () => {
    const dir = oldStore();
    const store = await openStore(dir);
    await store.getOrCreateV4Identity('alice');
    await store.regenerateKey('carol');
    await store.recordSeen('alice', 'bob', '12'.repeat(56), new Date());
    await store.close();
    const { statSync } = await import('node:fs');
    for (const name of FILES) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
  });
});
