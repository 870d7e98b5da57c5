/** One process per state directory: live owners refuse others; stale locks are taken over. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

/** A pid that is certainly not running: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, owner: object | string): void {
  writeFileSync(join(dir, 'lock'), typeof owner === 'string' ? owner : JSON.stringify(owner), { mode: 0o600 });
}

describe('the directory lock', () => {
  it('refuses a second open while the first is open, naming the directory, and allows it after close', async () => {
    const dir = tempDir();
    const first = await openStore(dir);
    const error = await openStore(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'locked', file: dir });
    expect((error as Error).message).toContain(dir);
    await first.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    const second = await openStore(dir);
    await second.close();
  });

  it('records pid and host in the lock file', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await store.close();
  });

  it('takes over the lock of a dead process', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: deadPid(), host: hostname(), nonce: 'old', since: '2020-01-01T00:00:00Z' });
    const store = await openStore(dir);
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await store.close();
  });

  it('takes over a garbled lock (left by a crash before its contents reached the disk)', async () => {
    const dir = tempDir();
    writeLock(dir, '');
    const store = await openStore(dir);
    await store.close();
  });

  it('refuses a lock held by a live process', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeLock(dir, { pid: child.pid, host: hostname(), nonce: 'live' });
      await expect(openStore(dir)).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining(String(child.pid)) as string });
      // The live lock is untouched.
      expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ nonce: 'live' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a lock from another host, whose processes it cannot check', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: deadPid(), host: `not-${hostname()}`, nonce: 'remote' });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining(`not-${hostname()}`) as string });
  });

  it('a stale lock taken over by racing opens never gives two of them the store (moving a fresh lock aside let a third in)', async () => {
    for (let round = 0; round < 40; round++) {
      const dir = tempDir();
      writeLock(dir, { pid: deadPid(), host: hostname(), nonce: 'stale' });
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => openStore(dir)));
      const opened = results.filter((result) => result.status === 'fulfilled');
      expect(opened).toHaveLength(1);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'locked' });
      await opened[0]?.value.close();
    }
  });

  it('lets exactly one of several simultaneous opens win', async () => {
    const dir = tempDir();
    writeLock(dir, { pid: deadPid(), host: hostname(), nonce: 'stale' });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => openStore(dir)));
    const opened = results.filter((result) => result.status === 'fulfilled');
    expect(opened).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'locked' });
    await opened[0]?.value.close();
  });
});
