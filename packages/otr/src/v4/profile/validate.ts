/**
 * Validating a received Client Profile (OTRv4, "Validating a Client
 * Profile"), in the spec's order:
 *
 * 1. the Client Profile Signature is not empty;
 * 2. it verifies (Ed448, RFC 8032, over the fields as otr4j signs them:
 *    wire/v4's CLIENT_PROFILE_SIGNATURE_INPUT);
 * 3. the owner instance tag equals the sender instance tag of the DAKE
 *    message that carried the profile;
 * 4. the profile has not expired;
 * 5. the versions contain "4";
 * 6. H is on the curve (decodePoint: not the identity, canonical, on the
 *    curve, q * H = I);
 * 7. F likewise;
 * 8. the transitional signature and the DSA key: see
 *    {@link PROFILE_VERSION_3_REQUIRES_TRANSITIONAL_SIGNATURE}.
 *
 * Never throws on received values: the result is a {@link ValidatedClientProfile}
 * or a {@link ProfileRejection}.
 */
import { dsaVerify } from '../../crypto/dsa.js';
import { decodePoint, ed448Fingerprint, isCryptoRejection, verifyEd448Signature, type Ed448Point } from '../../crypto/v4/index.js';
import type { PublicKeyFields } from '../../wire/public-key.js';
import {
  clientProfileSignedBytes,
  clientProfileTransitionalSignedBytes,
  EDDSA_SIGNATURE_BYTES,
  type ClientProfile,
} from '../../wire/v4/index.js';
import { ProfileRejection } from './rejection.js';

/**
 * Compatibility point (otr4j) for the OTRv3 fields of a profile.
 *
 * The spec ("Creating a Client Profile", "Validating a Client Profile" step
 * 8) makes the DSA key something a profile "should" include when version 3
 * is supported, the transitional signature optional (mandatory only when
 * the DSA key is present), allows a transitional signature without the DSA
 * key, and makes checking it optional.
 *
 * otr4j (src/main/java/net/java/otr4j/messages/ClientProfilePayload.java,
 * `validate` and `signClientProfile`) refuses a profile that lists version 3
 * without a transitional signature, refuses a DSA key without a
 * transitional signature and a transitional signature without a DSA key,
 * and always verifies the transitional signature; `signClientProfile`
 * refuses to sign a version-3 profile without a DSA key.
 *
 * Interoperating with otr4j wins (issue 14): with `true`, a profile listing
 * "3" must carry both, the two come together or not at all, and the
 * signature is verified whenever present. We create profiles the same way
 * (create.ts). `false` would apply the spec text's looser reading (the
 * transitional signature still verified when both fields are present).
 */
export const PROFILE_VERSION_3_REQUIRES_TRANSITIONAL_SIGNATURE: boolean = true;

/** The OTR versions a profile can list that mean something to us. */
export type ProfileVersion = 3 | 4;

/** A Client Profile that passed every check. */
export interface ValidatedClientProfile {
  /** The profile as received (fields and signature). */
  readonly profile: ClientProfile;
  /** The owner instance tag (equal to the sender's). */
  readonly ownerInstanceTag: number;
  /** H, checked. */
  readonly publicKey: Ed448Point;
  /** F, checked. */
  readonly forgingKey: Ed448Point;
  /** The versions listed that we speak ("4" always; "3" when listed). Other characters are ignored ("Establishing Versions"). */
  readonly versions: ReadonlySet<ProfileVersion>;
  /** The expiry as a deadline on the host clock (ms since the epoch; capped at Number.MAX_SAFE_INTEGER). */
  readonly expiresAt: number;
  /** The OTRv3 DSA key, when the profile carries one (its transitional signature verified). */
  readonly dsaPublicKey?: PublicKeyFields;
  /** The OTRv4 fingerprint HWC(usage_fingerprint || H || F, 56). */
  readonly fingerprint: Uint8Array;
}

const MS_PER_SECOND = 1000n;
const MAX_DEADLINE = BigInt(Number.MAX_SAFE_INTEGER);

/** The expiration (seconds, signed 64-bit) as a deadline in ms, clamped to the safe integers. */
export function expirationDeadline(expiration: bigint): number {
  const ms = expiration * MS_PER_SECOND;
  if (ms > MAX_DEADLINE) return Number.MAX_SAFE_INTEGER;
  if (ms < -MAX_DEADLINE) return -Number.MAX_SAFE_INTEGER;
  return Number(ms);
}

/**
 * True when a profile with this expiration has expired at `now` (ms): a
 * profile is valid strictly before its expiration instant, as otr4j's
 * `validateDateAfter(now, expiration)` has it.
 */
export function isExpired(expiration: bigint, now: number): boolean {
  return BigInt(Math.floor(now)) >= expiration * MS_PER_SECOND;
}

/** The versions we speak among the characters of a versions string. */
export function parseVersions(versions: string): ReadonlySet<ProfileVersion> {
  const found = new Set<ProfileVersion>();
  for (const ch of versions) {
    if (ch === '3') found.add(3);
    else if (ch === '4') found.add(4);
  }
  return found;
}

/**
 * Validates a received Client Profile carried by a DAKE message from
 * `senderTag`, at host time `now` (ms). The checks run in the spec's order
 * and the first failure is returned.
 */
export function validateClientProfile(profile: ClientProfile, senderTag: number, now: number): ValidatedClientProfile | ProfileRejection {
  // 1. Not empty.
  if (profile.signature.length !== EDDSA_SIGNATURE_BYTES || profile.signature.every((byte) => byte === 0)) {
    return new ProfileRejection('missing-signature');
  }
  // 2. The Ed448 signature over the fields (and the transitional signature, when present).
  if (!verifyEd448Signature(profile.publicKey, clientProfileSignedBytes(profile), profile.signature)) {
    return new ProfileRejection('bad-signature');
  }
  // 3. Owner instance tag = sender instance tag.
  if (profile.ownerInstanceTag !== senderTag) return new ProfileRejection('instance-tag-mismatch');
  // 4. Not expired.
  if (isExpired(profile.expiration, now)) return new ProfileRejection('expired');
  // 5. "4" listed.
  const versions = parseVersions(profile.versions);
  if (!versions.has(4)) return new ProfileRejection('no-version-4');
  // 6. and 7. H and F are valid points.
  const publicKey = decodePoint(profile.publicKey);
  if (isCryptoRejection(publicKey)) return new ProfileRejection('bad-public-key');
  const forgingKey = decodePoint(profile.forgingKey);
  if (isCryptoRejection(forgingKey)) return new ProfileRejection('bad-forging-key');
  // 8. The OTRv3 fields.
  const transitional = checkTransitionalSignature(profile, versions);
  if (transitional !== undefined) return transitional;
  return {
    profile,
    ownerInstanceTag: profile.ownerInstanceTag,
    publicKey,
    forgingKey,
    versions,
    expiresAt: expirationDeadline(profile.expiration),
    ...(profile.dsaPublicKey === undefined ? {} : { dsaPublicKey: profile.dsaPublicKey }),
    fingerprint: ed448Fingerprint(publicKey, forgingKey),
  };
}

/** Step 8 under {@link PROFILE_VERSION_3_REQUIRES_TRANSITIONAL_SIGNATURE}. */
function checkTransitionalSignature(profile: ClientProfile, versions: ReadonlySet<ProfileVersion>): ProfileRejection | undefined {
  const { dsaPublicKey, transitionalSignature } = profile;
  if (PROFILE_VERSION_3_REQUIRES_TRANSITIONAL_SIGNATURE) {
    if (versions.has(3) && transitionalSignature === undefined) return new ProfileRejection('missing-transitional-signature');
    if (dsaPublicKey !== undefined && transitionalSignature === undefined) return new ProfileRejection('missing-transitional-signature');
    if (transitionalSignature !== undefined && dsaPublicKey === undefined) return new ProfileRejection('missing-dsa-key');
  } else if (dsaPublicKey !== undefined && transitionalSignature === undefined) {
    return new ProfileRejection('missing-transitional-signature');
  }
  if (dsaPublicKey !== undefined && transitionalSignature !== undefined) {
    if (!dsaVerify(dsaPublicKey, clientProfileTransitionalSignedBytes(profile), transitionalSignature)) {
      return new ProfileRejection('bad-transitional-signature');
    }
  }
  return undefined;
}
