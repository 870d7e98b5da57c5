import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account, fingerprint, toHex } from '@sotto/otr';
import { openStore } from '@sotto/store';
import { describe, expect, it } from 'vitest';
import { openIdentity } from '../src/identity.js';

const quiet = { onWriteError: () => undefined };

describe('openIdentity', () => {
  it('creates a key and instance tag once and gives the same ones on every open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-'));
    const first = await openIdentity(dir, 'default', quiet);
    const fp = toHex(fingerprint(first.privateKey.publicKey));
    const tag = first.instanceTag;
    expect(tag).toBeGreaterThanOrEqual(0x100);
    await first.close();
    const second = await openIdentity(dir, 'default', quiet);
    expect(toHex(fingerprint(second.privateKey.publicKey))).toBe(fp);
    expect(second.instanceTag).toBe(tag);
    await second.close();
  });

  it('falls back to a numbered profile when another sotto holds the directory, only when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-'));
    const held = await openStore(dir);
    await expect(openIdentity(dir, 'default', quiet)).rejects.toMatchObject({ code: 'locked' });
    const second = await openIdentity(dir, 'default', { ...quiet, fallbackProfiles: true });
    expect(second.dir).toBe(join(dir, 'profile-2'));
    const third = await openIdentity(dir, 'default', { ...quiet, fallbackProfiles: true });
    expect(third.dir).toBe(join(dir, 'profile-3'));
    expect(toHex(fingerprint(third.privateKey.publicKey))).not.toBe(toHex(fingerprint(second.privateKey.publicKey)));
    await Promise.all([second.close(), third.close(), held.close()]);
  });

  it('creates the OTRv4 identity once when asked, and keeps a saved client profile for the next open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-'));
    const first = await openIdentity(dir, 'default', { ...quiet, v4: true });
    const v4 = first.v4;
    expect(v4?.fingerprint).toMatch(/^[0-9a-f]{112}$/);
    expect(v4?.profile).toBeUndefined();
    // The library makes the profile at its first call and reports it; the chat saves it.
    const now = Date.now();
    const account = new Account({
      privateKey: first.privateKey,
      instanceTag: first.instanceTag,
      v4: { identityKey: v4!.identityKey, forgingKey: v4!.forgingKey, address: '127.0.0.1:1' },
    });
    const refreshed = account.startOtr('127.0.0.1:2', now).events.find((event) => event.kind === 'profile-refreshed');
    expect(refreshed).toBeDefined();
    if (refreshed?.kind !== 'profile-refreshed') return;
    first.saveClientProfile(refreshed.profile, refreshed.expiresAt);
    await first.close();
    const second = await openIdentity(dir, 'default', { ...quiet, v4: true });
    expect(second.v4?.fingerprint).toBe(v4?.fingerprint);
    expect(second.v4?.profile).toEqual(refreshed.profile);
    await second.close();
    // Without v4, none is made.
    const other = await openIdentity(mkdtempSync(join(tmpdir(), 'identity-')), 'default', quiet);
    expect(other.v4).toBeUndefined();
    await other.close();
  });
});
