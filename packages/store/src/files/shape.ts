/**
 * Checking the shape of the store's own JSON files. The files are versioned
 * (`"version": 1`); anything that does not match exactly is reported as
 * corrupt, naming the file and the field, and is never repaired or replaced.
 *
 * Version 2 (keys.json, retired-keys.json, trust.json) adds OTRv4: Ed448
 * keys and client profiles, OTRv4 fingerprints. A file is written as
 * version 2 only once it holds OTRv4 data, so a store that never used OTRv4
 * stays exactly as an older sotto wrote it (and can still read it); an older
 * sotto refuses a version 2 file ("written by a newer sotto") rather than
 * rewrite it without the OTRv4 keys, so nothing is ever lost by a downgrade.
 */
import { StoreError } from '../errors.js';

/** The store format version of files without OTRv4 data (and of every file that never has any). */
export const FORMAT_VERSION = 1;
/** The format version of keys.json, retired-keys.json and trust.json once they hold OTRv4 data. */
export const V4_FORMAT_VERSION = 2;

/** A mismatch at a JSON path; turned into a 'corrupt' StoreError by {@link decodeVersioned}. */
export class ShapeError extends Error {}

/** A plain JSON object (not an array, not null). */
export function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(`${where} is not an object`);
  return value as Record<string, unknown>;
}

/** A JSON array. */
export function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} is not a list`);
  return value;
}

/** A string matching `pattern` when given. */
export function string(value: unknown, where: string, pattern?: RegExp): string {
  if (typeof value !== 'string') throw new ShapeError(`${where} is not a string`);
  if (pattern !== undefined && !pattern.test(value)) throw new ShapeError(`${where} is malformed`);
  return value;
}

/** An ISO 8601 timestamp as written by Date.toISOString(). */
export function timestamp(value: unknown, where: string): string {
  const text = string(value, where);
  if (Number.isNaN(Date.parse(text))) throw new ShapeError(`${where} is not a date`);
  return text;
}

/** A boolean. */
export function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(`${where} is not true or false`);
  return value;
}

/** An integer in [min, max]. */
export function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ShapeError(`${where} is not an integer in [${min}, ${max}]`);
  }
  return value;
}

/** One of the given strings. */
export function oneOf<T extends string>(value: unknown, where: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ShapeError(`${where} is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

/** The entries of a JSON object used as a map (keys are account or contact names). */
export function entries(value: unknown, where: string): [string, unknown][] {
  return Object.entries(object(value, where));
}

/**
 * Parses a store file and runs `decode` on its body and format version
 * (from {@link FORMAT_VERSION} to `newest`), turning every failure into a
 * 'corrupt' StoreError that names the file and says it was left alone.
 */
export function decodeVersioned<T>(
  bytes: Uint8Array,
  path: string,
  decode: (body: Record<string, unknown>, version: number) => T,
  newest: number = FORMAT_VERSION,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw corrupt(path, 'it is not valid JSON');
  }
  try {
    const body = object(parsed, 'the file');
    const version = body.version;
    if (typeof version === 'number' && version > newest) {
      throw new StoreError(
        'corrupt',
        `${path} was written by a newer sotto (format version ${version}; this one reads ${newest}). Upgrade sotto; the file was left untouched`,
        path,
      );
    }
    if (typeof version !== 'number' || !Number.isInteger(version) || version < FORMAT_VERSION) throw new ShapeError('"version" is missing or unknown');
    return decode(body, version);
  } catch (error) {
    if (error instanceof ShapeError) throw corrupt(path, error.message);
    throw error;
  }
}

/** The error for a damaged store file. */
export function corrupt(path: string, detail: string): StoreError {
  return new StoreError(
    'corrupt',
    `${path} is damaged (${detail}). It was left untouched; restore it from a backup or move it away to start over`,
    path,
  );
}

/** The store's JSON text: stable key order, two-space indent, final newline. */
export function encodeVersioned(body: Record<string, unknown>, version: number = FORMAT_VERSION): string {
  return `${JSON.stringify({ version, ...body }, null, 2)}\n`;
}

/** A JSON object from a map, keys sorted so files are stable and diffable. */
export function sortedObject<V, J>(map: ReadonlyMap<string, V>, encode: (value: V) => J): Record<string, J> {
  return Object.fromEntries([...map.keys()].sort().map((key) => [key, encode(map.get(key) as V)]));
}
