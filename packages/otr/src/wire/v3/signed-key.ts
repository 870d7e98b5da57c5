/**
 * The signed structures of the AKE (Protocol-v3, "Reveal Signature Message"):
 *
 * X = | pub   | PUBKEY |          M = | own g^x   | MPI    |
 *     | keyid | INT    |              | other g^y | MPI    |
 *     | sig(M)| SIG    |              | pub       | PUBKEY |
 *                                     | keyid     | INT    |
 *
 * SIG is r || s, each len(q) bytes.
 */
import type { DsaPublicKey } from '../../crypto/index.js';
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readPublicKey, writePublicKey } from './public-key.js';

/** Largest X accepted: a 3072-bit key with its parameters and a 64-byte signature. */
export const MAX_SIGNED_KEY_BYTES = 2 + 4 * (4 + 384) + 4 + 64;

/** X_A or X_B. */
export interface SignedKey {
  readonly publicKey: DsaPublicKey;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** Decodes a decrypted X; the signature takes 2 * len(q) bytes. */
export function decodeSignedKey(bytes: Uint8Array): SignedKey | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const publicKey = readPublicKey(reader);
    const keyId = reader.u32('keyid');
    const signature = reader.fixed(2 * publicKey.q.length, 'signature');
    reader.end('signed key');
    return { publicKey, keyId, signature };
  });
}

/** Encodes X. */
export function encodeSignedKey(value: SignedKey): Uint8Array {
  return writePublicKey(new Writer(), value.publicKey).u32(value.keyId).bytes(value.signature).finish();
}

/** Encodes the MAC input of M: the signer's DH value first. */
export function encodeAuthenticatorInput(ownDh: Uint8Array, otherDh: Uint8Array, publicKey: DsaPublicKey, keyId: number): Uint8Array {
  return writePublicKey(new Writer().mpi(ownDh).mpi(otherDh), publicKey).u32(keyId).finish();
}

/** Decodes bytes that must be exactly one MPI (the decrypted g^x); undefined otherwise. */
export function decodeMpiExactly(bytes: Uint8Array): Uint8Array | undefined {
  const result = decodeWith(() => {
    const reader = new Reader(bytes);
    const value = reader.mpi(192, 'g^x');
    reader.end('g^x');
    return value;
  });
  return result instanceof Uint8Array ? result : undefined;
}
