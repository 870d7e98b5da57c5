/**
 * Durable file replacement and careful reading for the state directory.
 *
 * A write goes to a fresh temporary file in the same directory (created
 * exclusively, mode 0600), is flushed to disk (fsync), renamed over the
 * target, and the directory is flushed too, so after a crash at any point
 * the target holds either its old or its new contents, never a mixture, and
 * a completed write survives power loss. rename(2) is atomic only within one
 * file system, hence the temporary file's place next to the target.
 *
 * A read refuses files that other users could read or that another user owns:
 * like ssh with a private key, we say so rather than go on quietly.
 */
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { systemRandom, toHex } from '@sotto/otr';
import { StoreError, fromSystemError } from './errors.js';

/** Temporary files are `.<target>.tmp-<pid>-<random>`; only ours match. */
const TEMP_PATTERN = /^\..+\.tmp-\d+-[0-9a-f]{16}$/;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${toHex(systemRandom(8))}`);
}

/** Flushes a directory's entries (the rename) to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some file systems cannot fsync a directory; the rename itself still happened.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'ENOTSUP') throw fromSystemError(error, dir, 'flush');
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` with `data` atomically and durably (mode 0600).
 * On failure the old file is untouched and the temporary file removed.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    // The mode given to open is filtered by the umask, which can only remove bits; set it exactly.
    await handle.chmod(0o600);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw fromSystemError(error, path, 'write');
  }
  await syncDirectory(dirname(path));
}

/** Whether the current user can check ownership (false on platforms without uids). */
function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Throws unless `stats` describe something only we can read: ours, no group or other bits. */
export function assertPrivate(stats: Stats, path: string, what: 'file' | 'directory'): void {
  const uid = currentUid();
  if (uid === undefined) return;
  if (stats.uid !== uid) {
    throw new StoreError('permission', `${path} belongs to another user (uid ${stats.uid}); refusing to use it`, path);
  }
  const open = stats.mode & 0o077;
  if (open !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    const fix = what === 'directory' ? `chmod 700 '${path}'` : `chmod 600 '${path}'`;
    throw new StoreError(
      'permission',
      `${path} is accessible by other users (mode ${mode}); its contents may have been exposed. Check it, then run: ${fix}`,
      path,
    );
  }
}

/**
 * Reads a store file, or undefined when it does not exist. Refuses anything
 * that is not a regular file of ours with mode 0600 or stricter.
 */
export async function readPrivateFile(path: string): Promise<Buffer | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (!stats.isFile()) throw new StoreError('corrupt', `${path} is not a regular file`, path);
    assertPrivate(stats, path, 'file');
    return await handle.readFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fromSystemError(error, path, 'read');
  } finally {
    await handle?.close();
  }
}

/**
 * Removes temporary files a killed writer left behind. Only call it while
 * holding the directory's lock: then no live writer owns any of them.
 */
export async function removeStaleTemporaryFiles(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw fromSystemError(error, dir, 'list');
  }
  for (const name of names) {
    if (TEMP_PATTERN.test(name)) await unlink(join(dir, name)).catch(() => undefined);
  }
}
