/** OTRv4 Client Profiles (otrv4.md, "Client Profile"): ours created, signed and refreshed; theirs validated. */
export {
  CLIENT_PROFILE_LIFETIME_MS,
  CLIENT_PROFILE_REFRESH_MARGIN_MS,
  clientProfileNeedsRefresh,
  clientProfileRefreshAt,
  createClientProfile,
  loadOwnClientProfile,
  type ClientProfileVersions,
  type CreateClientProfileOptions,
  type OwnClientProfile,
  type StoredProfileProblem,
} from './create.js';
export { isProfileRejection, ProfileRejection, type ProfileRejectionCode } from './rejection.js';
export {
  expirationDeadline,
  isExpired,
  parseVersions,
  PROFILE_VERSION_3_REQUIRES_TRANSITIONAL_SIGNATURE,
  validateClientProfile,
  type ProfileVersion,
  type ValidatedClientProfile,
} from './validate.js';
