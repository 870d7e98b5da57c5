/**
 * SMP TLV payloads (Protocol-v3, "SMP Message TLVs" and "The SMP state
 * machine"): an INT count and that many MPIs.
 *
 * | MPI count | INT |                                     |
 * | MPI 1..n  | MPI | in the order the state machine lists |
 *
 * SMP message 1Q (TLV 7) starts with a NUL-terminated UTF-8 question, then
 * the payload of message 1. Decoders return MPI bodies with leading zeros
 * stripped, as opaque byte strings; range and proof checks are crypto's
 * business (crypto/v3/smp-math.ts).
 */
import { DecodeError, UsageError } from '../errors.js';
import { MODP_MPI_BYTES } from './limits-wire.js';
import { decodeWith, fail, Reader } from './reader.js';
import { Writer } from './writer.js';

/** A list of exactly `N` MPI bodies (crypto/v3/smp-math.ts names each value of each message). */
export type MpiList<N extends number, Values extends readonly Uint8Array[] = []> = Values['length'] extends N
  ? Values
  : MpiList<N, readonly [...Values, Uint8Array]>;

/** How many MPIs each SMP message carries (libotr's SM_MSG1_LEN .. SM_MSG4_LEN). */
export const SMP_MPI_COUNTS = { 1: 6, 2: 11, 3: 8, 4: 3 } as const;

/**
 * Decodes an MPI list of exactly `expected` values, each at most 192 bytes
 * (no value of the 1536-bit group or its exponents is longer). A count that
 * differs from `expected`, a truncated MPI or trailing bytes is a DecodeError.
 */
export function decodeSmpPayload(bytes: Uint8Array, expected: number): Uint8Array[] | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const count = reader.u32('SMP MPI count');
    if (count !== expected) fail('bad-field', `SMP message: expected ${expected} MPIs, got ${count}`);
    const values: Uint8Array[] = [];
    for (let i = 0; i < count; i++) values.push(reader.mpi(MODP_MPI_BYTES, 'SMP value'));
    reader.end('SMP message');
    return values;
  });
}

/** Decodes the payload of SMP message 1 (6 MPIs). */
export function decodeSmpMessage1(bytes: Uint8Array): MpiList<6> | DecodeError {
  return decodeSmpPayload(bytes, SMP_MPI_COUNTS[1]) as MpiList<6> | DecodeError;
}

/** Decodes the payload of SMP message 2 (11 MPIs). */
export function decodeSmpMessage2(bytes: Uint8Array): MpiList<11> | DecodeError {
  return decodeSmpPayload(bytes, SMP_MPI_COUNTS[2]) as MpiList<11> | DecodeError;
}

/** Decodes the payload of SMP message 3 (8 MPIs). */
export function decodeSmpMessage3(bytes: Uint8Array): MpiList<8> | DecodeError {
  return decodeSmpPayload(bytes, SMP_MPI_COUNTS[3]) as MpiList<8> | DecodeError;
}

/** Decodes the payload of SMP message 4 (3 MPIs). */
export function decodeSmpMessage4(bytes: Uint8Array): MpiList<3> | DecodeError {
  return decodeSmpPayload(bytes, SMP_MPI_COUNTS[4]) as MpiList<3> | DecodeError;
}

/** Encodes an MPI list (any SMP message): the count, then each value as a minimal MPI. */
export function encodeSmpPayload(values: readonly Uint8Array[]): Uint8Array {
  const writer = new Writer().u32(values.length);
  for (const value of values) writer.mpi(value);
  return writer.finish();
}

/**
 * Splits SMP message 1Q into its question and the message 1 payload. The
 * question is decoded as UTF-8 with invalid bytes replaced (U+FFFD), since
 * it is only shown to the user; a value without a NUL is a DecodeError.
 */
export function splitSmpQuestion(bytes: Uint8Array): { question: string; payload: Uint8Array } | DecodeError {
  const nul = bytes.indexOf(0);
  if (nul < 0) return new DecodeError('bad-field', 'SMP question without terminating NUL');
  return { question: new TextDecoder().decode(bytes.subarray(0, nul)), payload: bytes.subarray(nul + 1) };
}

/**
 * Builds the value of SMP message 1Q: the question in UTF-8, a NUL, then the
 * message 1 payload. A question containing NUL cannot be encoded (libotr
 * would cut it there), so it is a UsageError.
 */
export function joinSmpQuestion(question: string, payload: Uint8Array): Uint8Array {
  if (question.includes('\0')) throw new UsageError('bad-smp-question', 'an SMP question cannot contain NUL');
  const text = new TextEncoder().encode(question);
  const out = new Uint8Array(text.length + 1 + payload.length);
  out.set(text, 0);
  out.set(payload, text.length + 1);
  return out;
}
