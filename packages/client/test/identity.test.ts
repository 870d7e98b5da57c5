import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint, toHex } from '@sotto/otr';
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
});
