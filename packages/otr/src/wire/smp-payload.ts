/**
 * SMP TLV payloads (Protocol-v3, "SMP Message TLVs"): an INT count and that
 * many MPIs; SMP message 1Q starts with a NUL-terminated UTF-8 question.
 */
import { DecodeError } from '../errors.js';
import { MODP_MPI_BYTES } from './limits-wire.js';
import { decodeWith, fail, Reader } from './reader.js';
import { Writer } from './writer.js';

/** Decodes an MPI list of exactly `expected` values. */
export function decodeSmpPayload(bytes: Uint8Array, expected: number): Uint8Array[] | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const count = reader.u32('MPI count');
    if (count !== expected) fail('bad-field', `expected ${expected} MPIs, got ${count}`);
    const values: Uint8Array[] = [];
    for (let i = 0; i < count; i++) values.push(reader.mpi(MODP_MPI_BYTES, 'SMP value'));
    reader.end('SMP message');
    return values;
  });
}

/** Encodes an MPI list. */
export function encodeSmpPayload(values: readonly Uint8Array[]): Uint8Array {
  const writer = new Writer().u32(values.length);
  for (const value of values) writer.mpi(value);
  return writer.finish();
}

/** Splits SMP message 1Q into its question (UTF-8, invalid bytes replaced) and the SMP 1 payload. */
export function splitSmpQuestion(bytes: Uint8Array): { question: string; payload: Uint8Array } | DecodeError {
  const nul = bytes.indexOf(0);
  if (nul < 0) return new DecodeError('bad-field', 'SMP question without terminating NUL');
  return { question: new TextDecoder().decode(bytes.subarray(0, nul)), payload: bytes.subarray(nul + 1) };
}

/** Prefixes an SMP 1 payload with a NUL-terminated question. */
export function joinSmpQuestion(question: string, payload: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(question.replaceAll('\0', ''));
  const out = new Uint8Array(text.length + 1 + payload.length);
  out.set(text, 0);
  out.set(payload, text.length + 1);
  return out;
}
