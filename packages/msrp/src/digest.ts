/**
 * The one file of @sotto/msrp that touches node:crypto: MD5 for HTTP digest
 * (RFC 2617, as RFC 4976 section 5 requires for relay AUTH) and the default
 * random source for transaction ids, Message-IDs, session ids and cnonces.
 * MD5 here is what the protocol mandates, not a choice of ours.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Fills `length` random bytes; injected so that tests are deterministic. */
export type RandomSource = (length: number) => Uint8Array;

/** Lower-case hexadecimal MD5 of the UTF-8 bytes of `text`. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The default random source (the operating system's CSPRNG). */
export const systemRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));
