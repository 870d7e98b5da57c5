/**
 * Client Profiles (otrv4.md, "Client Profile"): creation, signing, the
 * refresh-before-expiry rule, and validation of received profiles in the
 * order of "Validating a Client Profile", with every rejection.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deterministicRandom, generateDsaKey } from '../../../src/crypto/index.js';
import { Ed448KeyPair, Ed448Point } from '../../../src/crypto/v4/index.js';
import { DecodeError, UsageError } from '../../../src/errors.js';
import {
  CLIENT_PROFILE_LIFETIME_MS,
  CLIENT_PROFILE_REFRESH_MARGIN_MS,
  clientProfileNeedsRefresh,
  createClientProfile,
  isProfileRejection,
  loadOwnClientProfile,
  ProfileRejection,
  validateClientProfile,
  type OwnClientProfile,
  type ValidatedClientProfile,
} from '../../../src/v4/profile/index.js';
import {
  clientProfileSignedBytes,
  decodeClientProfile,
  encodeClientProfile,
  type ClientProfile,
  type ClientProfileFields,
} from '../../../src/wire/v4/index.js';

const random = deterministicRandom('profile tests');
const NOW = 1_700_000_000_000;
const TAG = 0x1234_5678;
const identity = Ed448KeyPair.generate(random);
const forging = Ed448KeyPair.generate(random);
const dsaKey = generateDsaKey();

function make(versions: '34' | '4' = '4', extra: Partial<{ now: number; lifetimeMs: number }> = {}): OwnClientProfile {
  return createClientProfile({
    ownerInstanceTag: TAG,
    identityKey: identity,
    forgingKey: forging.publicKey,
    versions,
    ...(versions === '34' ? { dsaKey } : {}),
    now: extra.now ?? NOW,
    ...(extra.lifetimeMs === undefined ? {} : { lifetimeMs: extra.lifetimeMs }),
    random,
  });
}

function decoded(bytes: Uint8Array): ClientProfile {
  const profile = decodeClientProfile(bytes);
  if (profile instanceof DecodeError) throw new Error(profile.detail);
  return profile;
}

function valid(result: ValidatedClientProfile | ProfileRejection): ValidatedClientProfile {
  if (isProfileRejection(result)) throw new Error(`rejected: ${result.code}`);
  return result;
}

function rejection(result: ValidatedClientProfile | ProfileRejection): string {
  return isProfileRejection(result) ? result.code : 'accepted';
}

/** The fields of `profile` changed by `change`, signed again by the identity key (a profile a peer could send). */
function resigned(profile: ClientProfile, change: Partial<ClientProfileFields>, key: Ed448KeyPair = identity): ClientProfile {
  const fields: ClientProfileFields = { ...profile, ...change };
  return { ...fields, signature: key.sign(clientProfileSignedBytes(fields)) };
}

describe('creating a client profile', () => {
  it('signs a "4" profile that validates, round-trips its encoding and reports its expiry as a deadline', () => {
    const own = make('4');
    expect(own.expiresAt).toBe(NOW + CLIENT_PROFILE_LIFETIME_MS);
    expect(own.refreshAt).toBe(own.expiresAt - CLIENT_PROFILE_REFRESH_MARGIN_MS);
    expect(own.profile.dsaPublicKey).toBeUndefined();
    expect(own.profile.transitionalSignature).toBeUndefined();
    const result = valid(validateClientProfile(decoded(own.encoded), TAG, NOW));
    expect(result.versions).toEqual(new Set([4]));
    expect(result.publicKey.equals(identity.publicKey)).toBe(true);
    expect(result.forgingKey.equals(forging.publicKey)).toBe(true);
    expect(result.expiresAt).toBe(own.expiresAt);
    expect(result.fingerprint).toHaveLength(56);
    expect(encodeClientProfile(own.profile)).toEqual(own.encoded);
  });

  it('a "34" profile carries the DSA key and a transitional signature that verifies', () => {
    const own = make('34');
    expect(own.profile.dsaPublicKey).toBeDefined();
    expect(own.profile.transitionalSignature).toHaveLength(40);
    const result = valid(validateClientProfile(decoded(own.encoded), TAG, NOW));
    expect(result.versions).toEqual(new Set([3, 4]));
    expect(result.dsaPublicKey).toBeDefined();
  });

  it('refuses misuse with UsageError: "34" without a DSA key, a reserved tag, a lifetime within the refresh margin', () => {
    const base = { identityKey: identity, forgingKey: forging.publicKey, now: NOW, random };
    expect(() => createClientProfile({ ...base, ownerInstanceTag: TAG, versions: '34' })).toThrow(UsageError);
    expect(() => createClientProfile({ ...base, ownerInstanceTag: 0xff, versions: '4' })).toThrow(UsageError);
    expect(() => createClientProfile({ ...base, ownerInstanceTag: TAG, versions: '4', lifetimeMs: CLIENT_PROFILE_REFRESH_MARGIN_MS })).toThrow(UsageError);
    expect(() => createClientProfile({ ...base, ownerInstanceTag: TAG, versions: '4', forgingKey: Ed448Point.IDENTITY })).toThrow(UsageError);
  });

  it('is due for refresh from one margin before expiry, not before', () => {
    const own = make('4');
    expect(clientProfileNeedsRefresh(own, own.refreshAt - 1)).toBe(false);
    expect(clientProfileNeedsRefresh(own, own.refreshAt)).toBe(true);
    // A refreshed profile made at the refresh deadline expires later and is not due.
    const next = make('4', { now: own.refreshAt });
    expect(next.expiresAt).toBeGreaterThan(own.expiresAt);
    expect(clientProfileNeedsRefresh(next, own.refreshAt)).toBe(false);
  });

  it('loads our stored profile back, and says why when it cannot', () => {
    const own = make('34');
    const loaded = loadOwnClientProfile(own.encoded, TAG, identity, NOW);
    expect('problem' in loaded ? loaded.problem : loaded.expiresAt).toBe(own.expiresAt);
    const stale = loadOwnClientProfile(own.encoded, TAG, identity, own.expiresAt);
    expect('problem' in stale ? stale.problem : 'loaded').toBe('expired');
    const other = Ed448KeyPair.generate(random);
    const foreign = loadOwnClientProfile(own.encoded, TAG, other, NOW);
    expect('problem' in foreign ? foreign.problem : 'loaded').toBe('not-ours');
    const garbage = loadOwnClientProfile(own.encoded.subarray(0, 20), TAG, identity, NOW);
    expect('problem' in garbage ? garbage.problem : 'loaded').toBe('malformed');
  });
});

describe('validating a received client profile', () => {
  const own4 = make('4');
  const own34 = make('34');
  const profile4 = decoded(own4.encoded);
  const profile34 = decoded(own34.encoded);

  it('rejects an expired profile (at and after its expiration instant) and accepts it just before', () => {
    expect(rejection(validateClientProfile(profile4, TAG, own4.expiresAt - 1))).toBe('accepted');
    expect(rejection(validateClientProfile(profile4, TAG, own4.expiresAt))).toBe('expired');
    expect(rejection(validateClientProfile(resigned(profile4, { expiration: -1n }), TAG, NOW))).toBe('expired');
  });

  it('rejects a profile whose owner tag is not the sender tag of the message carrying it', () => {
    expect(rejection(validateClientProfile(profile4, TAG + 1, NOW))).toBe('instance-tag-mismatch');
  });

  it('rejects a bad signature: a flipped signature bit, a signature by another key, an all-zero signature', () => {
    const flipped = Uint8Array.from(profile4.signature);
    flipped[10]! ^= 1;
    expect(rejection(validateClientProfile({ ...profile4, signature: flipped }, TAG, NOW))).toBe('bad-signature');
    const other = Ed448KeyPair.generate(random);
    expect(rejection(validateClientProfile(resigned(profile4, {}, other), TAG, NOW))).toBe('bad-signature');
    expect(rejection(validateClientProfile({ ...profile4, signature: new Uint8Array(114) }, TAG, NOW))).toBe('missing-signature');
  });

  it('rejects forged fields: any field changed after signing fails the signature', () => {
    const forgeries: Partial<ClientProfileFields>[] = [
      { ownerInstanceTag: TAG + 1 },
      { versions: '34' },
      { expiration: profile4.expiration + 1_000_000n },
      { forgingKey: Ed448KeyPair.generate(random).publicKeyBytes() },
      { publicKey: Ed448KeyPair.generate(random).publicKeyBytes() },
    ];
    for (const change of forgeries) {
      const forged = { ...profile4, ...change };
      expect(rejection(validateClientProfile(forged, forged.ownerInstanceTag, NOW))).toBe('bad-signature');
    }
    // Dropping the transitional signature from a "34" profile breaks the Ed448 signature too.
    const { transitionalSignature: _dropped, ...withoutTransitional } = profile34;
    expect(rejection(validateClientProfile(withoutTransitional, TAG, NOW))).toBe('bad-signature');
  });

  it('rejects a profile without version 4', () => {
    expect(rejection(validateClientProfile(resigned(profile4, { versions: '3' }), TAG, NOW))).toBe('no-version-4');
    expect(rejection(validateClientProfile(resigned(profile4, { versions: '' }), TAG, NOW))).toBe('no-version-4');
  });

  it('rejects a forging key that is not a valid point (off the curve, small order) even when signed', () => {
    const offCurve = new Uint8Array(57);
    offCurve[0] = 2; // y = 2 has no x on Ed448.
    expect(rejection(validateClientProfile(resigned(profile4, { forgingKey: offCurve }), TAG, NOW))).toBe('bad-forging-key');
    const identityPoint = Ed448Point.IDENTITY.encode();
    expect(rejection(validateClientProfile(resigned(profile4, { forgingKey: identityPoint }), TAG, NOW))).toBe('bad-forging-key');
    // The point of order 2: (0, -1).
    const orderTwo = new Uint8Array(57);
    const minusOne = (1n << 448n) - (1n << 224n) - 2n;
    for (let i = 0, rest = minusOne; i < 56; i++, rest >>= 8n) orderTwo[i] = Number(rest & 0xffn);
    expect(rejection(validateClientProfile(resigned(profile4, { forgingKey: orderTwo }), TAG, NOW))).toBe('bad-forging-key');
  });

  it('rejects version 3 listed without a transitional signature and DSA key (otr4j\'s rule)', () => {
    const { dsaPublicKey: _k, transitionalSignature: _s, ...bare } = profile34;
    expect(rejection(validateClientProfile(resigned(bare, {}), TAG, NOW))).toBe('missing-transitional-signature');
    const { transitionalSignature: _t, ...keyOnly } = profile34;
    expect(rejection(validateClientProfile(resigned(keyOnly, {}), TAG, NOW))).toBe('missing-transitional-signature');
    const { dsaPublicKey: _d, ...signatureOnly } = profile34;
    expect(rejection(validateClientProfile(resigned(signatureOnly, {}), TAG, NOW))).toBe('missing-dsa-key');
  });

  it('rejects a transitional signature that does not verify, even under a valid Ed448 signature', () => {
    const bad = Uint8Array.from(profile34.transitionalSignature ?? []);
    bad[5]! ^= 1;
    expect(rejection(validateClientProfile(resigned(profile34, { transitionalSignature: bad }), TAG, NOW))).toBe('bad-transitional-signature');
    const otherDsa = generateDsaKey();
    expect(rejection(validateClientProfile(resigned(profile34, { dsaPublicKey: otherDsa.publicKey }), TAG, NOW))).toBe('bad-transitional-signature');
  });

  it('never throws on hostile profiles: a public key that is not a point gives bad-signature', () => {
    const garbage = new Uint8Array(57).fill(0xff);
    expect(rejection(validateClientProfile({ ...profile4, publicKey: garbage }, TAG, NOW))).toBe('bad-signature');
    expect(rejection(validateClientProfile({ ...profile4, signature: new Uint8Array(3) }, TAG, NOW))).toBe('missing-signature');
  });
});

describe('otr4j\'s seven-field client profile (test/vectors/otr4j)', () => {
  const { vectors } = JSON.parse(readFileSync(new URL('../../vectors/otr4j/otr4j.json', import.meta.url), 'utf8')) as {
    vectors: { name: string; hex: string }[];
  };
  const bytes = Buffer.from(vectors.find((v) => v.name === 'client-profile-7-fields')?.hex ?? '', 'hex');
  const profile = decoded(new Uint8Array(bytes));
  const beforeExpiry = Number(profile.expiration) * 1000 - 1;

  it('validates, transitional DSA signature included, before its expiry and for its owner tag', () => {
    const result = valid(validateClientProfile(profile, profile.ownerInstanceTag, beforeExpiry));
    expect(result.versions.has(4)).toBe(true);
    expect(result.dsaPublicKey).toBeDefined();
  });

  it('is refused after its expiry and from another sender', () => {
    expect(rejection(validateClientProfile(profile, profile.ownerInstanceTag, beforeExpiry + 1))).toBe('expired');
    expect(rejection(validateClientProfile(profile, profile.ownerInstanceTag ^ 1, beforeExpiry))).toBe('instance-tag-mismatch');
  });
});
