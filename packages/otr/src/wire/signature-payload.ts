/**
 * The signed structures of the AKE (Protocol-v3, "Reveal Signature Message"
 * and "Signature Message"). X_B (and X_A) is what the encrypted signature
 * field carries once decrypted:
 *
 * | pub_B       | PUBKEY | public-key.ts                         |
 * | keyid_B     | INT    | > 0                                   |
 * | sig_B(M_B)  | SIG    | r then s, each len(q) bytes (20 for DSA-1024) |
 *
 * M_B (and M_A) is SHA256-HMAC_m1 over this input, which is what the
 * signer's DSA signature signs after the MAC:
 *
 * | g^x (signer's own D-H value, for M_B; g^y for M_A) | MPI    |
 * | g^y (the other D-H value)                          | MPI    |
 * | pub_B                                              | PUBKEY |
 * | keyid_B                                            | INT    |
 */
import type { DecodeError } from '../errors.js';
import { MODP_MPI_BYTES } from './limits-wire.js';
import { MAX_DSA_MPI_BYTES, readPublicKey, writePublicKey, type PublicKeyFields } from './public-key.js';
import { decodeWith, fail, Reader } from './reader.js';
import { Writer } from './writer.js';

/** Largest signature accepted: r and s of a 256-bit q. */
const MAX_SIGNATURE_BYTES = 64;
/** Largest X accepted: a PUBKEY of 3072-bit parameters, the keyid and the largest signature. */
export const MAX_SIGNATURE_PAYLOAD_BYTES = 2 + 4 * (4 + MAX_DSA_MPI_BYTES) + 4 + MAX_SIGNATURE_BYTES;
/** Former name of {@link MAX_SIGNATURE_PAYLOAD_BYTES}. */
export const MAX_SIGNED_KEY_BYTES = MAX_SIGNATURE_PAYLOAD_BYTES;

/** X_A or X_B. */
export interface SignaturePayload {
  readonly publicKey: PublicKeyFields;
  readonly keyId: number;
  /** r || s, 2 * len(q) bytes. */
  readonly signature: Uint8Array;
}

/** The input of M_A or M_B. */
export interface SignatureMacInput {
  /** The signer's own D-H public value (g^x in M_B, g^y in M_A). */
  readonly ownDh: Uint8Array;
  /** The other party's D-H public value. */
  readonly otherDh: Uint8Array;
  readonly publicKey: PublicKeyFields;
  readonly keyId: number;
}

/** Decodes a decrypted X; the signature must take exactly 2 * len(q) bytes. */
export function decodeSignaturePayload(bytes: Uint8Array): SignaturePayload | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const publicKey = readPublicKey(reader);
    const keyId = reader.u32('keyid');
    const signatureLength = 2 * publicKey.q.length;
    if (signatureLength === 0 || signatureLength > MAX_SIGNATURE_BYTES) fail('bad-field', 'DSA q has an unusable length');
    const signature = reader.fixed(signatureLength, 'signature');
    reader.end('signature payload');
    return { publicKey, keyId, signature };
  });
}

/** Encodes X. */
export function encodeSignaturePayload(value: SignaturePayload): Uint8Array {
  return writePublicKey(new Writer(), value.publicKey).u32(value.keyId).bytes(value.signature).finish();
}

/** Encodes the input of M_A / M_B. */
export function encodeSignatureMacInput(input: SignatureMacInput): Uint8Array {
  return writePublicKey(new Writer().mpi(input.ownDh).mpi(input.otherDh), input.publicKey).u32(input.keyId).finish();
}

/** Decodes the input of M_A / M_B (for tests and tools; the AKE only encodes it). */
export function decodeSignatureMacInput(bytes: Uint8Array): SignatureMacInput | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const ownDh = reader.mpi(MODP_MPI_BYTES, 'own D-H value');
    const otherDh = reader.mpi(MODP_MPI_BYTES, 'other D-H value');
    const publicKey = readPublicKey(reader);
    const keyId = reader.u32('keyid');
    reader.end('signature MAC input');
    return { ownDh, otherDh, publicKey, keyId };
  });
}

/** Positional form of {@link encodeSignatureMacInput} (signer's D-H value first). */
export function encodeAuthenticatorInput(ownDh: Uint8Array, otherDh: Uint8Array, publicKey: PublicKeyFields, keyId: number): Uint8Array {
  return encodeSignatureMacInput({ ownDh, otherDh, publicKey, keyId });
}

/** Former name of {@link decodeSignaturePayload}. */
export const decodeSignedKey = decodeSignaturePayload;
/** Former name of {@link encodeSignaturePayload}. */
export const encodeSignedKey = encodeSignaturePayload;
/** Former name of {@link SignaturePayload}. */
export type SignedKey = SignaturePayload;
