/**
 * The states of the interactive DAKE (OTRv4, "Protocol States": START,
 * WAITING_AUTH_R, WAITING_AUTH_I) as one discriminated union, each variant
 * holding only what that state needs, and the state the completed DAKE
 * hands to the double ratchet ({@link InitialRatchetState}).
 *
 * ENCRYPTED_MESSAGES and FINISHED are not DAKE states: they belong to the
 * session, which keeps its encrypted channel apart from this machine until
 * a DAKE completes. A completed DAKE returns to `start`.
 */
import type { Secret } from '../../crypto/secret.js';
import type { Dh3072KeyPair, EcdhKeyPair, Ed448Point } from '../../crypto/v4/index.js';
import type { ValidatedClientProfile } from '../profile/index.js';

/** START: no DAKE in progress. */
export interface DakeStart {
  readonly kind: 'start';
}

/** WAITING_AUTH_R: we sent an Identity message (we are Bob). */
export interface DakeWaitingAuthR {
  readonly kind: 'waiting-auth-r';
  /** y and Y. */
  readonly ecdh: EcdhKeyPair;
  /** b and B. */
  readonly dh: Dh3072KeyPair;
  /** our_ecdh_first. */
  readonly firstEcdh: EcdhKeyPair;
  /** our_dh_first. */
  readonly firstDh: Dh3072KeyPair;
  /** Our CLIENT-PROF bytes as sent (t hashes these, even if the profile is refreshed meanwhile). */
  readonly ourProfile: Uint8Array;
  /** The forging key F of that profile (the Auth-R's ring). */
  readonly ourForgingKey: Ed448Point;
  /** The whole Identity message sent, resent when we win a simultaneous start. */
  readonly identityMessage: Uint8Array;
}

/** Their side of a DAKE, from their Identity message. */
export interface TheirIdentity {
  readonly instanceTag: number;
  readonly profile: ValidatedClientProfile;
  /** Their CLIENT-PROF bytes as received. */
  readonly profileBytes: Uint8Array;
  /** Y. */
  readonly ecdh: Ed448Point;
  /** B (magnitude). */
  readonly dh: Uint8Array;
  /** their_ecdh_first. */
  readonly firstEcdh: Ed448Point;
  /** their_dh_first (magnitude). */
  readonly firstDh: Uint8Array;
}

/**
 * WAITING_AUTH_I: we sent an Auth-R message (we are Alice). x and a are
 * already deleted (the spec deletes them once K is computed); K, the SSID
 * and our first ratchet keys wait for the Auth-I.
 */
export interface DakeWaitingAuthI {
  readonly kind: 'waiting-auth-i';
  /** The mixed shared secret K. */
  readonly k: Secret;
  /** HWC(usage_SSID || K, 8). */
  readonly ssid: Uint8Array;
  /** X (public). */
  readonly ecdhPublic: Ed448Point;
  /** A (public magnitude). */
  readonly dhPublic: Uint8Array;
  /** our_ecdh_first. */
  readonly firstEcdh: EcdhKeyPair;
  /** our_dh_first. */
  readonly firstDh: Dh3072KeyPair;
  /** Our CLIENT-PROF bytes as sent in the Auth-R. */
  readonly ourProfile: Uint8Array;
  /** The forging key F of that profile (the Auth-I's ring). */
  readonly ourForgingKey: Ed448Point;
  readonly their: TheirIdentity;
  /**
   * Our own Identity message's WAITING_AUTH_R state, kept when we lost a
   * simultaneous start and answered the peer's Identity (only with
   * dake.ts's SIMULTANEOUS_START_AS_OTR4J): an Auth-R answering our
   * Identity is still accepted. Its secrets are this state's too.
   */
  readonly ownIdentity?: DakeWaitingAuthR;
}

/** A state of the interactive DAKE. */
export type DakeState = DakeStart | DakeWaitingAuthR | DakeWaitingAuthI;

/** The START state. */
export const DAKE_START: DakeStart = Object.freeze({ kind: 'start' });

/** Every secret a state holds (what to wipe when it is dropped). */
export function dakeStateSecrets(state: DakeState): Secret[] {
  switch (state.kind) {
    case 'start':
      return [];
    case 'waiting-auth-r':
      return [state.ecdh.secret, state.dh.privateKey, state.firstEcdh.secret, state.firstDh.privateKey];
    case 'waiting-auth-i':
      return [state.k, state.firstEcdh.secret, state.firstDh.privateKey, ...(state.ownIdentity === undefined ? [] : dakeStateSecrets(state.ownIdentity))];
  }
}

/**
 * What the completed interactive DAKE hands to the double ratchet
 * ("Interactive DAKE Overview", "Initializing the double-ratchet
 * algorithm"; "Deriving Double Ratchet Keys").
 *
 * Both sides have set i = j = k = pn = 0 and max_remote_i_seen = -1, taken
 * prev_root_key = KDF(usage_first_root_key || K, 64) from the DAKE's K,
 * mixed a new K from the first ratchet keys exchanged in the DAKE
 * (our_ecdh_first, our_dh_first with their_ecdh_first, their_dh_first: the
 * brace key is the third-brace-key kind, from k_dh), and derived
 * `curr_root_key, chain_key = derive_ratchet_keys(purpose, prev_root_key, K)`.
 * prev_root_key and that K are wiped.
 *
 * - Alice (received the Auth-I): `firstChain: 'sending'`, the chain key is
 *   chain_key_s[0]. Her first receiving chain comes from the DH ratchet she
 *   performs on Bob's first data message.
 * - Bob (sent the Auth-I): `firstChain: 'receiving'`, chain_key_r[0]. The
 *   spec also has Bob derive his sending keys at once (a new ECDH and DH
 *   key pair, i = 1); that is exactly the ratchet's sender rotation at
 *   i = 0 ("Rotating ECDH Keys and Brace Key as sender", a DH brace step
 *   since 0 % 3 = 0), so it is left to the ratchet to run before Bob's
 *   first data message, as otr4j does (DoubleRatchet.initialize with
 *   RECEIVING, then rotateSenderKeys on the first send). Nothing on the
 *   wire differs.
 *
 * Ownership passes to the ratchet: it wipes every Secret here
 * ({@link initialRatchetSecrets}) when it replaces or drops them.
 */
export type InitialRatchetState = InitialRatchetSending | InitialRatchetReceiving;

interface InitialRatchetCommon {
  /** The ratchet id i. */
  readonly i: 0;
  /** The sending message id j. */
  readonly j: 0;
  /** The receiving message id k. */
  readonly k: 0;
  /** Messages in the previous ratchet. */
  readonly pn: 0;
  /** The largest ratchet id seen from the peer: none yet. */
  readonly maxRemoteISeen: -1;
  /** curr_root_key (64 bytes). */
  readonly rootKey: Secret;
  /** our_ecdh: our_ecdh_first of the DAKE. */
  readonly ourEcdh: EcdhKeyPair;
  /** our_dh: our_dh_first of the DAKE. */
  readonly ourDh: Dh3072KeyPair;
  /** their_ecdh: their_ecdh_first of the DAKE (checked). */
  readonly theirEcdh: Ed448Point;
  /** their_dh: their_dh_first of the DAKE (checked magnitude). */
  readonly theirDh: Uint8Array;
  /** The brace key of this first ratchet step (KDF(usage_third_brace_key || k_dh, 32)). */
  readonly braceKey: Secret;
}

/** Alice's: the sending chain first. */
export interface InitialRatchetSending extends InitialRatchetCommon {
  readonly firstChain: 'sending';
  /** chain_key_s[0]. */
  readonly sendingChainKey: Secret;
}

/** Bob's: the receiving chain first. */
export interface InitialRatchetReceiving extends InitialRatchetCommon {
  readonly firstChain: 'receiving';
  /** chain_key_r[0]. */
  readonly receivingChainKey: Secret;
}

/** Every secret of an initial ratchet state. */
export function initialRatchetSecrets(state: InitialRatchetState): Secret[] {
  const chain = state.firstChain === 'sending' ? state.sendingChainKey : state.receivingChainKey;
  return [state.rootKey, chain, state.ourEcdh.secret, state.ourDh.privateKey, state.braceKey];
}
