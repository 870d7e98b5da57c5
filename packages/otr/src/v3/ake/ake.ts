/**
 * The v2/v3 authenticated key exchange as a table-driven state machine
 * (Protocol-v3, "Authenticated Key Exchange" and "The protocol state
 * machine": receiving D-H Commit, D-H Key, Reveal Signature, Signature).
 *
 * Theory of operation: the session layer decodes an AKE message, checks the
 * policy allows its version, and calls {@link receiveAkeMessage} with the
 * current {@link AuthState}. The handler chosen by `AKE_TABLE[state][message]`
 * returns the next state, an optional reply and, when the exchange completes,
 * an {@link AkeSuccess} that the session turns into data-exchange keys.
 * Handlers wipe nothing: every secret they drop (of the old state, or made
 * and used up on the way) is returned in `consumed`, which the caller wipes
 * once it has installed the next state (secure-channel.ts, "Wiping");
 * secrets carried into the next state or the success value are handed over,
 * never copied. A message whose
 * verification fails is ignored (the state is kept), as the per-message rules
 * of the spec say, and reported so the host can see it.
 */
import {
  aes128Ctr,
  constantTimeEqual,
  deriveAkeKeys,
  dhSharedSecret,
  generateDhKeyPair,
  isValidDhPublic,
  sha256,
  ZERO_COUNTER,
  type DhKeyPair,
  type DsaPrivateKey,
  type DsaPublicKey,
  type RandomSource,
  type Wipeable,
  Secret,
} from '../../crypto/index.js';
import { compareBytes } from '../../bytes.js';
import type { DhCommit, DhKey, RevealSignature, Signature } from '../../wire/index.js';
import { decodeMpiExactly } from '../../wire/index.js';
import { Writer } from '../../wire/writer.js';
import {
  AUTH_NONE,
  authStateSecrets,
  type AkeVersion,
  type AuthState,
  type AwaitingDhKey,
  type AwaitingRevealSignature,
  type AwaitingSignature,
} from './auth-state.js';
import { openSignature, sealSignature } from './signature-exchange.js';

/** Our DH key id during the AKE; libotr and the spec's key management both use 1. */
export const AKE_KEY_ID = 1;

/** A decoded AKE message with its protocol version. */
export type AkeMessage =
  | { readonly type: 'dh-commit'; readonly version: AkeVersion; readonly body: DhCommit }
  | { readonly type: 'dh-key'; readonly version: AkeVersion; readonly body: DhKey }
  | { readonly type: 'reveal-signature'; readonly version: AkeVersion; readonly body: RevealSignature }
  | { readonly type: 'signature'; readonly version: AkeVersion; readonly body: Signature };

/** What a completed AKE hands to the data exchange. */
export interface AkeSuccess {
  readonly version: AkeVersion;
  readonly theirPublicKey: DsaPublicKey;
  readonly theirKeyId: number;
  readonly theirDhPublic: Uint8Array;
  /** Our DH key pair used in the AKE, with key id {@link AKE_KEY_ID}; ownership passes to the caller. */
  readonly ourDh: DhKeyPair;
  /** s, the shared secret of ourDh and theirDhPublic; ownership passes to the caller. */
  readonly shared: Secret;
  readonly ssid: Uint8Array;
  /** The half to emphasise: 'first' if we sent the Reveal Signature message. */
  readonly ssidHalf: 'first' | 'second';
}

/** Why a message was ignored because a check failed: a D-H value out of range, or a failed commitment, MAC or signature. */
export interface AkeRejection {
  readonly code: 'bad-group-element' | 'bad-signature' | 'unsupported-key';
  readonly detail: string;
}

/** The result of one AKE step. */
export interface AkeStep {
  readonly next: AuthState;
  readonly reply?: AkeMessage;
  readonly success?: AkeSuccess;
  /** Set when a message was ignored because a check failed (not for ordinary ignores). */
  readonly rejected?: AkeRejection;
  /** Secrets this step is done with, for the caller to wipe once `next` is installed. */
  readonly consumed: readonly Wipeable[];
}

/** What the AKE needs from its surroundings. */
export interface AkeContext {
  readonly privateKey: DsaPrivateKey;
  readonly random: RandomSource;
  readonly now: number;
}

type Handler<S extends AuthState, M extends AkeMessage> = (state: S, message: M, context: AkeContext) => AkeStep;

function mpiBytes(value: Uint8Array): Uint8Array {
  return new Writer().mpi(value).finish();
}

/** Starts an AKE: a fresh D-H Commit (the caller consumes any previous state). */
export function startAke(version: AkeVersion, context: AkeContext): AkeStep {
  const revealKey = new Secret(context.random(16));
  const ourDh = generateDhKeyPair(context.random);
  const gxMpi = mpiBytes(ourDh.publicKey);
  const commit: DhCommit = {
    encryptedGx: aes128Ctr(revealKey.expose(), ZERO_COUNTER, gxMpi),
    hashedGx: sha256(gxMpi),
  };
  const next: AwaitingDhKey = { kind: 'awaiting-dhkey', version, since: context.now, revealKey, ourDh, commit };
  return { next, reply: { type: 'dh-commit', version, body: commit }, consumed: [] };
}

/** Answers a D-H Commit with a fresh g^y (the AUTHSTATE_NONE rule), consuming the secrets of the state left. */
function answerCommit(left: AuthState, message: AkeMessage & { type: 'dh-commit' }, context: AkeContext): AkeStep {
  const ourDh = generateDhKeyPair(context.random);
  const dhKey: DhKey = { gy: ourDh.publicKey };
  const next: AwaitingRevealSignature = {
    kind: 'awaiting-revealsig',
    version: message.version,
    since: context.now,
    ourDh,
    theirCommit: message.body,
    dhKey,
  };
  return { next, reply: { type: 'dh-key', version: message.version, body: dhKey }, consumed: authStateSecrets(left) };
}

const ignore = (state: AuthState): AkeStep => ({ next: state, consumed: [] });
const reject = (state: AuthState, code: AkeRejection['code'], detail: string, consumed: readonly Wipeable[] = []): AkeStep => ({
  next: state,
  rejected: { code, detail },
  consumed,
});

const commitInNone: Handler<AuthState, AkeMessage & { type: 'dh-commit' }> = (state, message, context) =>
  answerCommit(state, message, context);

/** Both sides sent a D-H Commit: the higher HASH(g^x), as 32-byte big-endian, keeps its own. */
const commitInAwaitingDhKey: Handler<AwaitingDhKey, AkeMessage & { type: 'dh-commit' }> = (state, message, context) => {
  if (message.version === state.version && compareBytes(state.commit.hashedGx, message.body.hashedGx) > 0) {
    return { next: state, reply: { type: 'dh-commit', version: state.version, body: state.commit }, consumed: [] };
  }
  return answerCommit(state, message, context);
};

/** A new or repeated D-H Commit: resend the same g^y and remember the new commitment. */
const commitInAwaitingRevealSig: Handler<AwaitingRevealSignature, AkeMessage & { type: 'dh-commit' }> = (
  state,
  message,
  context,
) => {
  if (message.version !== state.version) return answerCommit(state, message, context);
  const next: AwaitingRevealSignature = { ...state, since: context.now, theirCommit: message.body };
  return { next, reply: { type: 'dh-key', version: state.version, body: state.dhKey }, consumed: [] };
};

const commitInAwaitingSig: Handler<AwaitingSignature, AkeMessage & { type: 'dh-commit' }> = (state, message, context) =>
  answerCommit(state, message, context);

/** g^y arrived: compute s, reveal r and sign (we are "Bob"). */
const dhKeyInAwaitingDhKey: Handler<AwaitingDhKey, AkeMessage & { type: 'dh-key' }> = (state, message, context) => {
  if (message.version !== state.version) return ignore(state);
  const theirDhPublic = message.body.gy;
  const shared = isValidDhPublic(theirDhPublic) ? dhSharedSecret(state.ourDh, theirDhPublic) : undefined;
  if (shared === undefined) return reject(state, 'bad-group-element', 'g^y out of range');
  const keys = deriveAkeKeys(shared);
  const sealed = sealSignature(
    { encryptionKey: keys.c, authenticatorKey: keys.m1, macKey: keys.m2 },
    state.ourDh.publicKey,
    theirDhPublic,
    context.privateKey,
    AKE_KEY_ID,
    context.random,
  );
  const revealSignature: RevealSignature = { revealedKey: Uint8Array.from(state.revealKey.expose()), ...sealed };
  const next: AwaitingSignature = {
    kind: 'awaiting-sig',
    version: state.version,
    since: context.now,
    ourDh: state.ourDh,
    theirDhPublic,
    shared,
    keys,
    revealSignature,
  };
  // r is public once sent: the secret copy goes.
  return { next, reply: { type: 'reveal-signature', version: state.version, body: revealSignature }, consumed: [state.revealKey] };
};

/** A repeated D-H Key gets our Reveal Signature again; a different one is ignored. */
const dhKeyInAwaitingSig: Handler<AwaitingSignature, AkeMessage & { type: 'dh-key' }> = (state, message) => {
  if (message.version !== state.version || compareBytes(message.body.gy, state.theirDhPublic) !== 0) return ignore(state);
  return { next: state, reply: { type: 'reveal-signature', version: state.version, body: state.revealSignature }, consumed: [] };
};

/** r revealed: check the commitment, then the peer's signature, then sign ourselves (we are "Alice"). */
const revealInAwaitingRevealSig: Handler<AwaitingRevealSignature, AkeMessage & { type: 'reveal-signature' }> = (
  state,
  message,
  context,
) => {
  if (message.version !== state.version) return ignore(state);
  const { revealedKey, encryptedSignature, mac } = message.body;
  if (revealedKey.length !== 16) return reject(state, 'bad-signature', 'revealed key is not 128 bits');
  const gxMpi = aes128Ctr(revealedKey, ZERO_COUNTER, state.theirCommit.encryptedGx);
  if (!constantTimeEqual(sha256(gxMpi), state.theirCommit.hashedGx)) return reject(state, 'bad-signature', 'g^x does not match its hash');
  const theirDhPublic = decodeMpiExactly(gxMpi);
  if (theirDhPublic === undefined || !isValidDhPublic(theirDhPublic)) return reject(state, 'bad-group-element', 'g^x out of range');
  const shared = dhSharedSecret(state.ourDh, theirDhPublic);
  if (shared === undefined) return reject(state, 'bad-group-element', 'g^x out of range');
  const keys = deriveAkeKeys(shared);
  const verified = openSignature(
    { encryptionKey: keys.c, authenticatorKey: keys.m1, macKey: keys.m2 },
    { encryptedSignature, mac },
    theirDhPublic,
    state.ourDh.publicKey,
  );
  if (typeof verified === 'string') {
    return verified === 'unsupported-key'
      ? reject(state, 'unsupported-key', 'the peer\'s DSA key is not 1024/160 bits', [keys, shared])
      : reject(state, 'bad-signature', 'reveal signature did not verify', [keys, shared]);
  }
  const sealed = sealSignature(
    { encryptionKey: keys.cPrime, authenticatorKey: keys.m1Prime, macKey: keys.m2Prime },
    state.ourDh.publicKey,
    theirDhPublic,
    context.privateKey,
    AKE_KEY_ID,
    context.random,
  );
  const ssid = Uint8Array.from(keys.ssid);
  return {
    next: AUTH_NONE,
    consumed: [keys],
    reply: { type: 'signature', version: state.version, body: sealed },
    success: {
      version: state.version,
      theirPublicKey: verified.publicKey,
      theirKeyId: verified.keyId,
      theirDhPublic,
      ourDh: state.ourDh,
      shared,
      ssid,
      ssidHalf: 'second',
    },
  };
};

/** The final message: check the peer's signature under c', m1', m2'. */
const signatureInAwaitingSig: Handler<AwaitingSignature, AkeMessage & { type: 'signature' }> = (state, message) => {
  if (message.version !== state.version) return ignore(state);
  const { keys } = state;
  const verified = openSignature(
    { encryptionKey: keys.cPrime, authenticatorKey: keys.m1Prime, macKey: keys.m2Prime },
    message.body,
    state.theirDhPublic,
    state.ourDh.publicKey,
  );
  if (verified === 'unsupported-key') return reject(state, 'unsupported-key', 'the peer\'s DSA key is not 1024/160 bits');
  if (verified === 'bad-signature') return reject(state, 'bad-signature', 'signature did not verify');
  const ssid = Uint8Array.from(keys.ssid);
  return {
    next: AUTH_NONE,
    consumed: [keys],
    success: {
      version: state.version,
      theirPublicKey: verified.publicKey,
      theirKeyId: verified.keyId,
      theirDhPublic: state.theirDhPublic,
      ourDh: state.ourDh,
      shared: state.shared,
      ssid,
      ssidHalf: 'first',
    },
  };
};

type MessageOf<T extends AkeMessage['type']> = AkeMessage & { type: T };
type Row<S extends AuthState> = { [T in AkeMessage['type']]: Handler<S, MessageOf<T>> };
type Table = { [K in AuthState['kind']]: Row<AuthState & { kind: K }> };

/**
 * The spec's rules, one cell per authstate x message. `ignore` cells are the
 * spec's "ignore the message".
 */
export const AKE_TABLE: Table = {
  none: { 'dh-commit': commitInNone, 'dh-key': ignore, 'reveal-signature': ignore, signature: ignore },
  'awaiting-dhkey': {
    'dh-commit': commitInAwaitingDhKey,
    'dh-key': dhKeyInAwaitingDhKey,
    'reveal-signature': ignore,
    signature: ignore,
  },
  'awaiting-revealsig': {
    'dh-commit': commitInAwaitingRevealSig,
    'dh-key': ignore,
    'reveal-signature': revealInAwaitingRevealSig,
    signature: ignore,
  },
  'awaiting-sig': {
    'dh-commit': commitInAwaitingSig,
    'dh-key': dhKeyInAwaitingSig,
    'reveal-signature': ignore,
    signature: signatureInAwaitingSig,
  },
};

/** Applies one received AKE message to the current state. */
export function receiveAkeMessage(state: AuthState, message: AkeMessage, context: AkeContext): AkeStep {
  const row = AKE_TABLE[state.kind] as Row<AuthState>;
  const handler = row[message.type] as Handler<AuthState, AkeMessage>;
  return handler(state, message, context);
}

/** Abandons an AKE that made no progress for `timeoutMs` (the caller reports it). */
export function expireAke(state: AuthState, now: number, timeoutMs: number): { readonly next: AuthState; readonly consumed: readonly Wipeable[] } {
  if (state.kind === 'none' || now - state.since < timeoutMs) return { next: state, consumed: [] };
  return { next: AUTH_NONE, consumed: authStateSecrets(state) };
}

/** When the current AKE times out, if one is running. */
export function akeDeadline(state: AuthState, timeoutMs: number): number | undefined {
  return state.kind === 'none' ? undefined : state.since + timeoutMs;
}
