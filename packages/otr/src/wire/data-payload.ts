/**
 * The plaintext inside a data message (Protocol-v3, "Data Message"): the
 * human-readable message (UTF-8), optionally followed by a NUL and TLVs.
 * Malformed TLVs after the NUL are dropped, the message text is kept.
 */
import { isDecodeError } from '../errors.js';
import { decodeTlvs, encodeTlvs, type Tlv } from './tlv.js';

/** A decrypted plaintext split into message bytes and TLVs. */
export interface DataPayload {
  readonly message: Uint8Array;
  readonly tlvs: Tlv[];
  /** True when bytes after the NUL were not a valid TLV sequence. */
  readonly malformedTlvs: boolean;
}

/** Splits a decrypted plaintext at the first NUL. */
export function decodeDataPayload(plaintext: Uint8Array): DataPayload {
  const nul = plaintext.indexOf(0);
  if (nul < 0) return { message: plaintext, tlvs: [], malformedTlvs: false };
  const tlvs = decodeTlvs(plaintext.subarray(nul + 1));
  if (isDecodeError(tlvs)) return { message: plaintext.subarray(0, nul), tlvs: [], malformedTlvs: true };
  return { message: plaintext.subarray(0, nul), tlvs, malformedTlvs: false };
}

/** Joins message bytes and TLVs (a NUL only when there are TLVs). */
export function encodeDataPayload(message: Uint8Array, tlvs: readonly Tlv[]): Uint8Array {
  if (tlvs.length === 0) return message;
  const encoded = encodeTlvs(tlvs);
  const out = new Uint8Array(message.length + 1 + encoded.length);
  out.set(message, 0);
  out.set(encoded, message.length + 1);
  return out;
}
