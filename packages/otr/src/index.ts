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
export { Ed448KeyPair, Ed448Point } from './crypto/v4/index.js';
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
export * as limits from './limits.js';
