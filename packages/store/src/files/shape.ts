/**
 * Checking the shape of the store's own JSON files. The files are versioned
 * (`"version": 1`); anything that does not match exactly is reported as
 * corrupt, naming the file and the field, and is never repaired or replaced.
 */
import { StoreError } from '../errors.js';

/** The store format version these modules write and read. */
export const FORMAT_VERSION = 1;

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
 * Parses a store file and runs `decode` on its body, turning every failure
 * into a 'corrupt' StoreError that names the file and says it was left alone.
 */
export function decodeVersioned<T>(bytes: Uint8Array, path: string, decode: (body: Record<string, unknown>) => T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw corrupt(path, 'it is not valid JSON');
  }
  try {
    const body = object(parsed, 'the file');
    const version = body.version;
    if (typeof version === 'number' && version > FORMAT_VERSION) {
      throw new StoreError(
        'corrupt',
        `${path} was written by a newer sotto (format version ${version}; this one reads ${FORMAT_VERSION}). Upgrade sotto; the file was left untouched`,
        path,
      );
    }
    if (version !== FORMAT_VERSION) throw new ShapeError('"version" is missing or unknown');
    return decode(body);
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
export function encodeVersioned(body: Record<string, unknown>): string {
  return `${JSON.stringify({ version: FORMAT_VERSION, ...body }, null, 2)}\n`;
}

/** A JSON object from a map, keys sorted so files are stable and diffable. */
export function sortedObject<V, J>(map: ReadonlyMap<string, V>, encode: (value: V) => J): Record<string, J> {
  return Object.fromEntries([...map.keys()].sort().map((key) => [key, encode(map.get(key) as V)]));
}
