/**
 * Transaction ids and Message-IDs: RFC 4975 section 9 `ident = ALPHANUM
 * 3*31ident-char`, `ident-char = ALPHANUM / "." / "-" / "+" / "%" / "="`
 * (msrplib checks the same with `[A-Za-z0-9][A-Za-z0-9.+%=-]{3,31}`).
 */
import { toHex } from './bytes.js';
import type { RandomSource } from './digest.js';

const IDENT = /^[A-Za-z0-9][A-Za-z0-9.+%=-]{3,31}$/;

/** True when `text` is a valid transaction id or Message-ID. */
export function isIdent(text: string): boolean {
  return IDENT.test(text);
}

/** A fresh 16-hex-digit id (64 random bits, as msrplib makes them). */
export function newIdent(random: RandomSource): string {
  return toHex(random(8));
}

/** A fresh session id for an own MSRP URI (80 random bits in hex, as msrplib). */
export function newSessionId(random: RandomSource): string {
  return toHex(random(10));
}
