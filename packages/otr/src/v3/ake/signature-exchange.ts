/**
 * The authenticated half of the AKE (Protocol-v3, "Reveal Signature Message"
 * and "Signature Message"): building X = (pub, keyid, sig(M)) encrypted under
 * c (or c') and MACed with m2 (or m2'), and checking the peer's.
 *
 * M_B = MAC_m1(g^x, g^y, pub_B, keyid_B), M_A = MAC_m1'(g^y, g^x, pub_A, keyid_A):
 * the first DH value is always the signer's own.
 */
import {
  aes128Ctr,
  constantTimeEqual,
  dsaSign,
  dsaVerify,
  hasOtrDsaSizes,
  hmacSha256,
  hmacSha256_160,
  isValidDsaPublicKey,
  ZERO_COUNTER,
  type DsaPrivateKey,
  type DsaPublicKey,
  type RandomSource,
  type Secret,
} from '../../crypto/index.js';
import { decodeSignedKey, encodeAuthenticatorInput, encodeSignedKey, isDecodeError } from '../../wire/index.js';
import { Writer } from '../../wire/writer.js';

/** The keys one direction of the signature exchange uses. */
export interface SignatureKeys {
  /** c or c': encrypts X. */
  readonly encryptionKey: Secret;
  /** m1 or m1': computes M. */
  readonly authenticatorKey: Secret;
  /** m2 or m2': MACs the encrypted X. */
  readonly macKey: Secret;
}

/** Encrypted X and its MAC, as sent in Reveal Signature and Signature messages. */
export interface SealedSignature {
  readonly encryptedSignature: Uint8Array;
  readonly mac: Uint8Array;
}

/** What a verified peer signature tells us. */
export interface VerifiedSignature {
  readonly publicKey: DsaPublicKey;
  readonly keyId: number;
}

/** Why a peer's sealed signature was refused: a key that is not an OTR DSA key (p 1024, q 160 bits), or anything else that fails. */
export type SignatureRefusal = 'unsupported-key' | 'bad-signature';

/** The MAC covers the encrypted field including its 4-byte length (spec: "MAC'd signature"). */
function macOfEncrypted(macKey: Secret, encrypted: Uint8Array): Uint8Array {
  return hmacSha256_160(macKey.expose(), new Writer().data(encrypted).finish());
}

/** Builds AES_c(X) and MAC_m2(AES_c(X)) for our side. */
export function sealSignature(
  keys: SignatureKeys,
  ourDhPublic: Uint8Array,
  theirDhPublic: Uint8Array,
  privateKey: DsaPrivateKey,
  keyId: number,
  random: RandomSource,
): SealedSignature {
  const authenticator = hmacSha256(
    keys.authenticatorKey.expose(),
    encodeAuthenticatorInput(ourDhPublic, theirDhPublic, privateKey.publicKey, keyId),
  );
  const signature = dsaSign(privateKey, authenticator, random);
  const plain = encodeSignedKey({ publicKey: privateKey.publicKey, keyId, signature });
  const encryptedSignature = aes128Ctr(keys.encryptionKey.expose(), ZERO_COUNTER, plain);
  return { encryptedSignature, mac: macOfEncrypted(keys.macKey, encryptedSignature) };
}

/**
 * Checks the peer's sealed signature: MAC first (constant time), then decrypts
 * X, refuses a key of other sizes than OTR's DSA (before any arithmetic on
 * it), then verifies the DSA signature over M.
 */
export function openSignature(
  keys: SignatureKeys,
  sealed: SealedSignature,
  theirDhPublic: Uint8Array,
  ourDhPublic: Uint8Array,
): VerifiedSignature | SignatureRefusal {
  if (!constantTimeEqual(macOfEncrypted(keys.macKey, sealed.encryptedSignature), sealed.mac)) return 'bad-signature';
  const plain = aes128Ctr(keys.encryptionKey.expose(), ZERO_COUNTER, sealed.encryptedSignature);
  const signed = decodeSignedKey(plain);
  if (isDecodeError(signed)) return 'bad-signature';
  if (!hasOtrDsaSizes(signed.publicKey)) return 'unsupported-key';
  if (signed.keyId === 0 || !isValidDsaPublicKey(signed.publicKey)) return 'bad-signature';
  const authenticator = hmacSha256(
    keys.authenticatorKey.expose(),
    encodeAuthenticatorInput(theirDhPublic, ourDhPublic, signed.publicKey, signed.keyId),
  );
  if (!dsaVerify(signed.publicKey, authenticator, signed.signature)) return 'bad-signature';
  return { publicKey: signed.publicKey, keyId: signed.keyId };
}
