/**
 * The end-line of RFC 4975 section 9, `"-------" transact-id
 * continuation-flag CRLF`, as byte patterns for the parser's search.
 */
import { utf8 } from './bytes.js';

/** True for `$` (0x24), `+` (0x2b) and `#` (0x23). */
export function isFlag(byte: number | undefined): boolean {
  return byte === 0x24 || byte === 0x2b || byte === 0x23;
}

/** The bytes that end a body: CRLF "-------" transaction id. */
export function bodyEnd(transactionId: string): Uint8Array {
  return utf8(`\r\n-------${transactionId}`);
}

/** True when `view` begins with `prefix`. */
export function startsWith(view: Uint8Array, prefix: Uint8Array): boolean {
  if (view.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (view[i] !== prefix[i]) return false;
  return true;
}

/** True when `view` is a prefix of `full` (so more bytes could still complete it). */
export function prefixOf(view: Uint8Array, full: Uint8Array): boolean {
  const n = Math.min(view.length, full.length);
  for (let i = 0; i < n; i++) if (view[i] !== full[i]) return false;
  return true;
}
