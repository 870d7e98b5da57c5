/**
 * The key derivations of the double ratchet (OTRv4, "Shared Secrets",
 * "Deriving Double Ratchet Keys", "When you send a Data Message", "When you
 * receive a Data Message", "Interactive DAKE Overview"):
 *
 *   K                    = KDF(usage_shared_secret || K_ecdh || brace_key, 64)
 *   prev_root_key        = KDF(usage_first_root_key || K, 64)       (first ratchet)
 *   curr_root_key        = KDF(usage_root_key  || prev_root_key || K, 64)
 *   chain_key_purpose[0] = KDF(usage_chain_key || prev_root_key || K, 64)
 *   chain_key[n+1]       = KDF(usage_next_chain_key || chain_key[n], 64)
 *   MKmac                = KDF(usage_MAC_key || MKenc, 64)          (stored skipped keys)
 *
 * Each function takes and returns `Secret`s; the caller wipes its inputs
 * when it no longer needs them.
 */
import { Secret } from '../secret.js';
import { kdf, USAGE } from './kdf.js';

/** Bytes of K, root keys and chain keys. */
export const RATCHET_KEY_BYTES = 64;

/** K = KDF(usage_shared_secret || K_ecdh || brace_key, 64): the Mixed shared secret. */
export function mixedSharedSecret(ecdhSharedSecret: Secret, braceKey: Secret): Secret {
  return new Secret(kdf(USAGE.usage_shared_secret, RATCHET_KEY_BYTES, ecdhSharedSecret.expose(), braceKey.expose()));
}

/** prev_root_key = KDF(usage_first_root_key || K, 64): the DAKE's K as the first root key. */
export function firstRootKey(dakeSharedSecret: Secret): Secret {
  return new Secret(kdf(USAGE.usage_first_root_key, RATCHET_KEY_BYTES, dakeSharedSecret.expose()));
}

/** derive_ratchet_keys(purpose, prev_root_key, K): the next root key and the new chain's first chain key. */
export function deriveRatchetKeys(previousRootKey: Secret, mixedSecret: Secret): { readonly rootKey: Secret; readonly chainKey: Secret } {
  const root = previousRootKey.expose();
  const k = mixedSecret.expose();
  return {
    rootKey: new Secret(kdf(USAGE.usage_root_key, RATCHET_KEY_BYTES, root, k)),
    chainKey: new Secret(kdf(USAGE.usage_chain_key, RATCHET_KEY_BYTES, root, k)),
  };
}

/** chain_key[n+1] = KDF(usage_next_chain_key || chain_key[n], 64). */
export function nextChainKey(chainKey: Secret): Secret {
  return new Secret(kdf(USAGE.usage_next_chain_key, RATCHET_KEY_BYTES, chainKey.expose()));
}

/** MKmac = KDF(usage_MAC_key || MKenc, 64), for a stored skipped MKenc. */
export function macKeyFromEncryptionKey(encryptionKey: Secret): Secret {
  return new Secret(kdf(USAGE.usage_MAC_key, RATCHET_KEY_BYTES, encryptionKey.expose()));
}

/** The concatenation of MAC keys to reveal ("Revealing MAC Keys"): they are public once sent. */
export function concatenateRevealedMacKeys(macKeys: readonly Secret[]): Uint8Array {
  const out = new Uint8Array(macKeys.length * RATCHET_KEY_BYTES);
  macKeys.forEach((key, index) => out.set(key.expose(), index * RATCHET_KEY_BYTES));
  return out;
}

/** MKenc = KDF(usage_message_key || chain_key, 64) alone, for a skipped message whose key is stored. */
export function messageEncryptionKey(chainKey: Secret): Secret {
  return new Secret(kdf(USAGE.usage_message_key, RATCHET_KEY_BYTES, chainKey.expose()));
}
