/**
 * TLV records inside a decrypted data message (Protocol-v3, "Data Message"):
 *
 * | Type   | SHORT |                     |
 * | Length | SHORT |                     |
 * | Value  | Length bytes              | |
 *
 * Records of unknown types are decoded and kept: the spec says to ignore
 * them, which is the session's business, not the decoder's.
 */
import { DecodeError, UsageError } from '../errors.js';
import { decodeWith, Reader } from './reader.js';
import { Writer } from './writer.js';

/** A TLV record. */
export interface Tlv {
  readonly type: number;
  readonly value: Uint8Array;
}

/** Type 0: padding; the value is ignored (it disguises the message length). */
export const TLV_PADDING = 0;
/** Type 1: the sender ended the private conversation; empty value. */
export const TLV_DISCONNECTED = 1;
/** Type 2: SMP message 1. */
export const TLV_SMP1 = 2;
/** Type 3: SMP message 2. */
export const TLV_SMP2 = 3;
/** Type 4: SMP message 3. */
export const TLV_SMP3 = 4;
/** Type 5: SMP message 4. */
export const TLV_SMP4 = 5;
/** Type 6: SMP abort; empty value. */
export const TLV_SMP_ABORT = 6;
/** Type 7: SMP message 1 preceded by a NUL-terminated question. */
export const TLV_SMP1Q = 7;
/** Type 8: use of the extra symmetric key: a 4-byte use, then use-specific data. */
export const TLV_EXTRA_KEY = 8;
/** Longest TLV value: the length field is a SHORT. */
const MAX_TLV_VALUE_BYTES = 0xffff;

/** The value of a type 8 TLV. */
export interface ExtraKeyUse {
  /** What the extra symmetric key is for (no uses are defined by the spec). */
  readonly use: number;
  readonly useData: Uint8Array;
}

/** Reads TLVs until the bytes run out. */
function readTlvs(reader: Reader, tlvs: Tlv[]): void {
  while (reader.remaining > 0) {
    const type = reader.u16('TLV type');
    const length = reader.u16('TLV length');
    tlvs.push({ type, value: reader.fixed(length, 'TLV value') });
  }
}

/** Decodes a sequence of TLVs that fills `bytes` exactly; a truncated record is a DecodeError. */
export function decodeTlvs(bytes: Uint8Array): Tlv[] | DecodeError {
  return decodeWith(() => {
    const tlvs: Tlv[] = [];
    readTlvs(new Reader(bytes), tlvs);
    return tlvs;
  });
}

/**
 * Decodes as many whole TLVs as `bytes` holds, like libotr's otrl_tlv_parse:
 * `complete` is false when a truncated record was left at the end.
 */
export function decodeTlvsPrefix(bytes: Uint8Array): { readonly tlvs: Tlv[]; readonly complete: boolean } {
  const tlvs: Tlv[] = [];
  const result = decodeWith(() => readTlvs(new Reader(bytes), tlvs));
  return { tlvs, complete: !(result instanceof DecodeError) };
}

/** Encodes TLVs. A type or value length that does not fit a SHORT is a UsageError. */
export function encodeTlvs(tlvs: readonly Tlv[]): Uint8Array {
  const writer = new Writer();
  for (const tlv of tlvs) {
    if (!Number.isInteger(tlv.type) || tlv.type < 0 || tlv.type > 0xffff) throw new UsageError('bad-tlv', 'TLV type must be 0..65535');
    if (tlv.value.length > MAX_TLV_VALUE_BYTES) throw new UsageError('bad-tlv', 'TLV value longer than 65535 bytes');
    writer.u16(tlv.type).u16(tlv.value.length).bytes(tlv.value);
  }
  return writer.finish();
}

/** Decodes the value of a type 8 TLV. */
export function decodeExtraKeyUse(value: Uint8Array): ExtraKeyUse | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(value);
    const use = reader.u32('extra key use');
    return { use, useData: reader.rest() };
  });
}

/** Encodes the value of a type 8 TLV. */
export function encodeExtraKeyUse(value: ExtraKeyUse): Uint8Array {
  return new Writer().u32(value.use).bytes(value.useData).finish();
}
