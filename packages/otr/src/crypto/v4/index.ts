/**
 * The OTRv4 cryptography (see README.md for the spec sections): Ed448 points
 * and scalars, long-term keys and EdDSA, the SHAKE-256 KDFs with their usage
 * IDs, the 3072-bit DH group and brace keys, the ring signature, and the
 * data message's cipher and MAC. Bigints stay inside crypto/.
 */
export {
  decodePoint,
  ecdhSharedSecret,
  Ed448Point,
  ed448OperationCounts,
  encodePoint,
  generateEcdhKeyPair,
  hashToScalar,
  keyPairFromSymmetricKey,
  multiplyBase,
  multiplyPoint,
  multiplyAddPublic,
  multiplyPointPublic,
  opensslBasePointInUse,
  POINT_BYTES,
  randomScalar,
  randomScalarAndBasePoint,
  resetEd448OperationCounts,
  secretScalarFromSymmetricKey,
  type EcdhKeyPair,
} from './ed448.js';
export {
  ed448Fingerprint,
  Ed448KeyPair,
  EDDSA_SIGNATURE_BYTES,
  FINGERPRINT_BYTES,
  SYMMETRIC_KEY_BYTES,
  verifyEd448Signature,
} from './eddsa.js';
export { hcmac, hwc, kdf, shake256, USAGE, type UsageId } from './kdf.js';
export {
  BRACE_KEY_BYTES,
  braceKeyFromSharedSecret,
  checkDh3072Public,
  DH3072_BYTES,
  dh3072SharedSecret,
  generateDh3072KeyPair,
  isValidDh3072Public,
  nextBraceKey,
  type Dh3072KeyPair,
} from './dh3072.js';
export {
  decodeRingSignature,
  encodeRingSignature,
  RING_SIGNATURE_BYTES,
  ringSign,
  ringVerify,
  type Ring,
  type RingSignature,
  type RingSigner,
} from './ring-signature.js';
export {
  AUTHENTICATOR_BYTES,
  dataMessageAuthenticator,
  decryptDataMessage,
  deriveFurtherExtraKey,
  deriveMessageKeys,
  encryptDataMessage,
  EXTRA_KEY_CONTEXT_BYTES,
  extraSymmetricKey,
  MESSAGE_KEY_BYTES,
  verifyDataMessageAuthenticator,
  type MessageKeys,
} from './data-message.js';
export { CryptoRejection, isCryptoRejection, rejectionReason, type CryptoRejectionCode } from './rejection.js';
export { decodeScalar, SCALAR_BYTES, scalarAdd, scalarMul, scalarNegate, scalarSub } from './scalar.js';
