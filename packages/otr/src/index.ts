/**
 * @sotto/otr: Off-the-Record messaging v3 (and v2), sans-I/O.
 * The public surface; everything here is re-exported from its module.
 */
export { Account, type AccountOptions, type ConversationStatus, type InstanceOption } from './session/account.js';
export { Policies, allowedVersions, type Policy } from './session/policy.js';
export { OutcomeBuilder, type Outcome, type OtrEvent, type OutgoingMessage, type ProtocolVersion, type ShownMessage } from './outcome.js';
export { DecodeError, UsageError, type DecodeErrorCode, type ProtocolErrorCode } from './errors.js';
export {
  DsaKeyError,
  DsaPrivateKey,
  Secret,
  checkDsaKeyParts,
  deterministicRandom,
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
