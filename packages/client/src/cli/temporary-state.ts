/**
 * The temporary state directory of `sotto chat --json` without --state-dir
 * (shared/interop/DRIVER.md: "a fresh identity in a temporary directory").
 * It holds a private key, so it is removed when the chat ends; a process
 * killed outright (SIGKILL, a crash of the machine) cannot do that, so every
 * new one first removes the directories such processes left behind.
 *
 * Only what is certainly ours goes: a directory directly in the temporary
 * directory, named `sotto-json-<pid>-<6 characters>` (mkdtemp's suffix),
 * not a symbolic link, owned by this user with mode 0700, whose process
 * <pid> no longer exists, holding nothing but regular files with the
 * store's names. Its files are removed one by one, then the directory;
 * nothing is removed recursively.
 */
import { lstatSync, mkdtempSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'sotto-json-';
const OURS = /^sotto-json-(\d{1,10})-[A-Za-z0-9]{6}$/;
/** The store's files: its JSON files, its lock, and the temporary files of its atomic writes. */
const STORE_FILE = /^(?:[a-z-]{1,32}\.json|lock|\.[a-z-]{1,32}\.json\.tmp-\d{1,10}-[0-9a-f]{16})$/;

/** Creates this process's temporary state directory (mode 0700). */
export function createTemporaryStateDir(base: string = tmpdir()): string {
  return mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
}

/** Whether process `pid` exists (possibly under another user). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours. Anything but ESRCH is taken as "exists": when unsure, keep.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temporary state directories in `base` left by `sotto chat
 * --json` processes that no longer run; returns the directories removed.
 * Never throws: what cannot be checked or removed is left alone.
 */
export function removeStaleStateDirs(base: string = tmpdir(), exists: (pid: number) => boolean = processExists): string[] {
  const uid = process.getuid?.();
  if (uid === undefined) return [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(OURS.exec(name)?.[1] ?? NaN);
    if (!(pid > 0) || pid === process.pid || exists(pid)) continue;
    const dir = join(base, name);
    try {
      const stat = lstatSync(dir);
      if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o777) !== 0o700) continue;
      const entries = readdirSync(dir, { withFileTypes: true });
      if (!entries.every((entry) => entry.isFile() && STORE_FILE.test(entry.name))) continue;
      for (const entry of entries) unlinkSync(join(dir, entry.name));
      rmdirSync(dir);
      removed.push(dir);
    } catch {
      // Another sotto removing it at the same moment, or it changed under us: leave what is left.
    }
  }
  return removed;
}

/** Removes the directories killed drivers left (they hold private keys), then creates this process's own. */
export function freshTemporaryStateDir(base: string = tmpdir()): string {
  removeStaleStateDirs(base);
  return createTemporaryStateDir(base);
}
