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
 * |                | Identity (*), else forget ours (*) and    | ratchet; -> start   |                     |
 * |                | answer as in start                        |                     |                     |
 * | waiting-auth-i | receiver tag must be ours; validate;      | ignore (*)          | validate; ratchet;  |
 * |                | forget theirs (and ours); new Auth-R      |                     | -> start            |
 *
 * (*) With {@link SIMULTANEOUS_START_AS_OTR4J} (the default): the higher
 * hashed B sends nothing; the lower keeps its own Identity's state inside
 * WAITING_AUTH_I, where an Auth-R answering that Identity is validated as
 * in WAITING_AUTH_R and completes the DAKE (Auth-I; ratchet; -> start).
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

/**
 * The one compatibility point for simultaneous starts (both sides sent an
 * Identity message and each receives the other's in WAITING_AUTH_R).
 *
 * The spec ("The Protocol State Machine", "Receiving an Identity Message",
 * in WAITING_AUTH_R): the side whose hashed B is higher ignores the peer's
 * Identity and resends its own; the other forgets its Identity and answers
 * the peer's with an Auth-R, going to WAITING_AUTH_I.
 *
 * otr4j never makes that comparison. Its Identity comes from its master
 * instance (receiver tag 0), while ours reaches a fresh per-peer instance in
 * START, which always answers it with an Auth-R and waits in
 * WAITING_AUTH_I; SessionImpl.handleEncodedMessage adopts the master's DAKE
 * state (session/dake/DAKEAwaitingAuthR) only on an Auth-R, and
 * session/dake/DAKEAwaitingAuthI ignores an Auth-R and answers every
 * Identity with a new Auth-R made with new keys. With the spec's rule,
 * then: the loser's Auth-R is ignored by otr4j, and otr4j's Auth-R
 * answering the loser's Identity finds the loser in WAITING_AUTH_I, which
 * ignores it (a deadlock); the winner's resent Identity draws a second
 * Auth-R with new keys, which voids the Auth-I the winner sends for the
 * first.
 *
 * When true:
 * - the winner does not resend its Identity: the loser has it already and
 *   answers it (a lost message is recovered by the DAKE timeout and a
 *   restart, as any other loss);
 * - the loser answers the winner's Identity with an Auth-R as the spec says,
 *   but keeps its own WAITING_AUTH_R state in WAITING_AUTH_I
 *   (`ownIdentity`), so that an Auth-R answering its Identity (to our
 *   instance tag, signed over the kept keys) completes the DAKE as Bob. The
 *   kept secrets are consumed when the DAKE completes either way, and are
 *   part of the state's secrets (dropped on timeout, restart or abandon).
 *
 * Two sides that both follow either rule still meet in one DAKE.
 */
export const SIMULTANEOUS_START_AS_OTR4J: boolean = true;

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

/**
 * Handles a received Identity, Auth-R or Auth-I message in `state`;
 * `asOtr4j` chooses the simultaneous-start rule (see
 * {@link SIMULTANEOUS_START_AS_OTR4J}).
 */
export function receiveDakeMessage(state: DakeState, message: DakeMessage, context: DakeContext, asOtr4j: boolean = SIMULTANEOUS_START_AS_OTR4J): DakeTransition {
  switch (message.kind) {
    case 'identity':
      return receiveIdentity(state, message, context, asOtr4j);
    case 'auth-r':
      if (state.kind === 'waiting-auth-r') return receiveAuthR(state, message, context, state);
      // An Auth-R answering the Identity we kept after losing a simultaneous start.
      if (state.kind === 'waiting-auth-i' && state.ownIdentity !== undefined) return receiveAuthR(state.ownIdentity, message, context, state);
      return ignore(state, new DakeRejection('unexpected-message'));
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
function receiveIdentity(state: DakeState, message: Extract<DakeMessage, { kind: 'identity' }>, context: DakeContext, asOtr4j: boolean): DakeTransition {
  const toUs = message.receiverTag === context.ourInstanceTag;
  // In WAITING_AUTH_I the Identity message must name us; elsewhere 0 (no instance yet) is allowed too.
  if (!toUs && message.receiverTag !== 0) return ignore(state, new DakeRejection('wrong-receiver-tag'));
  if (!toUs && state.kind === 'waiting-auth-i') return ignore(state, new DakeRejection('identity-without-receiver-tag'));
  const their = verifyIdentity(message, context);
  if (their instanceof DakeRejection) return ignore(state, their);
  if (state.kind === 'waiting-auth-r') {
    if (compareBytes(their.dh, state.dh.publicKey) === 0) return ignore(state, new DakeRejection('reflected'));
    // Simultaneous start: the higher hashed B keeps its Identity message and resends it (the spec) or waits for its Auth-R (otr4j).
    const ours = simultaneousStartHash(state.dh.publicKey);
    const theirs = simultaneousStartHash(their.dh);
    if (compareBytes(ours, theirs) > 0) return asOtr4j ? { state, consumed: [] } : { state, send: state.identityMessage, consumed: [] };
    // The lower answers; as otr4j, it keeps its own Identity's state for an Auth-R answering it.
    if (asOtr4j) return answerIdentity(state, their, context, state);
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
 * whatever `state` held except `keep` (our own Identity's state, which is
 * `state` itself; see {@link SIMULTANEOUS_START_AS_OTR4J}).
 */
function answerIdentity(state: DakeState, their: TheirIdentity, context: DakeContext, keep?: DakeWaitingAuthR): DakeTransition {
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
    ...(keep === undefined ? {} : { ownIdentity: keep }),
  };
  // x, a and the brace key go as soon as K exists; the old state's secrets with them, unless kept.
  const dropped = keep === undefined ? dakeStateSecrets(state) : [];
  return { state: next, send, consumed: [...dropped, keys.ecdh.secret, keys.dh.privateKey, mixed.braceKey] };
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

/**
 * We are Bob: "Receiving an Auth-R Message" in WAITING_AUTH_R, then the
 * Auth-I and the ratchet. `state` is our Identity's state; `current` the
 * state we are in: `state` itself, or the WAITING_AUTH_I that kept it
 * (whose other secrets the completion consumes).
 */
function receiveAuthR(
  state: DakeWaitingAuthR,
  message: Extract<DakeMessage, { kind: 'auth-r' }>,
  context: DakeContext,
  current: DakeWaitingAuthR | DakeWaitingAuthI,
): DakeTransition {
  const refuse = (rejection: DakeRejection, consumed: readonly Secret[] = []): DakeTransition => ({ state: current, rejected: rejection, consumed });
  if (message.receiverTag !== context.ourInstanceTag) return refuse(new DakeRejection('wrong-receiver-tag'));
  const { body } = message;
  const profile = validateClientProfile(body.profile, message.senderTag, context.now);
  if (isProfileRejection(profile)) return refuse(new DakeRejection('bad-profile', profile.code));
  const x = decodePoint(body.ecdh);
  if (isCryptoRejection(x)) return refuse(new DakeRejection('bad-ecdh-key', x.code));
  const a = checkDh3072Public(body.dh);
  if (a !== true) return refuse(new DakeRejection('bad-dh-key', a.code));
  const theirFirstEcdh = decodePoint(body.firstEcdh);
  if (isCryptoRejection(theirFirstEcdh)) return refuse(new DakeRejection('bad-ecdh-key', theirFirstEcdh.code));
  const theirFirstDh = checkDh3072Public(body.firstDh);
  if (theirFirstDh !== true) return refuse(new DakeRejection('bad-dh-key', theirFirstDh.code));

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
  if (verifyRing === undefined) return refuse(new DakeRejection('degenerate-ring'));
  const refused = verifySigma(body.sigma, verifyRing, authTranscript('auth-r', values, sharedSessionState(them, us)));
  if (refused !== undefined) return refuse(refused);

  // sigma = RSig(H_b, sk_hb, {H_b, F_a, X}, t), phi from us (sender) to Alice.
  const signRing = distinctRing(ourKey, profile.forgingKey, x);
  if (signRing === undefined) return refuse(new DakeRejection('degenerate-ring'));
  const mixed = mixSharedSecret(state.ecdh.secret, x, state.dh, body.dh);
  if (isCryptoRejection(mixed)) return refuse(new DakeRejection('degenerate-shared-secret', mixed.code));
  // The WAITING_AUTH_I we answered their Identity in, if any, goes too.
  const answered = current.kind === 'waiting-auth-i' ? [current.k, current.firstEcdh.secret, current.firstDh.privateKey] : [];
  const consumed: Secret[] = [state.ecdh.secret, state.dh.privateKey, mixed.braceKey, mixed.k, ...answered];
  const ratchet = deriveInitialRatchetState('receiving', mixed.k, state.firstEcdh, state.firstDh, theirFirstEcdh, body.firstDh, consumed);
  if (ratchet instanceof DakeRejection) {
    // Only the fresh values go; the state keeps its own secrets, as the message is ignored.
    return refuse(ratchet, [mixed.braceKey, mixed.k]);
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
  // Our own Identity's state, if kept, goes with K.
  const consumed: Secret[] = [state.k, ...(state.ownIdentity === undefined ? [] : dakeStateSecrets(state.ownIdentity))];
  const ratchet = deriveInitialRatchetState('sending', state.k, state.firstEcdh, state.firstDh, their.firstEcdh, their.firstDh, consumed);
  if (ratchet instanceof DakeRejection) return ignore(state, ratchet);
  return {
    state: DAKE_START,
    established: { ssid: state.ssid, sent: 'auth-r', theirInstanceTag: their.instanceTag, theirProfile: their.profile, ratchet },
    consumed,
  };
}
