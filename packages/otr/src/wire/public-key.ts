/**
 * OTR public authentication key, PUBKEY (Protocol-v3, "Public keys,
 * signatures, and fingerprints"):
 *
 * | Pubkey type | SHORT | 0x0000 for DSA, the only type |
 * | p           | MPI   | DSA prime                     |
 * | q           | MPI   | DSA subgroup order            |
 * | g           | MPI   | DSA generator                 |
 * | y           | MPI   | DSA public value              |
 *
 * Only the syntax is checked here; whether the numbers form a usable DSA key
 * is crypto/'s question.
 */
import type { DecodeError } from '../errors.js';
import { decodeWith, fail, Reader } from './reader.js';
import { Writer } from './writer.js';

/** The DSA key type. */
export const PUBKEY_TYPE_DSA = 0x0000;
/** Largest DSA parameter accepted, in bytes (3072-bit p). */
export const MAX_DSA_MPI_BYTES = 384;

/** The four DSA public parameters as minimal big-endian magnitudes (structurally crypto/'s DsaPublicKey). */
export interface PublicKeyFields {
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly g: Uint8Array;
  readonly y: Uint8Array;
}

/** Reads a PUBKEY; any type other than 0 (DSA) is `bad-type`. */
export function readPublicKey(reader: Reader): PublicKeyFields {
  const type = reader.u16('pubkey type');
  if (type !== PUBKEY_TYPE_DSA) fail('bad-type', `pubkey type ${type}`);
  const p = reader.mpi(MAX_DSA_MPI_BYTES, 'p');
  const q = reader.mpi(MAX_DSA_MPI_BYTES, 'q');
  const g = reader.mpi(MAX_DSA_MPI_BYTES, 'g');
  const y = reader.mpi(MAX_DSA_MPI_BYTES, 'y');
  return { p, q, g, y };
}

/** Writes a PUBKEY of type DSA. */
export function writePublicKey(writer: Writer, key: PublicKeyFields): Writer {
  return writer.u16(PUBKEY_TYPE_DSA).mpi(key.p).mpi(key.q).mpi(key.g).mpi(key.y);
}

/** Decodes bytes that are exactly one PUBKEY. */
export function decodePublicKey(bytes: Uint8Array): PublicKeyFields | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const key = readPublicKey(reader);
    reader.end('public key');
    return key;
  });
}

/** Encodes a PUBKEY. (Fingerprints hash these bytes without the two type bytes.) */
export function encodePublicKey(key: PublicKeyFields): Uint8Array {
  return writePublicKey(new Writer(), key).finish();
}
