/**
 * An account's OTRv4 identity (OTRv4, "Public keys, Shared Prekeys, Forging
 * keys and Fingerprints", "Client Profile"): the long-term Ed448 key pair,
 * the forging key, and our Client Profile, made and refreshed before it
 * expires. Hosts make one with {@link generateV4Identity}, keep the keys and
 * the profile bytes, and give them back through `AccountOptions.v4`.
 */
import { Secret, systemRandom, type DsaPrivateKey, type RandomSource } from '../crypto/index.js';
import { decodePoint, ed448Fingerprint, Ed448KeyPair, Ed448Point, isCryptoRejection } from '../crypto/v4/index.js';
import { UsageError } from '../errors.js';
import type { V4Identity } from '../secure-channel.js';
import { createClientProfile, loadOwnClientProfile, type ClientProfileVersions, type OwnClientProfile } from '../v4/index.js';

/** The v4 identity an account is given. */
export interface V4IdentityOptions {
  /** The long-term Ed448 key pair (H); its symmetric key signs our Client Profile. */
  readonly identityKey: Ed448KeyPair;
  /** The forging key F: its public point, or the pair (its secret is never used). */
  readonly forgingKey: Ed448Point | Ed448KeyPair;
  /**
   * Our Client Profile as last persisted (the CLIENT-PROF bytes of a
   * `profile-refreshed` event or of {@link generateV4Identity}). When absent,
   * not ours, listing other versions than `versions`, or due for refresh, the
   * account makes a new one at its first call and reports it with
   * `profile-refreshed`.
   */
  readonly profile?: Uint8Array;
  /** The versions our profile lists: "34" (OTRv3-compatible mode, the default) or "4" (OTRv4-interactive-only). */
  readonly versions?: ClientProfileVersions;
  /**
   * Our address as peers know it (their identifier for us in the shared
   * session state phi of the DAKE; both sides must name each other alike,
   * as they name the contact in `receive` and `send`).
   */
  readonly address: string;
}

/** A freshly generated v4 identity for a host to keep. */
export interface GeneratedV4Identity {
  readonly identityKey: Ed448KeyPair;
  readonly forgingKey: Ed448KeyPair;
  /** The signed Client Profile (CLIENT-PROF bytes). */
  readonly profile: Uint8Array;
  /** When the profile expires (host clock, ms). */
  readonly expiresAt: number;
  /** The OTRv4 fingerprint (56 bytes). */
  readonly fingerprint: Uint8Array;
}

/** What {@link generateV4Identity} needs. */
export interface GenerateV4IdentityOptions {
  /** The account's instance tag (the profile's owner tag). */
  readonly instanceTag: number;
  /** The account's DSA key: it signs the transitional signature when the profile lists version 3. */
  readonly privateKey: DsaPrivateKey;
  /** Host time in ms. */
  readonly now: number;
  /** "34" (default) or "4". */
  readonly versions?: ClientProfileVersions;
  readonly random?: RandomSource;
}

/** Generates an Ed448 identity key pair, a forging key pair and a Client Profile signed for `instanceTag`. */
export function generateV4Identity(options: GenerateV4IdentityOptions): GeneratedV4Identity {
  const random = options.random ?? systemRandom;
  const identityKey = Ed448KeyPair.generate(random);
  const forgingKey = Ed448KeyPair.generate(random);
  const profile = createClientProfile({
    ownerInstanceTag: options.instanceTag,
    identityKey,
    forgingKey: forgingKey.publicKey,
    versions: options.versions ?? '34',
    ...((options.versions ?? '34') === '34' ? { dsaKey: options.privateKey } : {}),
    now: options.now,
    random,
  });
  return {
    identityKey,
    forgingKey,
    profile: profile.encoded,
    expiresAt: profile.expiresAt,
    fingerprint: ed448Fingerprint(identityKey.publicKey, forgingKey.publicKey),
  };
}

/** The Ed448 key pair of a stored 57-byte symmetric key (copied; the caller may wipe its bytes). */
export function ed448KeyPairFromSymmetricKey(symmetricKey: Uint8Array): Ed448KeyPair {
  if (!(symmetricKey instanceof Uint8Array)) throw new UsageError('bad-argument', 'an Ed448 symmetric key is a Uint8Array');
  return Ed448KeyPair.fromSymmetricKey(new Secret(Uint8Array.from(symmetricKey)));
}

/** The Ed448 public key of its 57-byte encoding; UsageError when it is not a valid point. */
export function ed448PublicKeyFromBytes(encoded: Uint8Array): Ed448Point {
  const point = decodePoint(encoded);
  if (isCryptoRejection(point)) throw new UsageError('bad-argument', `not an Ed448 public key (${point.code})`);
  return point;
}

/** The OTRv4 fingerprint (56 bytes) of an identity key and a forging key. */
export function v4Fingerprint(identityKey: Ed448Point | Ed448KeyPair, forgingKey: Ed448Point | Ed448KeyPair): Uint8Array {
  return ed448Fingerprint(identityKey instanceof Ed448KeyPair ? identityKey.publicKey : identityKey, forgingKey instanceof Ed448KeyPair ? forgingKey.publicKey : forgingKey);
}

/**
 * The account's v4 identity and its Client Profile: checked options, the
 * current profile, and its replacement when due.
 */
export class AccountV4Identity {
  readonly identityKey: Ed448KeyPair;
  readonly forgingKey: Ed448Point;
  readonly fingerprint: Uint8Array;
  #address: string;
  readonly #versions: ClientProfileVersions;
  #profile: OwnClientProfile | undefined;

  /** Checks the options; throws UsageError for a bad identity. A stored profile is taken when it is ours and lists our versions. */
  constructor(options: V4IdentityOptions, instanceTag: number) {
    if (typeof options !== 'object' || (options as V4IdentityOptions | null) === null) throw new UsageError('bad-options', 'v4 must be an object with identityKey, forgingKey and address');
    if (!((options.identityKey as unknown) instanceof Ed448KeyPair) || options.identityKey.wiped) {
      throw new UsageError('bad-argument', 'v4.identityKey must be an Ed448KeyPair (from generateV4Identity or ed448KeyPairFromSymmetricKey)');
    }
    const forging: unknown = options.forgingKey;
    if (!(forging instanceof Ed448KeyPair) && !(forging instanceof Ed448Point)) throw new UsageError('bad-argument', 'v4.forgingKey must be an Ed448Point or Ed448KeyPair');
    if (typeof options.address !== 'string') throw new UsageError('bad-argument', 'v4.address must be a string');
    const versions: unknown = options.versions ?? '34';
    if (versions !== '34' && versions !== '4') throw new UsageError('bad-argument', 'v4.versions must be "34" or "4"');
    if (options.profile !== undefined && !(options.profile instanceof Uint8Array)) throw new UsageError('bad-argument', 'v4.profile must be a Uint8Array');
    this.identityKey = options.identityKey;
    this.forgingKey = forging instanceof Ed448KeyPair ? forging.publicKey : forging;
    this.fingerprint = ed448Fingerprint(this.identityKey.publicKey, this.forgingKey);
    this.#address = options.address;
    this.#versions = versions;
    if (options.profile !== undefined) {
      // Expiry is checked against the clock at the first call (the constructor has none).
      const loaded = loadOwnClientProfile(options.profile, instanceTag, this.identityKey, 0);
      const usable = !('problem' in loaded) && loaded.forgingKey.equals(this.forgingKey) && loaded.profile.versions === versions;
      this.#profile = usable ? loaded : undefined;
    }
  }

  /** Our address as peers know it (bound by the DAKEs begun from now on). */
  get address(): string {
    return this.#address;
  }

  /** Replaces our address (the transport gave us a new one). */
  setAddress(address: string): void {
    if (typeof address !== 'string') throw new UsageError('bad-argument', 'v4.address must be a string');
    this.#address = address;
  }

  /** When the profile must be replaced: its refresh deadline, or 0 when there is none yet (the first call makes it). */
  deadline(): number {
    return this.#profile?.refreshAt ?? 0;
  }

  /**
   * The identity for a call at `now`: the profile is replaced first when it
   * is missing or due (at its refresh deadline, a day before it expires),
   * and the new profile comes back in `refreshed`.
   */
  at(now: number, privateKey: DsaPrivateKey, instanceTag: number, random: RandomSource): { readonly identity: V4Identity; readonly refreshed?: OwnClientProfile } {
    let profile = this.#profile;
    let refreshed: OwnClientProfile | undefined;
    if (profile === undefined || now >= profile.refreshAt) {
      profile = createClientProfile({
        ownerInstanceTag: instanceTag,
        identityKey: this.identityKey,
        forgingKey: this.forgingKey,
        versions: this.#versions,
        ...(this.#versions === '34' ? { dsaKey: privateKey } : {}),
        now: Math.max(0, now),
        random,
      });
      this.#profile = profile;
      refreshed = profile;
    }
    const identity: V4Identity = { identityKey: this.identityKey, profile, fingerprint: this.fingerprint, address: this.address };
    return refreshed === undefined ? { identity } : { identity, refreshed };
  }
}
