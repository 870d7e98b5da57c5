/**
 * D-H Key message (Protocol-v3, "D-H Key Message"), type 0x0a, the body after
 * the header (header.ts):
 *
 * | g^y | MPI | at most 192 bytes in the 1536-bit group |
 *
 * Whether g^y is a group element is the AKE's check, not the wire's.
 */
import type { DecodeError } from '../../errors.js';
import { MODP_MPI_BYTES } from '../limits-wire.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The D-H Key body. */
export interface DhKey {
  /** g^y as a minimal big-endian magnitude. */
  readonly gy: Uint8Array;
}

/** Reads a D-H Key body (the reader is positioned after the header). */
export function readDhKey(reader: Reader): DhKey {
  const gy = reader.mpi(MODP_MPI_BYTES, 'g^y');
  reader.end('D-H Key');
  return { gy };
}

/** Decodes a D-H Key body. */
export function decodeDhKey(body: Uint8Array): DhKey | DecodeError {
  return decodeWith(() => readDhKey(new Reader(body)));
}

/** Encodes a D-H Key body. */
export function encodeDhKey(message: DhKey): Uint8Array {
  return new Writer().mpi(message.gy).finish();
}
