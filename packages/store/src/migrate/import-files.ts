/**
 * Reading the files another client wrote, and writing files for it. Import
 * files are read whole and bounded in size; every problem becomes a
 * 'bad-import' StoreError naming the file. Export files are written
 * atomically with mode 0600, and never over an existing file unless asked.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DsaKeyError, makeDsaPrivateKey, type DsaPrivateKey } from '@sotto/otr';
import { StoreError, fromSystemError } from '../errors.js';
import { writeFileAtomic } from '../atomic-file.js';
import type { DsaParts } from '../formats/dsa-parts.js';
import { MAX_IMPORT_BYTES, type Parsed } from '../formats/result.js';

/** The error for a malformed import file. */
export function badImport(file: string, problem: string): StoreError {
  return new StoreError('bad-import', `${file}: ${problem}. Nothing was imported`, file);
}

/** A file to import, whole; 'not-found', 'permission' or 'bad-import' (too large, not a file) naming it. */
export async function readImportFile(file: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
    const stats = await handle.stat();
    if (!stats.isFile()) throw badImport(file, 'not a regular file');
    if (stats.size > MAX_IMPORT_BYTES) throw badImport(file, `too large (${stats.size} bytes) for this kind of file`);
    return new Uint8Array(await handle.readFile());
  } catch (error) {
    throw fromSystemError(error, file, 'read');
  } finally {
    await handle?.close();
  }
}

/** The value of a parse, or a 'bad-import' error naming the file. */
export function orBadImport<T>(result: Parsed<T>, file: string): T {
  if (!result.ok) throw badImport(file, result.problem);
  return result.value;
}

/**
 * A key from its parts, checked by @sotto/otr (sizes, p and q prime, g and
 * y of order q, y = g^x mod p); 'bad-import' naming the file and the
 * problem otherwise.
 */
export function keyFromParts(parts: DsaParts, file: string, label: string): DsaPrivateKey {
  return checkedKey(() => makeDsaPrivateKey(parts), file, label);
}

/** The key `make` builds, or a 'bad-import' error naming the file and the {@link DsaKeyError}'s problem. */
export function checkedKey(make: () => DsaPrivateKey, file: string, label: string): DsaPrivateKey {
  try {
    return make();
  } catch (error) {
    if (error instanceof DsaKeyError) throw badImport(file, `${label} is ${error.message}`);
    throw error;
  }
}

/** The parts of a key, for writing to another client's format. The caller wipes `x` when done. */
export function partsOf(key: DsaPrivateKey): DsaParts {
  return { ...key.publicKey, x: Uint8Array.from(key.exposePrivate()) };
}

/**
 * Writes export files into `dir` (created 0700 if absent). All targets are
 * checked first, so an export either writes every file or none because one
 * already exists ('exists' unless `overwrite`).
 */
export async function writeExportFiles(dir: string, files: readonly { name: string; data: string | Uint8Array }[], overwrite: boolean): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fromSystemError(error, dir, 'create');
  }
  const targets = files.map((file) => ({ path: join(dir, file.name), data: file.data }));
  if (!overwrite) {
    for (const { path } of targets) {
      const exists = await stat(path).then(
        () => true,
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
          throw fromSystemError(error, path, 'check');
        },
      );
      if (exists) throw new StoreError('exists', `${path} already exists; nothing was exported. Choose an empty directory or ask to overwrite`, path);
    }
  }
  for (const { path, data } of targets) await writeFileAtomic(path, data);
  return targets.map((target) => target.path);
}
