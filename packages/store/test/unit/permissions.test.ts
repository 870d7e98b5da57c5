/**
 * File permissions: the store refuses a directory or file other users can
 * get at (naming it and saying how to fix it) and never loosens modes.
 */
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { removeTempDirs, runningAsRoot, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

async function populated(): Promise<string> {
  const dir = tempDir();
  const store = await openStore(dir);
  await store.getOrCreateInstanceTag('alice');
  await store.setTrust('alice', 'bob', 'ab'.repeat(20), 'manual', new Date());
  await store.close();
  return dir;
}

describe('permissions', () => {
  it('refuses a state directory open to other users, and leaves its mode alone', async () => {
    const dir = join(tempDir(), 'state');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'permission', file: dir, message: expect.stringMatching(/mode 0755.*chmod 700/) as string });
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });

  it('refuses a store file readable by others, naming it', async () => {
    const dir = await populated();
    const file = join(dir, 'trust.json');
    chmodSync(file, 0o644);
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'permission', file, message: expect.stringMatching(/chmod 600/) as string });
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('refuses a store file that is not a regular file', async () => {
    const dir = await populated();
    mkdirSync(join(dir, 'keys.json'), { mode: 0o700 });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'corrupt', file: join(dir, 'keys.json') });
  });

  it.skipIf(runningAsRoot)('reports an unreadable file as a permission problem', async () => {
    const dir = await populated();
    const file = join(dir, 'trust.json');
    chmodSync(file, 0o000);
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'permission', file });
    chmodSync(file, 0o600);
  });

  it.skipIf(!runningAsRoot)('refuses a store file owned by another user', async () => {
    const dir = await populated();
    const file = join(dir, 'trust.json');
    chownSync(file, 12345, 12345);
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'permission', file, message: expect.stringMatching(/another user/) as string });
  });

  it('writes new files 0600 even under a permissive umask', async () => {
    const dir = tempDir();
    const old = process.umask(0o000);
    try {
      const store = await openStore(join(dir, 'state'));
      await store.setLogging(true);
      await store.close();
    } finally {
      process.umask(old);
    }
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'state', 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps nothing secret in error messages', async () => {
    const dir = await populated();
    const store = await openStore(dir);
    await store.getOrCreateKey('alice');
    await store.close();
    const x = (JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as { accounts: { alice: { x: string } } }).accounts.alice.x;
    writeFileSync(join(dir, 'keys.json'), readFileSync(join(dir, 'keys.json'), 'utf8').replace('"version": 1', '"version": 1,'), { mode: 0o600 });
    const error = await openStore(dir).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'corrupt' });
    expect((error as Error).message).not.toContain(x);
  });
});
