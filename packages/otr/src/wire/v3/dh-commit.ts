/**
 * D-H Commit message (Protocol-v3, "D-H Commit Message"), type 0x02, the
 * body after the header (header.ts):
 *
 * | Encrypted g^x | DATA | AES128-CTR_r(MPI(g^x)), initial counter 0 |
 * | Hashed g^x    | DATA | SHA256(MPI(g^x)), exactly 32 bytes        |
 *
 * The same body serves versions 2 and 3; only the header differs.
 */
import { DecodeError } from '../../errors.js';
import { MODP_MPI_BYTES } from '../limits-wire.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The D-H Commit body. */
export interface DhCommit {
  /** AES128-CTR_r(MPI(g^x)): as long as the MPI, at most 4 + 192 bytes. */
  readonly encryptedGx: Uint8Array;
  /** SHA256(MPI(g^x)). */
  readonly hashedGx: Uint8Array;
}

/** Largest accepted encrypted g^x: an MPI of at most 192 bytes plus its 4-byte length. */
const MAX_ENCRYPTED_GX_BYTES = 4 + MODP_MPI_BYTES;
/** Length of the hashed g^x (SHA-256). */
const HASHED_GX_BYTES = 32;

/** Reads a D-H Commit body (the reader is positioned after the header). */
export function readDhCommit(reader: Reader): DhCommit {
  const encryptedGx = reader.data(MAX_ENCRYPTED_GX_BYTES, 'encrypted g^x');
  const hashedGx = reader.data(HASHED_GX_BYTES, 'hashed g^x');
  if (hashedGx.length !== HASHED_GX_BYTES) fail('bad-field', 'hashed g^x is not 32 bytes');
  reader.end('D-H Commit');
  return { encryptedGx, hashedGx };
}

/** Decodes a D-H Commit body. */
export function decodeDhCommit(body: Uint8Array): DhCommit | DecodeError {
  return decodeWith(() => readDhCommit(new Reader(body)));
}

/** Encodes a D-H Commit body. */
export function encodeDhCommit(message: DhCommit): Uint8Array {
  return new Writer().data(message.encryptedGx).data(message.hashedGx).finish();
}

/**
 * Decodes the decrypted "encrypted g^x": it must be exactly one MPI of at
 * most 192 bytes (the AKE then checks it is a group element and hashes to
 * the committed value). Returns the MPI's magnitude.
 */
export function decodeCommittedGx(decrypted: Uint8Array): Uint8Array | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(decrypted);
    const gx = reader.mpi(MODP_MPI_BYTES, 'g^x');
    reader.end('g^x');
    return gx;
  });
}

/** Like {@link decodeCommittedGx}, but undefined instead of a DecodeError. */
export function decodeMpiExactly(bytes: Uint8Array): Uint8Array | undefined {
  const result = decodeCommittedGx(bytes);
  return result instanceof DecodeError ? undefined : result;
}
