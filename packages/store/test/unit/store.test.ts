/** The store's behaviour: keys, instance tags, trust, settings, persistence across reopen. */
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, toHex } from '@sotto/otr';
import { StoreError, defaultStateDir, openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const FP_A = 'aa'.repeat(20);
const FP_B = 'bb'.repeat(20);
const T0 = new Date('2024-01-01T10:00:00.000Z');
const T1 = new Date('2024-02-01T10:00:00.000Z');
const T2 = new Date('2024-03-01T10:00:00.000Z');

describe('defaultStateDir', () => {
  it('uses XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    expect(defaultStateDir({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/a' })).toBe('/x/conf/sotto');
    expect(defaultStateDir({ XDG_CONFIG_HOME: 'relative', HOME: '/home/a' })).toBe('/home/a/.config/sotto');
    expect(defaultStateDir({ HOME: '/home/a' })).toBe('/home/a/.config/sotto');
  });
});

describe('openStore', () => {
  it('creates the directory with mode 0700 and writes files with mode 0600', async () => {
    const dir = join(tempDir(), 'nested', 'state');
    const store = await openStore(dir);
    await store.getOrCreateKey('alice');
    await store.getOrCreateInstanceTag('alice');
    await store.recordSeen('alice', 'bob', FP_A, T0);
    await store.setLogging(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect([name, statSync(join(dir, name)).mode & 0o777]).toEqual([name, 0o600]);
    await store.close();
  });
});

describe('keys', () => {
  it('creates a key on first use, returns the same one after, and keeps it across reopen', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    expect(store.existingKey('alice')).toBeUndefined();
    const key = await store.getOrCreateKey('alice');
    const again = await store.getOrCreateKey('alice');
    expect(again).toBe(key);
    const printed = toHex(fingerprint(key.publicKey));
    expect(store.keys()).toEqual([{ account: 'alice', fingerprint: printed, createdAt: expect.any(String) as string }]);
    await store.close();
    const reopened = await openStore(dir);
    expect(toHex(fingerprint((await reopened.getOrCreateKey('alice')).publicKey))).toBe(printed);
    await reopened.close();
  });

  it('gives each account its own key', async () => {
    const store = await openStore(tempDir());
    const a = await store.getOrCreateKey('alice@one');
    const b = await store.getOrCreateKey('alice@two');
    expect(toHex(fingerprint(a.publicKey))).not.toBe(toHex(fingerprint(b.publicKey)));
    await store.close();
  });

  it('regenerates only on request and keeps the old key as a retired backup', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const old = toHex(fingerprint((await store.getOrCreateKey('alice')).publicKey));
    const fresh = toHex(fingerprint((await store.regenerateKey('alice')).publicKey));
    expect(fresh).not.toBe(old);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.keys('alice')[0]?.fingerprint).toBe(fresh);
    expect(reopened.retiredKeys('alice')).toMatchObject([{ account: 'alice', fingerprint: old, reason: 'regenerated' }]);
    await reopened.close();
  });
});

describe('instance tags', () => {
  it('creates a tag >= 0x100 within 32 bits on first use and keeps it', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const tag = await store.getOrCreateInstanceTag('alice');
    expect(tag).toBeGreaterThanOrEqual(0x100);
    expect(tag).toBeLessThanOrEqual(0xffffffff);
    expect(await store.getOrCreateInstanceTag('alice')).toBe(tag);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.instanceTag('alice')).toBe(tag);
    await reopened.close();
  });
});

describe('trust', () => {
  it('records a first sighting as unverified with first and last seen', async () => {
    const store = await openStore(tempDir());
    expect(await store.recordSeen('alice', 'bob', FP_A.toUpperCase(), T0)).toEqual({ changed: false, verified: false, crossVersion: false });
    await store.recordSeen('alice', 'bob', FP_A, T1);
    expect(store.fingerprints('alice', 'bob')).toEqual([
      { kind: 'v3', fingerprint: FP_A, status: 'unverified', firstSeen: T0.toISOString(), lastSeen: T1.toISOString(), history: [{ status: 'unverified', at: T0.toISOString(), via: 'first-seen' }] },
    ]);
    expect(store.contacts('alice')).toEqual(['bob']);
    await store.close();
  });

  it('reports a change when a contact with a verified fingerprint presents another, and keeps the old verification', async () => {
    const store = await openStore(tempDir());
    await store.recordSeen('alice', 'bob', FP_A, T0);
    await store.setTrust('alice', 'bob', FP_A, 'smp', T1);
    expect(await store.recordSeen('alice', 'bob', FP_A, T1)).toEqual({ changed: false, verified: true, crossVersion: false });
    expect(await store.recordSeen('alice', 'bob', FP_B, T2)).toEqual({ changed: true, verified: false, crossVersion: false });
    // Still changed on the next sighting: the warning stays until the user verifies again.
    expect(await store.recordSeen('alice', 'bob', FP_B, T2)).toEqual({ changed: true, verified: false, crossVersion: false });
    expect(store.isVerified('alice', 'bob', FP_A)).toBe(true);
    await store.setTrust('alice', 'bob', FP_B, 'manual', T2);
    expect(await store.recordSeen('alice', 'bob', FP_B, T2)).toEqual({ changed: false, verified: true, crossVersion: false });
    await store.close();
  });

  it('a contact without any verified fingerprint never reports a change', async () => {
    const store = await openStore(tempDir());
    await store.recordSeen('alice', 'bob', FP_A, T0);
    expect(await store.recordSeen('alice', 'bob', FP_B, T1)).toEqual({ changed: false, verified: false, crossVersion: false });
    await store.close();
  });

  it('keeps the history of status changes', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.recordSeen('alice', 'bob', FP_A, T0);
    await store.setTrust('alice', 'bob', FP_A, 'smp', T1);
    await store.setTrust('alice', 'bob', FP_A, 'unverified', T2);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.fingerprints('alice', 'bob')[0]?.history).toEqual([
      { status: 'unverified', at: T0.toISOString(), via: 'first-seen' },
      { status: 'smp', at: T1.toISOString(), via: 'smp' },
      { status: 'unverified', at: T2.toISOString(), via: 'user' },
    ]);
    expect(reopened.isVerified('alice', 'bob', FP_A)).toBe(false);
    await reopened.close();
  });

  it('keeps accounts apart', async () => {
    const store = await openStore(tempDir());
    await store.setTrust('alice', 'bob', FP_A, 'manual', T0);
    expect(store.isVerified('alice2', 'bob', FP_A)).toBe(false);
    expect(store.contacts('alice2')).toEqual([]);
    await store.close();
  });

  it('forgets one fingerprint or all of a contact, and says when there is nothing to forget', async () => {
    const store = await openStore(tempDir());
    await store.recordSeen('alice', 'bob', FP_A, T0);
    await store.recordSeen('alice', 'bob', FP_B, T0);
    await store.forget('alice', 'bob', FP_A);
    expect(store.fingerprints('alice', 'bob').map((r) => r.fingerprint)).toEqual([FP_B]);
    await expect(store.forget('alice', 'bob', FP_A)).rejects.toMatchObject({ code: 'not-found' });
    await store.forget('alice', 'bob');
    expect(store.contacts('alice')).toEqual([]);
    await expect(store.forget('alice', 'bob')).rejects.toMatchObject({ code: 'not-found' });
    await store.close();
  });

  it('rejects malformed fingerprints', async () => {
    const store = await openStore(tempDir());
    await expect(store.recordSeen('alice', 'bob', 'xyz', T0)).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.recordSeen('alice', 'bob', 'xyz', T0)).rejects.toBeInstanceOf(StoreError);
    await expect(store.setTrust('alice', 'bob', 'ab'.repeat(19), 'manual', T0)).rejects.toThrow(/40 hex digits/);
    await store.close();
  });

  it('accounts and contacts named like Object.prototype members are ordinary names', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.setTrust('__proto__', 'constructor', FP_A, 'manual', T0);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.isVerified('__proto__', 'constructor', FP_A)).toBe(true);
    expect(reopened.accounts()).toEqual(['__proto__']);
    await reopened.close();
  });
});

describe('settings', () => {
  it('stores require-encryption per contact and the logging switch (off by default)', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    expect(store.loggingEnabled()).toBe(false);
    expect(store.contactSettings('alice', 'bob')).toEqual({ requireEncryption: false });
    await store.setContactSettings('alice', 'bob', { requireEncryption: true });
    await store.setLogging(true);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.contactSettings('alice', 'bob')).toEqual({ requireEncryption: true });
    expect(reopened.contactSettings('alice', 'carol')).toEqual({ requireEncryption: false });
    expect(reopened.loggingEnabled()).toBe(true);
    await reopened.close();
  });
});

describe('concurrency within a process', () => {
  it('loses no update when many changes are started without waiting', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const hex = (i: number): string => i.toString(16).padStart(40, '0');
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.setTrust('alice', `c${i % 5}`, hex(i), 'manual', T0)));
    await store.close();
    const reopened = await openStore(dir);
    for (let i = 0; i < 40; i++) expect(reopened.isVerified('alice', `c${i % 5}`, hex(i))).toBe(true);
    await reopened.close();
  });

  it('refuses use after close', async () => {
    const store = await openStore(tempDir());
    await store.close();
    expect(() => store.contacts('alice')).toThrow(/closed/);
  });
});
