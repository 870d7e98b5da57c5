/**
 * One process at a time per state directory. The lock is a file named `lock`
 * holding the owner's pid, host and a random nonce. It is created complete
 * and atomically: the contents go to a temporary file first, which is then
 * hard-linked to `lock` (link(2) fails if the name exists, like O_EXCL, but
 * nobody can ever see a half-written lock).
 *
 * A lock whose pid is dead on this host is stale and is taken over under a
 * second, short-lived lock, `lock.takeover` (created the same way): only its
 * holder may delete `lock`, and only after reading it again and finding the
 * very lock judged stale. Nobody else ever removes a lock but its owner, so
 * contenders racing for a stale lock cannot both win. (Moving the lock aside
 * instead, and giving it back when it proved fresh, left a moment in which a
 * third contender could create its own lock: two winners.) A live owner, or
 * an owner on another host (a shared home directory), gives a 'locked'
 * error naming the directory.
 */
import { link, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { systemRandom, toHex } from '@sotto/otr';
import { StoreError, fromSystemError } from './errors.js';
import { FILES } from './paths.js';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    if (typeof value?.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string') {
      return { pid: value.pid, host: value.host, nonce: value.nonce };
    }
  } catch {
    // Falls through: a garbled lock can only be left by a crash (see the file comment).
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fromSystemError(error, path, 'read');
  }
}

/** A scratch name next to the lock, of the form crash cleanup removes (see atomic-file.ts). */
function scratchName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${toHex(systemRandom(8))}`);
}

/** Creates `path` with `content` only if it does not exist; false if it does. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = scratchName(path);
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: a lock holder cleaned our scratch file away as a crash leftover; just retry.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // No hard links on this file system: O_EXCL, accepting that a crash mid-write leaves a garbled (stale) lock.
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(content);
      await handle.close();
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Rounds of create, read, take over before giving up on a lock others keep competing for. */
const MAX_ATTEMPTS = 20;

/** The exclusive hold of one process on a state directory. */
export class DirectoryLock {
  #released = false;

  private constructor(
    readonly path: string,
    private readonly nonce: string,
  ) {}

  /** Takes the lock of `dir`, taking over a stale one; throws 'locked' if a live process holds it. */
  static async acquire(dir: string): Promise<DirectoryLock> {
    const path = join(dir, FILES.lock);
    const nonce = toHex(systemRandom(16));
    const content = `${JSON.stringify({ pid: process.pid, host: hostname(), nonce, since: new Date().toISOString() })}\n`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        if (await createExclusive(path, content)) return new DirectoryLock(path, nonce);
      } catch (error) {
        throw fromSystemError(error, path, 'create the lock');
      }
      const existing = await readText(path);
      if (existing === undefined) continue; // released meanwhile: try again
      const owner = parseOwner(existing);
      if (owner !== undefined) refuseIfLive(dir, path, owner);
      await takeOverStale(path, existing, content);
    }
    throw new StoreError('locked', `could not take the lock of ${dir}: other processes keep competing for it`, dir);
  }

  /** Releases the lock if it is still ours. Idempotent. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    const existing = await readText(this.path).catch(() => undefined);
    if (existing !== undefined && parseOwner(existing)?.nonce === this.nonce) {
      await unlink(this.path).catch(() => undefined);
    }
  }
}

function refuseIfLive(dir: string, path: string, owner: LockOwner): void {
  if (owner.host !== hostname()) {
    throw new StoreError(
      'locked',
      `${dir} is in use by process ${owner.pid} on host ${owner.host}. If that process is gone, remove ${path}`,
      dir,
    );
  }
  if (owner.pid === process.pid) {
    throw new StoreError('locked', `${dir} is already open in this process; use the open store`, dir);
  }
  if (isAlive(owner.pid)) {
    throw new StoreError(
      'locked',
      `${dir} is in use by another sotto (process ${owner.pid}); close it first. If no sotto is running, remove ${path}`,
      dir,
    );
  }
}

/** The name of the lock held while a stale lock is taken over. */
function takeoverPath(path: string): string {
  return `${path}.takeover`;
}

/**
 * Deletes the stale lock at `path` (whose content was `staleContent`) if it
 * is still that lock, holding the takeover lock meanwhile; returns in every
 * case for the caller to try again. A takeover lock left by a dead process
 * (killed within the few milliseconds of a takeover) is removed.
 */
async function takeOverStale(path: string, staleContent: string, ours: string): Promise<void> {
  const guard = takeoverPath(path);
  if (!(await createExclusive(guard, ours))) {
    const holder = parseOwner((await readText(guard)) ?? '');
    if (holder !== undefined && holder.host === hostname() && holder.pid !== process.pid && !isAlive(holder.pid)) {
      await unlink(guard).catch(() => undefined);
    }
    return;
  }
  try {
    if ((await readText(path)) === staleContent) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}
