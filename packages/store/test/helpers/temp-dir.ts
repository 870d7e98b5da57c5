/** Private temporary directories for tests, removed afterwards. */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh directory (mode 0700) under the system temp dir. */
export function tempDir(prefix = 'sotto-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o700);
  made.push(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir}; call from afterAll. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** True when running as root, where file permissions do not stop reads. */
export const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
