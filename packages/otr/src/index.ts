/**
 * @sotto/otr: Off-the-Record messaging v4 (interactive), v3 and v2, sans-I/O.
 * The public surface; everything here is re-exported from its module.
 * Test helpers (deterministic randomness, outcome builder) live in
 * `@sotto/otr/testing`.
 */
export { Account, type AccountOptions, type ConversationStatus, type InstanceOption } from './session/account.js';
export { DeadlineTimer, type DeadlineTimerOptions } from './session/deadline-timer.js';
export { generateInstanceTag } from './session/instance-tag.js';
export { Policies, policyMode, type Policy } from './session/policy.js';
export {
  ed448KeyPairFromSymmetricKey,
  ed448PublicKeyFromBytes,
  generateV4Identity,
  v4Fingerprint,
  type GeneratedV4Identity,
  type GenerateV4IdentityOptions,
  type V4IdentityOptions,
} from './session/v4-identity.js';
export { IMPLEMENTED_VERSIONS, type ImplementedVersion } from './version.js';
export type { Outcome, OtrEvent, OutgoingMessage, ProtocolVersion, RefusalReason, RefusedCall, ShownMessage } from './outcome.js';
export { UsageError, type ProtocolErrorCode, type SmpAbortReason, type UsageErrorCode } from './errors.js';
export {
  DsaKeyError,
  DsaPrivateKey,
  Secret,
  checkDsaKeyParts,
  dsaPrivateKeyFromParts,
  dsaPrivateKeyFromPrivateParts,
  makeDsaPrivateKey,
  makeDsaPrivateKeyFromPrivateParts,
  dsaPrivateKeyToParts,
  fingerprint,
  formatFingerprint,
  generateDsaKey,
  systemRandom,
  type DsaKeyProblem,
  type DsaPublicKey,
  type RandomSource,
} from './crypto/index.js';
export { toHex } from './bytes.js';
/** OTRv4 long-term keys and our own Client Profile, for the key store (@sotto/store). */
export {
  decodePoint,
  ed448Fingerprint,
  Ed448KeyPair,
  Ed448Point,
  FINGERPRINT_BYTES as ED448_FINGERPRINT_BYTES,
  isCryptoRejection,
  POINT_BYTES as ED448_POINT_BYTES,
  SYMMETRIC_KEY_BYTES as ED448_SYMMETRIC_KEY_BYTES,
} from './crypto/v4/index.js';
export {
  CLIENT_PROFILE_LIFETIME_MS,
  CLIENT_PROFILE_REFRESH_MARGIN_MS,
  createClientProfile,
  loadOwnClientProfile,
  type ClientProfileVersions,
  type CreateClientProfileOptions,
  type OwnClientProfile,
  type StoredProfileProblem,
} from './v4/profile/index.js';
export * as limits from './limits.js';
