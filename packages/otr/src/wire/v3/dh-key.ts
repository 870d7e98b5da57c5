/**
 * D-H Key message body (Protocol-v3, "D-H Key Message"):
 *
 * | g^y | MPI |
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The D-H Key body. */
export interface DhKey {
  readonly gy: Uint8Array;
}

/** Decodes a D-H Key body (range checks of g^y belong to the AKE). */
export function decodeDhKey(body: Uint8Array): DhKey | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(body);
    const gy = reader.mpi(192, 'g^y');
    reader.end('D-H Key');
    return { gy };
  });
}

/** Encodes a D-H Key body. */
export function encodeDhKey(message: DhKey): Uint8Array {
  return new Writer().mpi(message.gy).finish();
}
