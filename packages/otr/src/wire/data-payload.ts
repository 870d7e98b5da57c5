/**
 * The plaintext inside a data message (Protocol-v3, "Data Message"): the
 * human-readable message (UTF-8, possibly HTML), optionally followed by a
 * single NUL and zero or more TLV records (tlv.ts).
 *
 * | message | UTF-8 bytes, no NUL |
 * | 0x00    | only if TLVs follow |
 * | TLVs    | tlv.ts              |
 *
 * A message whose text part is empty is a heartbeat and is not shown. When
 * the bytes after the NUL end in a truncated record, the whole records
 * before it are kept and `malformedTlvs` is set, as libotr keeps them too.
 */
import { decodeTlvsPrefix, encodeTlvs, type Tlv } from './tlv.js';

/** A decrypted plaintext split into message bytes and TLVs. */
export interface DataPayload {
  /** The human-readable part, UTF-8 bytes (decoding them is the session's choice). */
  readonly message: Uint8Array;
  readonly tlvs: Tlv[];
  /** True when the bytes after the NUL ended in a truncated TLV. */
  readonly malformedTlvs: boolean;
}

/** Splits a decrypted plaintext at the first NUL. Never fails: every byte string is some payload. */
export function decodeDataPayload(plaintext: Uint8Array): DataPayload {
  // Buffer's indexOf is memchr; a typed array's walks element by element.
  const nul = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).indexOf(0);
  if (nul < 0) return { message: plaintext, tlvs: [], malformedTlvs: false };
  const { tlvs, complete } = decodeTlvsPrefix(plaintext.subarray(nul + 1));
  return { message: plaintext.subarray(0, nul), tlvs, malformedTlvs: !complete };
}

/**
 * Joins message bytes and TLVs, with the NUL only when there are TLVs.
 * A NUL inside `message` would cut it short at the receiver, so the
 * message is taken up to its first NUL.
 */
export function encodeDataPayload(message: Uint8Array, tlvs: readonly Tlv[]): Uint8Array {
  const nul = message.indexOf(0);
  const text = nul < 0 ? message : message.subarray(0, nul);
  if (tlvs.length === 0) return text;
  const encoded = encodeTlvs(tlvs);
  const out = new Uint8Array(text.length + 1 + encoded.length);
  out.set(text, 0);
  out.set(encoded, text.length + 1);
  return out;
}

const utf8 = new TextEncoder();

/**
 * {@link encodeDataPayload} for a message given as text: its UTF-8 (up to
 * its first NUL) and the TLVs written straight into one array, which the
 * caller may wipe once it is encrypted. Lone surrogates become U+FFFD.
 */
export function encodeTextPayload(text: string, tlvs: readonly Tlv[]): Uint8Array {
  const nul = text.indexOf('\0');
  const message = nul < 0 ? text : text.slice(0, nul);
  const messageLength = Buffer.byteLength(message, 'utf8');
  const encodedTlvs = tlvs.length === 0 ? undefined : encodeTlvs(tlvs);
  const out = new Uint8Array(messageLength + (encodedTlvs === undefined ? 0 : 1 + encodedTlvs.length));
  const { written } = utf8.encodeInto(message, out);
  if (written !== messageLength) {
    out.fill(0);
    return encodeDataPayload(utf8.encode(message), tlvs);
  }
  if (encodedTlvs !== undefined) out.set(encodedTlvs, messageLength + 1);
  return out;
}

/** True when the payload is a heartbeat: an empty human-readable part. */
export function isHeartbeat(payload: DataPayload): boolean {
  return payload.message.length === 0;
}
