/**
 * Why a received Client Profile was refused (OTRv4, "Validating a Client
 * Profile"). Returned, never thrown: profiles come from the network. A
 * rejection names the failed check only, never a value of the profile.
 */

/** The check a received Client Profile failed, in the order they are made. */
export type ProfileRejectionCode =
  /** 1. The Client Profile Signature field is empty (not 114 bytes). */
  | 'missing-signature'
  /** 2. The Ed448 profile signature does not verify under the profile's H. */
  | 'bad-signature'
  /** 3. The owner instance tag is not the sender instance tag of the message carrying the profile. */
  | 'instance-tag-mismatch'
  /** 4. The profile has expired. */
  | 'expired'
  /** 5. The versions field does not contain "4". */
  | 'no-version-4'
  /** 6. H is not a valid point of the prime-order subgroup. */
  | 'bad-public-key'
  /** 7. F is not a valid point of the prime-order subgroup. */
  | 'bad-forging-key'
  /** 8. Version 3 is listed (or a DSA key given) without a transitional signature (otr4j's rule). */
  | 'missing-transitional-signature'
  /** 8. A transitional signature, or version 3, without the OTRv3 DSA key to check it with (otr4j's rule). */
  | 'missing-dsa-key'
  /** 8. The transitional signature does not verify under the profile's DSA key (or the key is unusable). */
  | 'bad-transitional-signature';

/** A refused Client Profile; compare `code`. */
export class ProfileRejection {
  readonly kind = 'profile-rejection';
  constructor(readonly code: ProfileRejectionCode) {}
}

/** Type guard for the results of the profile validator. */
export function isProfileRejection(value: unknown): value is ProfileRejection {
  return value instanceof ProfileRejection;
}
