/**
 * @sotto/store: sotto's identity and trust store (keys, instance tags,
 * fingerprints and their trust, settings) with import from and export to
 * libotr clients and Blink. The public surface; re-exports only.
 */
export { StoreError, type StoreErrorCode } from './errors.js';
export { defaultStateDir } from './paths.js';
export { openStore } from './open-store.js';
export { openHistory, escapeLike, History, type HistoryPage, type HistoryPeer, type PageOptions, type RecordResult } from './history/history.js';
export {
  DEFAULT_HISTORY_PAGE,
  MAX_HISTORY_PAGE,
  MAX_HISTORY_TEXT_LENGTH,
  MAX_SEARCH_LENGTH,
  isOtrProtocolText,
  type DeliveryStatus,
  type Direction,
  type Encryption,
  type EncryptionStatus,
  type HistoryMessage,
  type UserMessage,
} from './history/messages.js';
export { HISTORY_SCHEMA_VERSION } from './history/schema.js';
export { openSipAccounts, SipAccounts, type NewSipAccount, type SipAccountSummary } from './accounts/sip-accounts.js';
export {
  MAX_SIP_ACCOUNTS,
  SIP_TRANSPORTS,
  formatHostPort,
  normalizeCertificateFingerprint,
  parseHostPortText,
  type HostPort,
  type SipAccount,
  type SipTransport,
} from './accounts/accounts-file.js';
export { isSipAddress, normalizeSipAddress } from './accounts/sip-address.js';
export {
  Store,
  type ClientProfileProblem,
  type KeyInfo,
  type RetiredKeyInfo,
  type StoredClientProfile,
  type V4Identity,
  type V4IdentityOptions,
  type V4KeyInfo,
} from './store.js';
export type { FingerprintRecord, TrustChange, TrustStatus } from './trust.js';
export type { ContactSettings } from './files/settings-file.js';
export type { ImportReport } from './import-plan.js';
export type { MergeResult } from './trust.js';
export {
  FINGERPRINT_HEX_LENGTH,
  fingerprintKind,
  normalizeFingerprint,
  humanFingerprint,
  displayFingerprint,
  V4_FINGERPRINT_GROUPS_PER_LINE,
  type FingerprintKind,
} from './fingerprint-text.js';
export { MAX_NAME_LENGTH, describeCharacter, escapeUnsafe, hasUnsafeCharacter, replaceUnsafe } from './safe-text.js';
export { LIBOTR_FILES, exportLibotr, importLibotr, libotrFilesIn, type ExportReport, type LibotrExportOptions, type LibotrImportOptions } from './migrate/libotr.js';
export { BLINK_FILES, exportBlinkPem, exportBlinkPotr, importBlinkPem, importBlinkPotr } from './migrate/blink.js';
export {
  keysExport,
  keysImport,
  keysRegenerate,
  keysShow,
  trustForget,
  trustList,
  trustVerify,
  type KeyFormat,
  type KeysExportOptions,
  type KeysImportOptions,
} from './commands.js';
