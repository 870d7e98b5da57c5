/**
 * The double ratchet's state and its initialisation (OTRv4, "Key
 * Management", "Interactive DAKE Overview": "Initializes the double-ratchet
 * algorithm", "Rotating ECDH Keys and Brace Key as sender / as receiver").
 *
 * Theory of operation. One counter `i` (the spec's ratchet id) counts the DH
 * ratchets of both directions: each side rotates its sending keys on the
 * first message it sends after receiving from a new chain, and its receiving
 * keys on the first message it reads from a new chain of the peer; both
 * sides see the same sequence of rotations, so their `i` agree. The rotation
 * numbered `i` mixes a fresh ECDH key every time and a fresh 3072-bit DH key
 * when `i % 3 == 0` (the brace key is then KDF(usage_third_brace_key || k_dh);
 * otherwise it is KDF(usage_brace_key || brace_key)). A chain is named by the
 * `i` of the rotation that made it; the data message's ratchet id is that
 * name (the spec's "i - 1" once `i` was incremented), and every message of a
 * chain whose id is a multiple of 3 carries the sender's DH public key.
 * This is how otr4j (DoubleRatchet, StateEncrypted4) numbers ratchets, and it
 * is the only consistent reading of the spec's text, whose receiver rule
 * "Set i = 0" contradicts its sender rule.
 *
 * Compatibility point (spec vs otr4j, both give the same wire bytes): the
 * spec has Bob (who sent Auth-I) generate his next ECDH and DH keys while
 * initialising; otr4j and sotto generate them when he first sends. Either
 * way his first chain is rotation 0 and is sent with ratchet id 0.
 *
 * Secrets held: the root key, the brace key, at most one sending and one
 * receiving chain key, our ECDH secret only while a new receiving chain can
 * still come (until our next sending rotation replaces it), our DH secret
 * only until the peer's next DH rotation used it, the MAC keys waiting to be
 * revealed, and the skipped keys.
 */
import type { Dh3072KeyPair } from '../../crypto/v4/dh3072.js';
import { encodePoint, type Ed448Point } from '../../crypto/v4/ed448.js';
import type { Secret } from '../../crypto/secret.js';
import type { InitialRatchetState } from '../dake/state.js';
import { SkippedKeys } from './skipped-keys.js';

/** Our current sending chain. */
export interface SendingChain {
  /** chain_key_s[j]. */
  chainKey: Secret;
  /** The ratchet id written in its messages. */
  readonly ratchetId: number;
  /** j: the message id of the next message. */
  nextMessageId: number;
}

/** The peer's current chain we read. */
export interface ReceivingChain {
  /** chain_key_r[k]. */
  chainKey: Secret;
  readonly ratchetId: number;
  /** k: the next message id not yet read or skipped. */
  nextMessageId: number;
  /** The peer's ECDH public key of this chain (POINT encoding). */
  readonly theirEcdh: Uint8Array;
}

/** Everything the ratchet keeps between messages. */
export interface RatchetState {
  rootKey: Secret;
  braceKey: Secret;
  /** i: the number of the next rotation (and the ratchet id of the next new chain). */
  nextRatchetId: number;
  /** Which rotation comes next: ours when sending after reading a new chain, theirs otherwise. */
  nextRotation: 'sending' | 'receiving';
  sending: SendingChain | undefined;
  /** pn: the number of messages of our previous sending chain. */
  previousChainLength: number;
  receiving: ReceivingChain | undefined;
  /** our_ecdh.public (POINT encoding): written in every message. */
  ourEcdhPublic: Uint8Array;
  /** our_ecdh.secret, while a new receiving chain may still use it. */
  ourEcdhSecret: Secret | undefined;
  /** their_ecdh: for our next sending rotation. */
  theirEcdh: Ed448Point;
  theirEcdhEncoded: Uint8Array;
  /** our_dh: its public part is written in our chains whose id is a multiple of 3; its secret serves the peer's next DH rotation. */
  ourDh: Dh3072KeyPair | undefined;
  /** their_dh: for our next DH rotation. */
  theirDh: Uint8Array;
  /** mac_keys_to_reveal. */
  macKeysToReveal: Secret[];
  skipped: SkippedKeys;
  /** True once {@link wipeRatchet} ran. */
  ended: boolean;
}

/** A state and the secrets the step that made it no longer needs: the caller wipes them (once it installed the state). */
export interface Initialised {
  readonly state: RatchetState;
  readonly consumed: Secret[];
}

/**
 * Initialises the double ratchet from what the DAKE handed over
 * ({@link InitialRatchetState}: the DAKE has already run the first ratchet
 * step, "Interactive DAKE Overview", "Initializes the double-ratchet
 * algorithm", so the root key, the brace key and the first chain key come
 * ready). The side that received Auth-I sends on that chain, the other
 * reads it (both as ratchet id 0). Ownership of every secret passes to the
 * ratchet; Bob's first ECDH and DH secrets are done and come back in
 * `consumed` (his next rotation, a sending one, makes new ones).
 */
export function initializeRatchet(init: InitialRatchetState): Initialised {
  const consumed: Secret[] = [];
  const theirEcdhEncoded = encodePoint(init.theirEcdh);
  const sendsFirst = init.firstChain === 'sending';
  const chainKey = sendsFirst ? init.sendingChainKey : init.receivingChainKey;
  if (!sendsFirst) consumed.push(init.ourEcdh.secret, init.ourDh.privateKey);
  const state: RatchetState = {
    rootKey: init.rootKey,
    braceKey: init.braceKey,
    nextRatchetId: 0,
    nextRotation: sendsFirst ? 'receiving' : 'sending',
    sending: sendsFirst ? { chainKey, ratchetId: 0, nextMessageId: 0 } : undefined,
    previousChainLength: 0,
    receiving: sendsFirst ? undefined : { chainKey, ratchetId: 0, nextMessageId: 0, theirEcdh: theirEcdhEncoded },
    ourEcdhPublic: encodePoint(init.ourEcdh.publicKey),
    ourEcdhSecret: sendsFirst ? init.ourEcdh.secret : undefined,
    theirEcdh: init.theirEcdh,
    theirEcdhEncoded,
    ourDh: sendsFirst ? init.ourDh : undefined,
    theirDh: init.theirDh,
    macKeysToReveal: [],
    skipped: new SkippedKeys(),
    ended: false,
  };
  return { state, consumed };
}

/**
 * Every secret the state holds, removed from it (the session's end or
 * expiry, "Session Expiration": root key, chain keys, ECDH and DH keys,
 * brace key, MAC keys not yet revealed, stored message and extra keys). The
 * caller wipes them; the state refuses further use.
 */
export function wipeRatchet(state: RatchetState): Secret[] {
  if (state.ended) return [];
  state.ended = true;
  const secrets: Secret[] = [state.rootKey, state.braceKey, ...state.macKeysToReveal];
  if (state.sending !== undefined) secrets.push(state.sending.chainKey);
  if (state.receiving !== undefined) secrets.push(state.receiving.chainKey);
  if (state.ourEcdhSecret !== undefined) secrets.push(state.ourEcdhSecret);
  if (state.ourDh !== undefined) secrets.push(state.ourDh.privateKey);
  for (const entry of state.skipped.drain()) secrets.push(entry.encryptionKey, entry.extraKey);
  state.macKeysToReveal = [];
  state.sending = undefined;
  state.receiving = undefined;
  state.ourEcdhSecret = undefined;
  state.ourDh = undefined;
  return secrets;
}
