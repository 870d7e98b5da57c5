/**
 * The OTRv4 identity in the store: Ed448 identity and forging keys and our
 * client profile in keys.json (0600, atomic), regenerated with the DSA key,
 * wiped on close; a stored profile that is damaged, expired or not ours any
 * more is reported as needing a new one, never fatal.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keysImport, openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { makeProfile } from '../helpers/v4-profile.js';

afterAll(removeTempDirs);

const LIBOTR_PIDGIN = new URL('../fixtures/libotr/pidgin', import.meta.url).pathname;
const DAY = 24 * 60 * 60 * 1000;

function readJson(dir: string, file: string): { version: number; accounts: Record<string, { v4?: Record<string, unknown> } & Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as never;
}

/**
 * Saves a fresh profile for alice, changes its stored entry in keys.json with
 * `tamper`, reopens the store and returns what it says of alice's profile.
 */
async function storedProfileAfter(tamper: (entry: Record<string, unknown>, v4: Record<string, unknown>) => void): Promise<unknown> {
  const dir = tempDir();
  const store = await openStore(dir);
  const profile = await makeProfile(store, 'alice', Date.now());
  await store.saveClientProfile('alice', profile.encoded, profile.expiresAt);
  await store.close();
  const body = readJson(dir, 'keys.json');
  const v4 = body.accounts.alice?.v4 as Record<string, unknown>;
  tamper(v4.profile as Record<string, unknown>, v4);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(body), { mode: 0o600 });
  const reopened = await openStore(dir);
  try {
    return reopened.clientProfile('alice', new Date());
  } finally {
    await reopened.close();
  }
}

describe('OTRv4 identity', () => {
  it('is created on first use with the DSA key, kept across reopening, in a 0600 keys.json of format version 2', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const v4 = await store.getOrCreateV4Identity('alice');
    expect(v4.fingerprint).toMatch(/^[0-9a-f]{112}$/);
    expect(v4.identityKey.exposeSymmetricKey()).toHaveLength(57);
    expect(v4.forgingPublicKey).toHaveLength(57);
    expect(store.existingKey('alice')).toBeDefined();
    expect(await store.getOrCreateV4Identity('alice')).toMatchObject({ fingerprint: v4.fingerprint });
    expect(store.keys('alice')[0]?.v4).toEqual({ fingerprint: v4.fingerprint, createdAt: v4.createdAt, forgingSecretKept: false });
    const dsa = store.keys('alice')[0]?.fingerprint;
    await store.close();
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(readJson(dir, 'keys.json').version).toBe(2);

    const reopened = await openStore(dir);
    expect(reopened.existingV4Identity('alice')?.fingerprint).toBe(v4.fingerprint);
    expect(reopened.keys('alice')[0]?.fingerprint).toBe(dsa);
    await reopened.close();
  });

  it('erases the forging secret by default and keeps it only when asked', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    expect((await store.getOrCreateV4Identity('erased')).forgingKey).toBeUndefined();
    const kept = await store.getOrCreateV4Identity('kept', { keepForgingSecret: true });
    expect(kept.forgingKey?.publicKeyBytes()).toEqual(kept.forgingPublicKey);
    await store.close();
    const accounts = readJson(dir, 'keys.json').accounts;
    expect(accounts.erased?.v4).not.toHaveProperty('forgingKey');
    expect(accounts.kept?.v4).toHaveProperty('forgingKey');

    const reopened = await openStore(dir);
    expect(reopened.existingV4Identity('kept')?.forgingKey?.publicKeyBytes()).toEqual(kept.forgingPublicKey);
    const fingerprint = reopened.existingV4Identity('kept')?.fingerprint;
    await reopened.forgetForgingSecret('kept');
    expect(reopened.existingV4Identity('kept')).toMatchObject({ fingerprint });
    expect(reopened.existingV4Identity('kept')?.forgingKey).toBeUndefined();
    await expect(reopened.forgetForgingSecret('nobody')).rejects.toMatchObject({ code: 'not-found' });
    await reopened.close();
    expect(readJson(dir, 'keys.json').accounts.kept?.v4).not.toHaveProperty('forgingKey');
  });

  it('regenerating the identity replaces the DSA and OTRv4 keys together, retires both and drops the profile', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const before = await store.getOrCreateV4Identity('alice');
    const dsaBefore = store.keys('alice')[0]?.fingerprint;
    const profile = await makeProfile(store, 'alice', Date.now());
    await store.saveClientProfile('alice', profile.encoded, profile.expiresAt);
    await store.regenerateKey('alice');
    const after = store.keys('alice')[0];
    expect(after?.fingerprint).not.toBe(dsaBefore);
    expect(after?.v4?.fingerprint).toMatch(/^[0-9a-f]{112}$/);
    expect(after?.v4?.fingerprint).not.toBe(before.fingerprint);
    expect(store.retiredKeys('alice')).toMatchObject([{ fingerprint: dsaBefore, v4: { fingerprint: before.fingerprint }, reason: 'regenerated' }]);
    expect(store.clientProfile('alice', new Date())).toEqual({ status: 'needs-new', reason: 'none' });
    await store.close();
    expect(statSync(join(dir, 'retired-keys.json')).mode & 0o777).toBe(0o600);
    const retired = JSON.parse(readFileSync(join(dir, 'retired-keys.json'), 'utf8')) as { version: number; retired: { v4?: Record<string, unknown> }[] };
    expect(retired.version).toBe(2);
    expect(retired.retired[0]?.v4).not.toHaveProperty('profile');

    const reopened = await openStore(dir);
    expect(reopened.retiredKeys('alice')[0]?.v4?.fingerprint).toBe(before.fingerprint);
    await reopened.close();
  });

  it('close wipes the Ed448 keys', async () => {
    const store = await openStore(tempDir());
    const v4 = await store.getOrCreateV4Identity('alice', { keepForgingSecret: true });
    await store.regenerateKey('alice');
    const current = store.existingV4Identity('alice');
    await store.close();
    expect(v4.identityKey.wiped).toBe(true);
    expect(v4.forgingKey?.wiped).toBe(true);
    expect(current?.identityKey.wiped).toBe(true);
  });

  it('a keys.json whose OTRv4 identity key does not match its public key is reported as damaged', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.getOrCreateV4Identity('alice');
    await store.close();
    const body = readJson(dir, 'keys.json');
    const v4 = body.accounts.alice?.v4 as { identityKey: string };
    v4.identityKey = `${v4.identityKey.slice(0, -2)}${v4.identityKey.endsWith('00') ? '01' : '00'}`;
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(body), { mode: 0o600 });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/identityKey does not match/) as string });
  });

  it('a keys.json whose OTRv4 fingerprint was altered is reported as damaged', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.getOrCreateV4Identity('alice');
    await store.close();
    const body = readJson(dir, 'keys.json');
    const v4 = body.accounts.alice?.v4 as { fingerprint: string };
    v4.fingerprint = '0'.repeat(112);
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(body), { mode: 0o600 });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/recorded fingerprint/) as string });
  });

  it('OTRv4 data in a version 1 keys.json is reported as damaged', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.getOrCreateV4Identity('alice');
    await store.close();
    const body = readJson(dir, 'keys.json');
    body.version = 1;
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(body), { mode: 0o600 });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/v4 appears in a version 1 file/) as string });
  });
});

describe('client profile persistence', () => {
  it('saves the profile the library made and loads it back, checked, after reopening', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    expect(store.clientProfile('alice', new Date())).toEqual({ status: 'needs-new', reason: 'no-identity' });
    await store.getOrCreateV4Identity('alice');
    expect(store.clientProfile('alice', new Date())).toEqual({ status: 'needs-new', reason: 'no-instance-tag' });
    const now = Date.now();
    const profile = await makeProfile(store, 'alice', now);
    expect(store.clientProfile('alice', new Date(now))).toEqual({ status: 'needs-new', reason: 'none' });
    await store.saveClientProfile('alice', profile.encoded, profile.expiresAt, new Date(now));
    await store.close();
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);

    const reopened = await openStore(dir);
    expect(reopened.clientProfile('alice', new Date(now))).toEqual({ status: 'ok', encoded: profile.encoded, expiresAt: profile.expiresAt, refreshAt: profile.expiresAt - DAY });
    await reopened.close();
  });

  it('an expired stored profile needs a new one', async () => {
    const store = await openStore(tempDir());
    const now = Date.now();
    const profile = await makeProfile(store, 'alice', now, 2 * DAY);
    await store.saveClientProfile('alice', profile.encoded, profile.expiresAt, new Date(now));
    expect(store.clientProfile('alice', new Date(now + DAY)).status).toBe('ok');
    expect(store.clientProfile('alice', new Date(now + 3 * DAY))).toEqual({ status: 'needs-new', reason: 'expired' });
    await store.close();
  });

  it('a stored profile that does not parse needs a new one and the store still opens', async () => {
    const stored = await storedProfileAfter((entry) => {
      entry.encoded = 'deadbeef';
    });
    expect(stored).toEqual({ status: 'needs-new', reason: 'malformed' });
  });

  it('a stored profile entry of the wrong shape is dropped (needs a new one), not fatal', async () => {
    const stored = await storedProfileAfter((_entry, v4) => {
      v4.profile = { encoded: 42, expiresAt: 'soon' };
    });
    expect(stored).toEqual({ status: 'needs-new', reason: 'none' });
  });

  it('a stored profile whose recorded expiry is not its own needs a new one', async () => {
    const stored = await storedProfileAfter((entry) => {
      entry.expiresAt = (entry.expiresAt as number) + 1000;
    });
    expect(stored).toEqual({ status: 'needs-new', reason: 'expiry-mismatch' });
  });

  it('refuses to save bytes that are not a profile, a profile of another account, an expired one or a wrong expiry, writing nothing', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const now = Date.now();
    const mine = await makeProfile(store, 'alice', now);
    const theirs = await makeProfile(store, 'bob', now);
    const before = readFileSync(join(dir, 'keys.json'), 'utf8');
    await expect(store.saveClientProfile('alice', Uint8Array.of(1, 2, 3), mine.expiresAt)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/malformed/) as string });
    await expect(store.saveClientProfile('alice', theirs.encoded, theirs.expiresAt)).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.saveClientProfile('alice', mine.encoded, mine.expiresAt + 1)).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.saveClientProfile('alice', mine.encoded, mine.expiresAt, new Date(mine.expiresAt))).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/expired/) as string });
    await expect(store.saveClientProfile('carol', mine.encoded, mine.expiresAt)).rejects.toMatchObject({ code: 'invalid' });
    expect(readFileSync(join(dir, 'keys.json'), 'utf8')).toBe(before);
    await store.close();
  });

  it('an import replacing the DSA key keeps the OTRv4 identity and drops the profile that carried the old DSA key', async () => {
    const store = await openStore(tempDir());
    const v4 = await store.getOrCreateV4Identity('alice');
    const profile = await makeProfile(store, 'alice', Date.now());
    await store.saveClientProfile('alice', profile.encoded, profile.expiresAt);
    const oldDsa = store.keys('alice')[0]?.fingerprint;
    await keysImport(store, { format: 'libotr', keyFile: join(LIBOTR_PIDGIN, 'otr.private_key'), accountName: 'alice@example.org', account: 'alice', replace: true });
    expect(store.keys('alice')[0]?.fingerprint).not.toBe(oldDsa);
    expect(store.existingV4Identity('alice')?.fingerprint).toBe(v4.fingerprint);
    expect(store.retiredKeys('alice')).toEqual([expect.objectContaining({ fingerprint: oldDsa, reason: 'replaced-by-import' })]);
    expect(store.retiredKeys('alice')[0]).not.toHaveProperty('v4');
    expect(store.clientProfile('alice', new Date())).toEqual({ status: 'needs-new', reason: 'none' });
    await store.close();
  });
});
