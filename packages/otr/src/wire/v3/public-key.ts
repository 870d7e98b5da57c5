/**
 * OTR public authentication key, PUBKEY (Protocol-v3, "Public keys,
 * signatures, and fingerprints"):
 *
 * | Pubkey type | SHORT | 0x0000 for DSA |
 * | p, q, g, y  | MPI   | DSA parameters |
 */
import type { DsaPublicKey } from '../../crypto/index.js';
import { fail, type Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** Largest DSA parameter accepted (3072-bit p). */
const MAX_DSA_MPI = 384;

/** Reads a PUBKEY; only type 0 (DSA) exists. */
export function readPublicKey(reader: Reader): DsaPublicKey {
  const type = reader.u16('pubkey type');
  if (type !== 0) fail('bad-type', `pubkey type ${type}`);
  const p = reader.mpi(MAX_DSA_MPI, 'p');
  const q = reader.mpi(MAX_DSA_MPI, 'q');
  const g = reader.mpi(MAX_DSA_MPI, 'g');
  const y = reader.mpi(MAX_DSA_MPI, 'y');
  return { p, q, g, y };
}

/** Writes a PUBKEY. */
export function writePublicKey(writer: Writer, key: DsaPublicKey): Writer {
  return writer.u16(0).mpi(key.p).mpi(key.q).mpi(key.g).mpi(key.y);
}
