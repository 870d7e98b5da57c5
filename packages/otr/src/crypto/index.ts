/**
 * The cryptography of @sotto/otr (Protocol-v3: DH, DSA, AES-CTR, SHA-1/SHA-256
 * and their HMACs, the v2/v3 key derivation); the only module that touches
 * node:crypto. Bigint helpers stay private to crypto/.
 */
export { aes128Ctr, aes128CtrBlock, ZERO_COUNTER } from './aes-ctr.js';
export { constantTimeEqual } from './constant-time.js';
export { compareDhPublic, dhSharedSecret, generateDhKeyPair, isValidDhPublic, type DhKeyPair } from './dh.js';
export {
  checkDsaKeyParts,
  DSA_P_BITS,
  DSA_Q_BITS,
  DsaKeyError,
  DsaPrivateKey,
  dsaPrivateKeyFromParts,
  dsaPrivateKeyFromPrivateParts,
  dsaPrivateKeyToParts,
  dsaSign,
  dsaVerify,
  fingerprint,
  formatFingerprint,
  generateDsaKey,
  hasOtrDsaSizes,
  isValidDsaPublicKey,
  makeDsaPrivateKey,
  makeDsaPrivateKeyFromPrivateParts,
  type DsaKeyProblem,
  type DsaPublicKey,
} from './dsa.js';
export { hmacSha1, hmacSha256, hmacSha256_160, sha1, sha256 } from './hash.js';
export { deterministicRandom, systemRandom, type RandomSource } from './random.js';
export { Secret, wipeAll, type Wipeable } from './secret.js';
export { deriveAkeKeys, deriveDataKeys, extraSymmetricKey, type AkeKeys, type DataKeys } from './v3/kdf.js';
