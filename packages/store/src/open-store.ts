/**
 * Opening a state directory: create it (mode 0700) if absent, refuse it if
 * other users can get in, take its lock, clear what a killed writer left
 * behind, then read and check every file. Any problem is a StoreError naming
 * the file; nothing is created or replaced to get past a damaged file.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StoreError, fromSystemError } from './errors.js';
import { assertPrivate, readPrivateFile, removeStaleTemporaryFiles } from './atomic-file.js';
import { DirectoryLock } from './lock.js';
import { FILES } from './paths.js';
import { decodeKeysFile, decodeRetiredKeysFile, type StoredKey } from './files/keys-file.js';
import { decodeInstanceTagsFile } from './files/instance-tags-file.js';
import { decodeTrustFile, type TrustTable } from './files/trust-file.js';
import { DEFAULT_SETTINGS, decodeSettingsFile } from './files/settings-file.js';
import { Store, type StoreContents } from './store.js';

async function ensureDirectory(dir: string): Promise<void> {
  try {
    const stats = await stat(dir);
    if (!stats.isDirectory()) throw new StoreError('io', `${dir} is not a directory`, dir);
    assertPrivate(stats, dir, 'directory');
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fromSystemError(error, dir, 'open');
  }
  try {
    await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
    await mkdir(dir, { mode: 0o700 });
    // mkdir's mode passes through the umask; make it exactly 0700.
    await chmod(dir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ensureDirectory(dir);
    throw fromSystemError(error, dir, 'create');
  }
}

async function load<T>(dir: string, file: string, decode: (bytes: Uint8Array, path: string) => T, empty: () => T): Promise<T> {
  const path = join(dir, file);
  const bytes = await readPrivateFile(path);
  return bytes === undefined ? empty() : decode(bytes, path);
}

async function loadContents(dir: string): Promise<StoreContents> {
  return {
    keys: await load(dir, FILES.keys, decodeKeysFile, () => new Map<string, StoredKey>()),
    retired: await load(dir, FILES.retiredKeys, decodeRetiredKeysFile, () => []),
    instanceTags: await load(dir, FILES.instanceTags, decodeInstanceTagsFile, () => new Map<string, number>()),
    trust: await load(dir, FILES.trust, decodeTrustFile, (): TrustTable => new Map()),
    settings: await load(dir, FILES.settings, decodeSettingsFile, () => DEFAULT_SETTINGS),
  };
}

/**
 * Opens (creating if absent, mode 0700) the state directory `dir` and takes
 * its lock. Throws 'locked' if another live process has it open, 'permission'
 * if it or a file in it is open to other users, 'corrupt' naming a damaged
 * file. Call `close()` when done.
 */
export async function openStore(dir: string): Promise<Store> {
  const absolute = resolve(dir);
  await ensureDirectory(absolute);
  const lock = await DirectoryLock.acquire(absolute);
  try {
    await removeStaleTemporaryFiles(absolute);
    return new Store(absolute, lock, await loadContents(absolute));
  } catch (error) {
    await lock.release();
    throw error;
  }
}
