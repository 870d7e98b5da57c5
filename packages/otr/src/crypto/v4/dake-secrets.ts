/**
 * The secrets of the interactive DAKE and of the double ratchet's first
 * step (OTRv4, "Shared Secrets", "Interactive DAKE Overview", "Secure
 * Session ID", "Deriving Double Ratchet Keys"):
 *
 *   K_ecdh    = ECDH(our_ecdh.secret, their_ecdh)            (a POINT)
 *   k_dh      = DH(our_dh.secret, their_dh)                  (big-endian)
 *   brace_key = KDF(usage_third_brace_key || k_dh, 32)
 *   K         = KDF(usage_shared_secret || K_ecdh || brace_key, 64)
 *   SSID      = HWC(usage_SSID || K, 8)
 *   prev_root_key = KDF(usage_first_root_key || K, 64)
 *   curr_root_key = KDF(usage_root_key || prev_root_key || K, 64)
 *   chain_key     = KDF(usage_chain_key || prev_root_key || K, 64)
 *
 * Everything secret is a {@link Secret}; intermediate values (K_ecdh, k_dh)
 * are wiped before returning.
 */
import { Secret } from '../secret.js';
import { dh3072SharedSecret, braceKeyFromSharedSecret, type Dh3072KeyPair } from './dh3072.js';
import { ecdhSharedSecret, type Ed448Point } from './ed448.js';
import { kdf, hwc, shake256, USAGE } from './kdf.js';
import { isCryptoRejection, type CryptoRejection } from './rejection.js';

/** Bytes of the mixed shared secret K. */
export const MIXED_SHARED_SECRET_BYTES = 64;
/** Bytes of a root key and of a chain key. */
export const ROOT_KEY_BYTES = 64;
/** Bytes of the SSID. */
export const SSID_BYTES = 8;
/** Bytes of the simultaneous-start comparison value ("considered as 32-byte unsigned big-endian values"). */
export const SIMULTANEOUS_START_HASH_BYTES = 32;

/** K and the brace key it was mixed from (the ratchet keeps the brace key of its first K). */
export interface MixedSecret {
  /** K = KDF(usage_shared_secret || K_ecdh || brace_key, 64). */
  readonly k: Secret;
  /** brace_key = KDF(usage_third_brace_key || k_dh, 32). */
  readonly braceKey: Secret;
}

/**
 * The mixed shared secret K from our ECDH and DH key pairs and their public
 * values (checked points and DH values: from decodePoint and
 * checkDh3072Public, both rechecked here for DH). K_ecdh and k_dh are wiped;
 * a degenerate ECDH result or a bad DH value is a rejection.
 */
export function mixSharedSecret(ourEcdhSecret: Secret, theirEcdh: Ed448Point, ourDh: Dh3072KeyPair, theirDh: Uint8Array): MixedSecret | CryptoRejection {
  const kEcdh = ecdhSharedSecret(ourEcdhSecret, theirEcdh);
  if (isCryptoRejection(kEcdh)) return kEcdh;
  const kDh = dh3072SharedSecret(ourDh, theirDh);
  if (isCryptoRejection(kDh)) {
    kEcdh.wipe();
    return kDh;
  }
  const braceKey = braceKeyFromSharedSecret(kDh);
  kDh.wipe();
  const k = new Secret(kdf(USAGE.usage_shared_secret, MIXED_SHARED_SECRET_BYTES, kEcdh.expose(), braceKey.expose()));
  kEcdh.wipe();
  return { k, braceKey };
}

/** SSID = HWC(usage_SSID || K, 8): shown to the users, not secret. */
export function secureSessionId(k: Secret): Uint8Array {
  return hwc(USAGE.usage_SSID, SSID_BYTES, k.expose());
}

/** prev_root_key = KDF(usage_first_root_key || K, 64): the DAKE's K as the ratchet's first root key. */
export function firstRootKey(k: Secret): Secret {
  return new Secret(kdf(USAGE.usage_first_root_key, ROOT_KEY_BYTES, k.expose()));
}

/**
 * derive_ratchet_keys(purpose, prev_root_key, K): the next root key and the
 * chain key of `purpose` (the two purposes derive the same way). The caller
 * wipes `prevRootKey` and `k`.
 */
export function deriveRatchetKeys(prevRootKey: Secret, k: Secret): { readonly rootKey: Secret; readonly chainKey: Secret } {
  return {
    rootKey: new Secret(kdf(USAGE.usage_root_key, ROOT_KEY_BYTES, prevRootKey.expose(), k.expose())),
    chainKey: new Secret(kdf(USAGE.usage_chain_key, ROOT_KEY_BYTES, prevRootKey.expose(), k.expose())),
  };
}

/**
 * The value compared when both sides sent Identity messages ("Receiving an
 * Identity Message", state WAITING_AUTH_R: "Compare the hashed B you sent
 * ... considered as 32-byte unsigned big-endian values"). The spec does not
 * name the hash; otr4j (DAKEAwaitingAuthR.handleIdentityMessage) takes
 * SHAKE-256(MPI(B), 32), plain SHAKE-256 without the "OTRv4" prefix, over
 * the MPI encoding (4-byte big-endian length, then the minimal magnitude).
 * Both sides must hash alike or both may yield, so we do the same.
 */
export function simultaneousStartHash(dhPublic: Uint8Array): Uint8Array {
  let start = 0;
  while (start < dhPublic.length && dhPublic[start] === 0) start++;
  const magnitude = dhPublic.subarray(start);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, magnitude.length);
  return shake256(SIMULTANEOUS_START_HASH_BYTES, length, magnitude);
}
