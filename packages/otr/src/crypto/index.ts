/** The cryptography of @sotto/otr; the only module that touches node:crypto. */
export { aes128Ctr, ZERO_COUNTER } from './aes-ctr.js';
export { constantTimeEqual } from './constant-time.js';
export { dhSharedSecret, generateDhKeyPair, isValidDhPublic, type DhKeyPair } from './dh.js';
export {
  DsaPrivateKey,
  dsaPrivateKeyFromParts,
  dsaPrivateKeyToParts,
  dsaSign,
  dsaVerify,
  fingerprint,
  formatFingerprint,
  generateDsaKey,
  isValidDsaPublicKey,
  type DsaPublicKey,
} from './dsa.js';
export { hmacSha1, hmacSha256, hmacSha256_160, sha1, sha256 } from './hash.js';
export { deterministicRandom, systemRandom, type RandomSource } from './random.js';
export { Secret, wipeAll } from './secret.js';
export { deriveAkeKeys, deriveDataKeys, extraSymmetricKey, type AkeKeys, type DataKeys } from './v3-kdf.js';
