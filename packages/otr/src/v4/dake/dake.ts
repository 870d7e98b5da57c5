/**
 * The interactive DAKE (OTRv4, "Interactive Deniable Authenticated Key
 * Exchange (DAKE)", "Identity Message", "Auth-R Message", "Auth-I Message",
 * and the events "Receiving an Identity Message", "Receiving an Auth-R
 * Message", "Receiving an Auth-I Message" of "The Protocol State Machine").
 *
 * Each transition is a pure function of the current state, the received
 * message and the context (our keys, profile, randomness, clock): it builds
 * the next state and returns, in `consumed`, every secret of the old state
 * it no longer needs and every intermediate secret it made. The caller
 * installs the next state and then wipes `consumed` in one place. A
 * rejected message leaves the state as it was, with a {@link DakeRejection}.
 *
 * The rules, state x message (spec, "The Protocol State Machine"):
 *
 * | state          | Identity                                  | Auth-R              | Auth-I              |
 * |----------------|-------------------------------------------|---------------------|---------------------|
 * | start          | validate; Auth-R; -> waiting-auth-i       | ignore              | ignore              |
 * | waiting-auth-r | validate; higher hashed B resends our     | validate; Auth-I;   | ignore              |
 * |                | Identity, else forget ours and answer as  | ratchet; -> start   |                     |
 * |                | in start                                  |                     |                     |
 * | waiting-auth-i | receiver tag must be ours; validate;      | ignore              | validate; ratchet;  |
 * |                | forget theirs; new Auth-R                 |                     | -> start            |
 *
 * Cost (Ed448 scalar multiplications, counted by crypto/v4): see the test
 * "scalar multiplications per DAKE" for the derivation of the minimum this
 * meets (8 base and 7 variable-point multiplications per side).
 */
import type { RandomSource } from '../../crypto/random.js';
import type { Secret } from '../../crypto/secret.js';
import {
  checkDh3072Public,
  decodePoint,
  decodeRingSignature,
  encodeRingSignature,
  generateDh3072KeyPair,
  generateEcdhKeyPair,
  isCryptoRejection,
  ringSign,
  ringVerify,
  type Dh3072KeyPair,
  type EcdhKeyPair,
  type Ed448KeyPair,
  type Ed448Point,
  type Ring,
} from '../../crypto/v4/index.js';
import { deriveRatchetKeys, firstRootKey, mixSharedSecret, secureSessionId, simultaneousStartHash } from '../../crypto/v4/dake-secrets.js';
import { compareBytes } from '../../bytes.js';
import { encodeV4Message, type DecodedV4Message, type RingSignature } from '../../wire/v4/index.js';
import { isProfileRejection, validateClientProfile, type OwnClientProfile, type ValidatedClientProfile } from '../profile/index.js';
import { authTranscript, sharedSessionState, type PhiParty } from './phi.js';
import { DakeRejection } from './rejection.js';
import {
  DAKE_START,
  dakeStateSecrets,
  type DakeState,
  type DakeWaitingAuthI,
  type DakeWaitingAuthR,
  type InitialRatchetState,
  type TheirIdentity,
} from './state.js';

/** Who we are in a DAKE, and what the transition may use. */
export interface DakeContext {
  /** Our instance tag (the sender tag of every message we send). */
  readonly ourInstanceTag: number;
  /** Our long-term key pair (H, sk_h). */
  readonly identityKey: Ed448KeyPair;
  /** Our current Client Profile (H and F in it). */
  readonly ourProfile: OwnClientProfile;
  /** Our identifier for phi (e.g. our account's bare JID). */
  readonly ourContactId: string;
  /** The peer's identifier for phi, as the application knows it. */
  readonly theirContactId: string;
  readonly random: RandomSource;
  /** Host time in ms (profile expiry). */
  readonly now: number;
}

/** The DAKE messages (decoded, with their route). */
export type DakeMessage = Extract<DecodedV4Message, { kind: 'identity' | 'auth-r' | 'auth-i' }>;

/** A completed DAKE. */
export interface DakeEstablished {
  /** The SSID (8 bytes). */
  readonly ssid: Uint8Array;
  /**
   * Which DAKE message we sent: "auth-r" (Alice) shows the SSID's second
   * half in bold, "auth-i" (Bob) the first ("Secure Session ID").
   */
  readonly sent: 'auth-r' | 'auth-i';
  /** The peer's instance tag (the receiver tag of what we send next). */
  readonly theirInstanceTag: number;
  /** The peer's validated Client Profile (H, F, fingerprint, versions, expiry). */
  readonly theirProfile: ValidatedClientProfile;
  /** The double ratchet's first state; its secrets now belong to the ratchet. */
  readonly ratchet: InitialRatchetState;
}

/** What a transition returns. */
export interface DakeTransition {
  /** The next state (the same object when nothing changed). */
  readonly state: DakeState;
  /** A whole v4 message to send (Identity, Auth-R or Auth-I). */
  readonly send?: Uint8Array;
  /** Set when this transition completed the DAKE. */
  readonly established?: DakeEstablished;
  /** Set when the received message was ignored. */
  readonly rejected?: DakeRejection;
  /** Secrets to wipe once `state` is installed. */
  readonly consumed: readonly Secret[];
}

/** A fresh ECDH and DH key pair and the first ratchet pair of each. */
interface EphemeralKeys {
  readonly ecdh: EcdhKeyPair;
  readonly dh: Dh3072KeyPair;
  readonly firstEcdh: EcdhKeyPair;
  readonly firstDh: Dh3072KeyPair;
}

function generateEphemeralKeys(random: RandomSource): EphemeralKeys {
  return {
    ecdh: generateEcdhKeyPair(random),
    dh: generateDh3072KeyPair(random),
    firstEcdh: generateEcdhKeyPair(random),
    firstDh: generateDh3072KeyPair(random),
  };
}

function secretsOfKeys(keys: EphemeralKeys): Secret[] {
  return [keys.ecdh.secret, keys.dh.privateKey, keys.firstEcdh.secret, keys.firstDh.privateKey];
}

function ignore(state: DakeState, rejection: DakeRejection, consumed: readonly Secret[] = []): DakeTransition {
  return { state, rejected: rejection, consumed };
}

/**
 * Starts a DAKE ("Receiving a Query Message", "Starting a conversation
 * interactively"): a new Identity message to `receiverTag` (0 when the
 * peer's instance is not known yet) and WAITING_AUTH_R. Whatever DAKE was
 * in progress is dropped (its secrets are consumed).
 */
export function startDake(state: DakeState, context: DakeContext, receiverTag = 0): DakeTransition {
  const keys = generateEphemeralKeys(context.random);
  const identityMessage = encodeV4Message(
    { senderTag: context.ourInstanceTag, receiverTag },
    {
      kind: 'identity',
      body: {
        profile: context.ourProfile.profile,
        ecdh: keys.ecdh.publicKey.encode(),
        dh: keys.dh.publicKey,
        firstEcdh: keys.firstEcdh.publicKey.encode(),
        firstDh: keys.firstDh.publicKey,
      },
    },
  );
  const next: DakeWaitingAuthR = {
    kind: 'waiting-auth-r',
    ...keys,
    ourProfile: context.ourProfile.encoded,
    ourForgingKey: context.ourProfile.forgingKey,
    identityMessage,
  };
  return { state: next, send: identityMessage, consumed: dakeStateSecrets(state) };
}

/** Handles a received Identity, Auth-R or Auth-I message in `state`. */
export function receiveDakeMessage(state: DakeState, message: DakeMessage, context: DakeContext): DakeTransition {
  switch (message.kind) {
    case 'identity':
      return receiveIdentity(state, message, context);
    case 'auth-r':
      return state.kind === 'waiting-auth-r' ? receiveAuthR(state, message, context) : ignore(state, new DakeRejection('unexpected-message'));
    case 'auth-i':
      return state.kind === 'waiting-auth-i' ? receiveAuthI(state, message, context) : ignore(state, new DakeRejection('unexpected-message'));
  }
}

/** "To verify an Identity message": the profile, then Y, B, our_ecdh_first, our_dh_first. */
function verifyIdentity(message: Extract<DakeMessage, { kind: 'identity' }>, context: DakeContext): TheirIdentity | DakeRejection {
  const { body } = message;
  const profile = validateClientProfile(body.profile, message.senderTag, context.now);
  if (isProfileRejection(profile)) return new DakeRejection('bad-profile', profile.code);
  const ecdh = decodePoint(body.ecdh);
  if (isCryptoRejection(ecdh)) return new DakeRejection('bad-ecdh-key', ecdh.code);
  const dh = checkDh3072Public(body.dh);
  if (dh !== true) return new DakeRejection('bad-dh-key', dh.code);
  const firstEcdh = decodePoint(body.firstEcdh);
  if (isCryptoRejection(firstEcdh)) return new DakeRejection('bad-ecdh-key', firstEcdh.code);
  const firstDh = checkDh3072Public(body.firstDh);
  if (firstDh !== true) return new DakeRejection('bad-dh-key', firstDh.code);
  return {
    instanceTag: message.senderTag,
    profile,
    profileBytes: body.profile.encoded,
    ecdh,
    dh: body.dh,
    firstEcdh,
    firstDh: body.firstDh,
  };
}

/** "Receiving an Identity Message" in each state. */
function receiveIdentity(state: DakeState, message: Extract<DakeMessage, { kind: 'identity' }>, context: DakeContext): DakeTransition {
  const toUs = message.receiverTag === context.ourInstanceTag;
  // In WAITING_AUTH_I the Identity message must name us; elsewhere 0 (no instance yet) is allowed too.
  if (!toUs && message.receiverTag !== 0) return ignore(state, new DakeRejection('wrong-receiver-tag'));
  if (!toUs && state.kind === 'waiting-auth-i') return ignore(state, new DakeRejection('identity-without-receiver-tag'));
  const their = verifyIdentity(message, context);
  if (their instanceof DakeRejection) return ignore(state, their);
  if (state.kind === 'waiting-auth-r') {
    if (compareBytes(their.dh, state.dh.publicKey) === 0) return ignore(state, new DakeRejection('reflected'));
    // Simultaneous start: the higher hashed B keeps its Identity message and resends it.
    const ours = simultaneousStartHash(state.dh.publicKey);
    const theirs = simultaneousStartHash(their.dh);
    if (compareBytes(ours, theirs) > 0) return { state, send: state.identityMessage, consumed: [] };
  }
  return answerIdentity(state, their, context);
}

/** A ring with three distinct keys, or undefined (ringSign refuses repeated keys; a peer could cause them). */
function distinctRing(a: Ed448Point, b: Ed448Point, c: Ed448Point): Ring | undefined {
  return a.equals(b) || a.equals(c) || b.equals(c) ? undefined : [a, b, c];
}

/** Our side of phi. */
function ourPhiParty(context: DakeContext, firstEcdh: EcdhKeyPair, firstDh: Dh3072KeyPair): PhiParty {
  return { instanceTag: context.ourInstanceTag, firstEcdh: firstEcdh.publicKey.encode(), firstDh: firstDh.publicKey, contactId: context.ourContactId };
}

/** Their side of phi. */
function theirPhiParty(context: DakeContext, instanceTag: number, firstEcdh: Ed448Point, firstDh: Uint8Array): PhiParty {
  return { instanceTag, firstEcdh: firstEcdh.encode(), firstDh, contactId: context.theirContactId };
}

/**
 * We are Alice: answer a verified Identity message with an Auth-R ("Auth-R
 * Message", and Alice's steps of "Interactive DAKE Overview"), forgetting
 * whatever `state` held.
 */
function answerIdentity(state: DakeState, their: TheirIdentity, context: DakeContext): DakeTransition {
  const ourKey = context.identityKey.publicKey;
  // sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t)
  const ring = distinctRing(their.profile.forgingKey, ourKey, their.ecdh);
  if (ring === undefined) return ignore(state, new DakeRejection('degenerate-ring'));
  const keys = generateEphemeralKeys(context.random);
  const mixed = mixSharedSecret(keys.ecdh.secret, their.ecdh, keys.dh, their.dh);
  if (isCryptoRejection(mixed)) return ignore(state, new DakeRejection('degenerate-shared-secret', mixed.code), secretsOfKeys(keys));
  const ourProfile = context.ourProfile.encoded;
  const x = keys.ecdh.publicKey.encode();
  const phi = sharedSessionState(ourPhiParty(context, keys.firstEcdh, keys.firstDh), theirPhiParty(context, their.instanceTag, their.firstEcdh, their.firstDh));
  const t = authTranscript('auth-r', { bobProfile: their.profileBytes, aliceProfile: ourProfile, y: their.ecdh.encode(), x, b: their.dh, a: keys.dh.publicKey }, phi);
  const sigma = ringSign(context.random, context.identityKey, ring, t);
  const send = encodeV4Message(
    { senderTag: context.ourInstanceTag, receiverTag: their.instanceTag },
    {
      kind: 'auth-r',
      body: {
        profile: context.ourProfile.profile,
        ecdh: x,
        dh: keys.dh.publicKey,
        sigma,
        firstEcdh: keys.firstEcdh.publicKey.encode(),
        firstDh: keys.firstDh.publicKey,
      },
    },
  );
  const next: DakeWaitingAuthI = {
    kind: 'waiting-auth-i',
    k: mixed.k,
    ssid: secureSessionId(mixed.k),
    ecdhPublic: keys.ecdh.publicKey,
    dhPublic: keys.dh.publicKey,
    firstEcdh: keys.firstEcdh,
    firstDh: keys.firstDh,
    ourProfile,
    ourForgingKey: context.ourProfile.forgingKey,
    their,
  };
  // x, a and the brace key go as soon as K exists; the old state's secrets with them.
  return { state: next, send, consumed: [...dakeStateSecrets(state), keys.ecdh.secret, keys.dh.privateKey, mixed.braceKey] };
}

/** A received RING-SIG checked against `ring` and `t`. */
function verifySigma(sigma: RingSignature, ring: Ring, t: Uint8Array): DakeRejection | undefined {
  const decoded = decodeRingSignature(encodeRingSignature(sigma));
  if (isCryptoRejection(decoded)) return new DakeRejection('bad-ring-signature', decoded.code);
  return ringVerify(ring, decoded, t) ? undefined : new DakeRejection('bad-ring-signature');
}

/**
 * The first ratchet step from the DAKE's K and the first keys ("Initializes
 * the double-ratchet algorithm"); `consumed` receives prev_root_key and the
 * new K. The result is the one hand-over type of the DAKE to the double
 * ratchet (v4/ratchet's initializeRatchet takes it as it is).
 */
export function deriveInitialRatchetState(
  purpose: 'sending' | 'receiving',
  k: Secret,
  ourEcdh: EcdhKeyPair,
  ourDh: Dh3072KeyPair,
  theirEcdh: Ed448Point,
  theirDh: Uint8Array,
  consumed: Secret[],
): InitialRatchetState | DakeRejection {
  const mixed = mixSharedSecret(ourEcdh.secret, theirEcdh, ourDh, theirDh);
  if (isCryptoRejection(mixed)) return new DakeRejection('degenerate-shared-secret', mixed.code);
  const prevRootKey = firstRootKey(k);
  const { rootKey, chainKey } = deriveRatchetKeys(prevRootKey, mixed.k);
  consumed.push(prevRootKey, mixed.k);
  const common = { i: 0, j: 0, k: 0, pn: 0, maxRemoteISeen: -1, rootKey, ourEcdh, ourDh, theirEcdh, theirDh, braceKey: mixed.braceKey } as const;
  return purpose === 'sending' ? { ...common, firstChain: 'sending', sendingChainKey: chainKey } : { ...common, firstChain: 'receiving', receivingChainKey: chainKey };
}

/** We are Bob: "Receiving an Auth-R Message" in WAITING_AUTH_R, then the Auth-I and the ratchet. */
function receiveAuthR(state: DakeWaitingAuthR, message: Extract<DakeMessage, { kind: 'auth-r' }>, context: DakeContext): DakeTransition {
  if (message.receiverTag !== context.ourInstanceTag) return ignore(state, new DakeRejection('wrong-receiver-tag'));
  const { body } = message;
  const profile = validateClientProfile(body.profile, message.senderTag, context.now);
  if (isProfileRejection(profile)) return ignore(state, new DakeRejection('bad-profile', profile.code));
  const x = decodePoint(body.ecdh);
  if (isCryptoRejection(x)) return ignore(state, new DakeRejection('bad-ecdh-key', x.code));
  const a = checkDh3072Public(body.dh);
  if (a !== true) return ignore(state, new DakeRejection('bad-dh-key', a.code));
  const theirFirstEcdh = decodePoint(body.firstEcdh);
  if (isCryptoRejection(theirFirstEcdh)) return ignore(state, new DakeRejection('bad-ecdh-key', theirFirstEcdh.code));
  const theirFirstDh = checkDh3072Public(body.firstDh);
  if (theirFirstDh !== true) return ignore(state, new DakeRejection('bad-dh-key', theirFirstDh.code));

  const ourKey = context.identityKey.publicKey;
  const values = {
    bobProfile: state.ourProfile,
    aliceProfile: body.profile.encoded,
    y: state.ecdh.publicKey.encode(),
    x: body.ecdh,
    b: state.dh.publicKey,
    a: body.dh,
  };
  const us = ourPhiParty(context, state.firstEcdh, state.firstDh);
  const them = theirPhiParty(context, message.senderTag, theirFirstEcdh, body.firstDh);
  // RVrf({F_b, H_a, Y}, sigma, t), phi from Alice (sender) to us.
  const verifyRing = distinctRing(state.ourForgingKey, profile.publicKey, state.ecdh.publicKey);
  if (verifyRing === undefined) return ignore(state, new DakeRejection('degenerate-ring'));
  const refused = verifySigma(body.sigma, verifyRing, authTranscript('auth-r', values, sharedSessionState(them, us)));
  if (refused !== undefined) return ignore(state, refused);

  // sigma = RSig(H_b, sk_hb, {H_b, F_a, X}, t), phi from us (sender) to Alice.
  const signRing = distinctRing(ourKey, profile.forgingKey, x);
  if (signRing === undefined) return ignore(state, new DakeRejection('degenerate-ring'));
  const mixed = mixSharedSecret(state.ecdh.secret, x, state.dh, body.dh);
  if (isCryptoRejection(mixed)) return ignore(state, new DakeRejection('degenerate-shared-secret', mixed.code));
  const consumed: Secret[] = [state.ecdh.secret, state.dh.privateKey, mixed.braceKey, mixed.k];
  const ratchet = deriveInitialRatchetState('receiving', mixed.k, state.firstEcdh, state.firstDh, theirFirstEcdh, body.firstDh, consumed);
  if (ratchet instanceof DakeRejection) {
    // Only the fresh values go; the state keeps its own secrets, as the message is ignored.
    return ignore(state, ratchet, [mixed.braceKey, mixed.k]);
  }
  const sigma = ringSign(context.random, context.identityKey, signRing, authTranscript('auth-i', values, sharedSessionState(us, them)));
  const send = encodeV4Message({ senderTag: context.ourInstanceTag, receiverTag: message.senderTag }, { kind: 'auth-i', body: { sigma } });
  return {
    state: DAKE_START,
    send,
    established: { ssid: secureSessionId(mixed.k), sent: 'auth-i', theirInstanceTag: message.senderTag, theirProfile: profile, ratchet },
    consumed,
  };
}

/** We are Alice: "Receiving an Auth-I Message" in WAITING_AUTH_I, then the ratchet. */
function receiveAuthI(state: DakeWaitingAuthI, message: Extract<DakeMessage, { kind: 'auth-i' }>, context: DakeContext): DakeTransition {
  if (message.receiverTag !== context.ourInstanceTag) return ignore(state, new DakeRejection('wrong-receiver-tag'));
  const { their } = state;
  if (message.senderTag !== their.instanceTag) return ignore(state, new DakeRejection('wrong-sender-tag'));
  const values = {
    bobProfile: their.profileBytes,
    aliceProfile: state.ourProfile,
    y: their.ecdh.encode(),
    x: state.ecdhPublic.encode(),
    b: their.dh,
    a: state.dhPublic,
  };
  const phi = sharedSessionState(theirPhiParty(context, their.instanceTag, their.firstEcdh, their.firstDh), ourPhiParty(context, state.firstEcdh, state.firstDh));
  // RVrf({H_b, F_a, X}, sigma, t)
  const ring = distinctRing(their.profile.publicKey, state.ourForgingKey, state.ecdhPublic);
  if (ring === undefined) return ignore(state, new DakeRejection('degenerate-ring'));
  const refused = verifySigma(message.body.sigma, ring, authTranscript('auth-i', values, phi));
  if (refused !== undefined) return ignore(state, refused);
  const consumed: Secret[] = [state.k];
  const ratchet = deriveInitialRatchetState('sending', state.k, state.firstEcdh, state.firstDh, their.firstEcdh, their.firstDh, consumed);
  if (ratchet instanceof DakeRejection) return ignore(state, ratchet);
  return {
    state: DAKE_START,
    established: { ssid: state.ssid, sent: 'auth-r', theirInstanceTag: their.instanceTag, theirProfile: their.profile, ratchet },
    consumed,
  };
}
