/**
 * What the format parsers return: a value, or a problem described for a
 * person (with a line number where there is one). Parsers never throw on bad
 * input; the importers turn a problem into a 'bad-import' StoreError naming
 * the file.
 */

/** A parse result. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** A successful parse. */
export function parsed<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

/** A failed parse. */
export function problem<T = never>(text: string): Parsed<T> {
  return { ok: false, problem: text };
}

/** Import files larger than this are refused before parsing (real ones are a few kilobytes). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
