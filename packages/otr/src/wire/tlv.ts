/**
 * TLV records inside decrypted data messages (Protocol-v3, "Data Message"):
 * Type (SHORT), Length (SHORT), Value. Unknown types are kept; the session
 * ignores them.
 */
import type { DecodeError } from '../errors.js';
import { decodeWith, Reader } from './reader.js';
import { Writer } from './writer.js';

/** A TLV record. */
export interface Tlv {
  readonly type: number;
  readonly value: Uint8Array;
}

/** Type 0: padding. */
export const TLV_PADDING = 0;
/** Type 1: the sender ended the private conversation. */
export const TLV_DISCONNECTED = 1;
/** Types 2 to 5: SMP messages 1 to 4. */
export const TLV_SMP1 = 2;
export const TLV_SMP2 = 3;
export const TLV_SMP3 = 4;
export const TLV_SMP4 = 5;
/** Type 6: SMP abort. */
export const TLV_SMP_ABORT = 6;
/** Type 7: SMP message 1 with a question. */
export const TLV_SMP1Q = 7;
/** Type 8: use of the extra symmetric key (4-byte use, then use-specific data). */
export const TLV_EXTRA_KEY = 8;

/** Decodes a sequence of TLVs filling `bytes` exactly. */
export function decodeTlvs(bytes: Uint8Array): Tlv[] | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const tlvs: Tlv[] = [];
    while (reader.remaining > 0) {
      const type = reader.u16('TLV type');
      const length = reader.u16('TLV length');
      tlvs.push({ type, value: reader.fixed(length, 'TLV value') });
    }
    return tlvs;
  });
}

/** Encodes TLVs; a value longer than 65535 bytes is a programming error. */
export function encodeTlvs(tlvs: readonly Tlv[]): Uint8Array {
  const writer = new Writer();
  for (const tlv of tlvs) {
    if (tlv.value.length > 0xffff) throw new RangeError('TLV value longer than 65535 bytes');
    writer.u16(tlv.type).u16(tlv.value.length).bytes(tlv.value);
  }
  return writer.finish();
}
