/**
 * Our own Client Profile (OTRv4, "Creating a Client Profile", "Create a
 * Client Profile Signature", "Client Profile Expiration and Renewal"):
 * created from the owner instance tag, the long-term Ed448 key pair, the
 * forging key and the versions; signed with the symmetric key (Ed448 in
 * OpenSSL); with the OTRv3 DSA key and the transitional signature when
 * version 3 is listed (as otr4j requires: see
 * PROFILE_VERSION_3_REQUIRES_TRANSITIONAL_SIGNATURE in validate.ts).
 *
 * Its expiry is reported as a deadline on the host clock, and
 * {@link clientProfileRefreshAt} says when to make the next one, a
 * {@link CLIENT_PROFILE_REFRESH_MARGIN_MS} before it expires.
 */
import { dsaSign, type DsaPrivateKey } from '../../crypto/dsa.js';
import type { RandomSource } from '../../crypto/random.js';
import { decodePoint, isCryptoRejection, type Ed448KeyPair, type Ed448Point } from '../../crypto/v4/index.js';
import { DecodeError, UsageError } from '../../errors.js';
import { isValidSenderTag } from '../../wire/header.js';
import {
  clientProfileSignedBytes,
  clientProfileTransitionalSignedBytes,
  decodeClientProfile,
  encodeClientProfile,
  type ClientProfile,
  type ClientProfileFields,
} from '../../wire/v4/index.js';
import { isProfileRejection, ProfileRejection } from './rejection.js';
import { validateClientProfile, expirationDeadline, type ValidatedClientProfile } from './validate.js';

/** How long a profile we create stays valid: one week, the spec's recommendation ("Client Profile Expiration and Renewal"). */
export const CLIENT_PROFILE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The refresh-before-expiry rule: a new profile is made this long before the
 * current one expires (one day). A profile sent in a DAKE must still be
 * valid when the peer validates it, after delivery delays and clock skew
 * between the two hosts; a day covers both with room, and is the spec's
 * recommended extra validity for a publicly expired profile ("Client
 * Profile", the paragraph on offline use).
 */
export const CLIENT_PROFILE_REFRESH_MARGIN_MS = 24 * 60 * 60 * 1000;

/** The versions strings we advertise: "34" (OTRv3-compatible mode) or "4" (OTRv4-interactive-only). */
export type ClientProfileVersions = '34' | '4';
/** The accepted {@link ClientProfileVersions} (checked at run time: hosts may be untyped JavaScript). */
const VERSIONS_STRINGS: readonly ClientProfileVersions[] = ['34', '4'];

/** What a Client Profile is made from. */
export interface CreateClientProfileOptions {
  /** Our owner instance tag, >= 0x100. */
  readonly ownerInstanceTag: number;
  /** The long-term key pair (H and its symmetric key, which signs). */
  readonly identityKey: Ed448KeyPair;
  /** F, the public forging key (its secret, if any, is not needed). */
  readonly forgingKey: Ed448Point;
  /** "34" or "4". */
  readonly versions: ClientProfileVersions;
  /** The OTRv3 DSA key: required with "34" (it makes the transitional signature); optional with "4". */
  readonly dsaKey?: DsaPrivateKey;
  /** Host time in ms; the profile expires at `now + lifetimeMs`, rounded down to the second. */
  readonly now: number;
  /** Defaults to {@link CLIENT_PROFILE_LIFETIME_MS}; must exceed {@link CLIENT_PROFILE_REFRESH_MARGIN_MS}. */
  readonly lifetimeMs?: number;
  /** Randomness for the DSA signature's nonce. */
  readonly random: RandomSource;
}

/** Our Client Profile: the signed fields, their encoding, and the deadlines. */
export interface OwnClientProfile {
  readonly profile: ClientProfile;
  /** The CLIENT-PROF bytes, sent in Identity and Auth-R messages and hashed into the DAKE's t. */
  readonly encoded: Uint8Array;
  /** H. */
  readonly publicKey: Ed448Point;
  /** F. */
  readonly forgingKey: Ed448Point;
  /** The expiry as a deadline in ms on the host clock. */
  readonly expiresAt: number;
  /** When to replace it: {@link CLIENT_PROFILE_REFRESH_MARGIN_MS} before {@link OwnClientProfile.expiresAt}. */
  readonly refreshAt: number;
}

/** The refresh deadline of a profile expiring at `expiresAt` (ms). */
export function clientProfileRefreshAt(expiresAt: number): number {
  return expiresAt - CLIENT_PROFILE_REFRESH_MARGIN_MS;
}

/** True when `profile` is due for replacement at `now` (ms): at or after its refresh deadline. */
export function clientProfileNeedsRefresh(profile: OwnClientProfile, now: number): boolean {
  return now >= profile.refreshAt;
}

/**
 * Creates and signs our Client Profile. Local misuse (a reserved tag, "34"
 * without a DSA key, a wiped key, a lifetime not longer than the refresh
 * margin) throws {@link UsageError}.
 */
export function createClientProfile(options: CreateClientProfileOptions): OwnClientProfile {
  const { ownerInstanceTag, identityKey, forgingKey, versions, dsaKey, now, random } = options;
  const lifetimeMs = options.lifetimeMs ?? CLIENT_PROFILE_LIFETIME_MS;
  if (!isValidSenderTag(ownerInstanceTag)) throw new UsageError('bad-instance-tag', 'the owner instance tag must be >= 0x100');
  if (!(VERSIONS_STRINGS as readonly string[]).includes(versions)) throw new UsageError('bad-argument', 'versions must be "34" or "4"');
  if (versions === '34' && dsaKey === undefined) throw new UsageError('bad-argument', 'a profile listing version 3 needs the OTRv3 DSA key');
  if (identityKey.wiped) throw new UsageError('wiped', 'the identity key was wiped');
  if (forgingKey.isIdentity()) throw new UsageError('bad-argument', 'the forging key is the identity point');
  if (!Number.isSafeInteger(Math.floor(now)) || now < 0) throw new UsageError('bad-argument', 'now must be a non-negative time in ms');
  if (!Number.isSafeInteger(lifetimeMs) || lifetimeMs <= CLIENT_PROFILE_REFRESH_MARGIN_MS) {
    throw new UsageError('bad-argument', 'the profile lifetime must be longer than the refresh margin');
  }
  const expiration = BigInt(Math.floor((Math.floor(now) + lifetimeMs) / 1000));
  const unsigned: ClientProfileFields = {
    ownerInstanceTag,
    publicKey: identityKey.publicKeyBytes(),
    forgingKey: forgingKey.encode(),
    versions,
    expiration,
    ...(dsaKey === undefined ? {} : { dsaPublicKey: dsaKey.publicKey }),
  };
  const fields: ClientProfileFields =
    dsaKey === undefined ? unsigned : { ...unsigned, transitionalSignature: dsaSign(dsaKey, clientProfileTransitionalSignedBytes(unsigned), random) };
  const profile: ClientProfile = { ...fields, signature: identityKey.sign(clientProfileSignedBytes(fields)) };
  const expiresAt = expirationDeadline(expiration);
  return {
    profile,
    encoded: encodeClientProfile(profile),
    publicKey: identityKey.publicKey,
    forgingKey,
    expiresAt,
    refreshAt: clientProfileRefreshAt(expiresAt),
  };
}

/** Why a stored profile of ours cannot be used. */
export type StoredProfileProblem = 'malformed' | 'not-ours' | ProfileRejection['code'];

/**
 * Loads our profile back from its CLIENT-PROF bytes (as a key store keeps
 * it), validating it as a peer would at `now` and checking that it is ours:
 * H is our identity key and the owner tag ours. A problem comes back as a
 * value, so the caller makes a new profile instead.
 */
export function loadOwnClientProfile(
  encoded: Uint8Array,
  ownerInstanceTag: number,
  identityKey: Ed448KeyPair,
  now: number,
): OwnClientProfile | { readonly problem: StoredProfileProblem } {
  const decoded = decodeClientProfile(encoded);
  if (decoded instanceof DecodeError) return { problem: 'malformed' };
  const validated: ValidatedClientProfile | ProfileRejection = validateClientProfile(decoded, ownerInstanceTag, now);
  if (isProfileRejection(validated)) return { problem: validated.code };
  if (!validated.publicKey.equals(identityKey.publicKey)) return { problem: 'not-ours' };
  const forgingKey = decodePoint(decoded.forgingKey);
  if (isCryptoRejection(forgingKey)) return { problem: 'bad-forging-key' };
  return {
    profile: decoded,
    encoded: Uint8Array.from(encoded),
    publicKey: identityKey.publicKey,
    forgingKey: validated.forgingKey,
    expiresAt: validated.expiresAt,
    refreshAt: clientProfileRefreshAt(validated.expiresAt),
  };
}
