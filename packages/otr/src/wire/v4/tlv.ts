/**
 * OTRv4 TLV record types (otrv4.md, "TLV Record Types"). The record syntax
 * (SHORT type, SHORT length, value) is v3's: decode and encode records with
 * wire/tlv.ts's decodeTlvs and encodeTlvs. What differs is the numbering:
 *
 * | 0 | Padding               | ignored                                        |
 * | 1 | Disconnected          | may carry old MAC keys when the session expired|
 * | 2 | SMP Message 1         | v3's types 2 and 7 in one (question inside)    |
 * | 3 | SMP Message 2         |                                                |
 * | 4 | SMP Message 3         |                                                |
 * | 5 | SMP Message 4         |                                                |
 * | 6 | SMP Abort Message     | empty                                          |
 * | 7 | Extra symmetric key   | INT use ("context"), then use-specific data    |
 *
 * SMP message values are in smp-messages.ts.
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** TLV types of OTRv4. */
export const V4_TLV = {
  PADDING: 0,
  DISCONNECTED: 1,
  SMP1: 2,
  SMP2: 3,
  SMP3: 4,
  SMP4: 5,
  SMP_ABORT: 6,
  EXTRA_SYMMETRIC_KEY: 7,
} as const;

/** One of the {@link V4_TLV} types. */
export type V4TlvType = (typeof V4_TLV)[keyof typeof V4_TLV];

/** The value of a type 7 TLV. */
export interface ExtraSymmetricKeyUse {
  /**
   * The 4-byte indication of what the key is for (the spec's "context" in
   * "Extra Symmetric Key"; 0 when there is none). No uses are defined.
   */
  readonly context: number;
  /** Use-specific data (which file, etc.). */
  readonly data: Uint8Array;
}

/** Decodes the value of a type 7 TLV: fewer than 4 bytes is `truncated`. */
export function decodeExtraSymmetricKeyUse(value: Uint8Array): ExtraSymmetricKeyUse | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(value);
    const context = reader.u32('extra symmetric key context');
    return { context, data: reader.rest() };
  });
}

/** Encodes the value of a type 7 TLV. */
export function encodeExtraSymmetricKeyUse(use: ExtraSymmetricKeyUse): Uint8Array {
  if (!Number.isInteger(use.context) || use.context < 0 || use.context > 0xffffffff) throw new RangeError('the context is a 4-byte unsigned value');
  return new Writer().u32(use.context).bytes(use.data).finish();
}
