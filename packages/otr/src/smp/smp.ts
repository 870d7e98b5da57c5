/**
 * The SMP state machine (Protocol-v3, "The SMP state machine", "State
 * Transitions"): user actions (start, answer, abort) and received SMP TLVs,
 * as transitions from one {@link SmpState} to the next. The machine is
 * generic over the version's math and TLV coding ({@link SmpMath}): v3's
 * (v3/smp.ts) and v4's plug in.
 *
 * Theory of operation: a transition consumes the current state and gives the
 * next state, the TLVs to send in one data message, events for the host, and
 * in `consumed` every secret it is done with (the old state's, the user's
 * secret); it wipes nothing itself: the caller installs the next state and
 * has `consumed` wiped (secure-channel.ts, "Wiping"). The secure session
 * calls it only while MSGSTATE_ENCRYPTED holds, and wipes the state when
 * that ends.
 *
 * - A TLV the state does not expect makes us start over, as the spec says:
 *   send an abort (TLV 6) and go back to SMPSTATE_EXPECT1. A message that
 *   does not decode or fails a check gets the same treatment (libotr's
 *   clients abort on its CHEATED and ERROR events too).
 * - A received abort returns to SMPSTATE_EXPECT1 and sends nothing, so
 *   aborts never bounce back and forth.
 * - Simultaneous starts: both sides sent message 1 and so are in EXPECT2;
 *   each receives the other's message 1, which EXPECT2 does not expect, so
 *   each sends an abort and goes idle; the aborts then arrive in idle and are
 *   absorbed. Both users see `smp-aborted` (by: 'protocol', reason
 *   'unexpected') and no SMP runs: a clean, deterministic outcome that needs
 *   no tie-break. It is the spec's rule, which python-potr follows and
 *   libotr's clients apply on its ERROR event, so mixed pairs agree.
 * - Starting while an SMP runs or a request waits for an answer sends an
 *   abort and message 1 in the same data message (the spec's "restart").
 *   A peer that reads TLVs in order (ours, python-potr) drops its SMP and
 *   answers the new one; libotr reads SMP TLVs before the abort, so it
 *   aborts and both sides end idle.
 * - Message 1 while a request waits for an answer replaces the request
 *   (EXPECT1 accepts message 1).
 */
import { UsageError, isDecodeError, type SmpAbortReason } from '../errors.js';
import type { Tlv } from '../wire/tlv.js';
import type { SmpContext, SmpMath, SmpTypes, Wipeable } from './smp-math.js';
import { SMP_IDLE, smpStateSecrets, type SmpState } from './smp-state.js';

export type { SmpAbortReason };

/** Events SMP reports (the instance adds peer and instance tag). */
export type SmpEvent =
  /** The peer started SMP; answer with {@link smpAnswer} (or abort). */
  | { readonly kind: 'smp-request'; readonly question: string | null }
  /** SMP completed: whether both secrets were equal. */
  | { readonly kind: 'smp-result'; readonly success: boolean }
  /** SMP ended early: by our user, by the peer's abort, or over a bad or unexpected message. */
  | { readonly kind: 'smp-aborted'; readonly by: 'us' | 'peer' }
  | { readonly kind: 'smp-aborted'; readonly by: 'protocol'; readonly reason: SmpAbortReason };

/** The result of one SMP transition. */
export interface SmpStep<T extends SmpTypes> {
  readonly next: SmpState<T>;
  /** TLVs to send together in one data message (empty: send nothing). */
  readonly send: Tlv[];
  readonly events: SmpEvent[];
  /** Secrets this transition is done with, for the caller to wipe once `next` is installed. */
  readonly consumed: readonly Wipeable[];
}

/** Gives up because of a received TLV: abort and SMPSTATE_EXPECT1. */
function protocolAbort<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, reason: SmpAbortReason): SmpStep<T> {
  return { next: SMP_IDLE, send: [math.abort()], events: [{ kind: 'smp-aborted', by: 'protocol', reason }], consumed: smpStateSecrets(state) };
}

/**
 * The user starts SMP with their secret (bytes as typed, UTF-8 for text) and
 * an optional question. A running SMP or a pending request is aborted
 * first. Throws UsageError for a question containing NUL.
 */
export function smpStart<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, userSecret: Uint8Array, question: string | undefined, context: SmpContext): SmpStep<T> {
  if (question?.includes('\0') === true) throw new UsageError('bad-smp-question', 'an SMP question cannot contain NUL');
  const restart = state.kind !== 'idle';
  const secret = math.secret(context.ourFingerprint, context.theirFingerprint, context.ssid, userSecret);
  const { message, state: secrets } = math.step1(secret, context.random);
  const first = math.encode1(message, question);
  return {
    next: { kind: 'expect2', secrets },
    send: restart ? [math.abort(), first] : [first],
    events: restart ? [{ kind: 'smp-aborted', by: 'us' }] : [],
    consumed: [...smpStateSecrets(state), secret],
  };
}

/** The user answers the peer's request with their secret. Throws UsageError when no request waits. */
export function smpAnswer<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, userSecret: Uint8Array, context: SmpContext): SmpStep<T> {
  if (state.kind !== 'awaiting-answer') throw new UsageError('no-smp-request', 'there is no SMP request to answer');
  // The peer initiated: its fingerprint comes first in the secret.
  const secret = math.secret(context.theirFingerprint, context.ourFingerprint, context.ssid, userSecret);
  const { message, state: secrets } = math.step2b(state.request, secret, context.random);
  return { next: { kind: 'expect3', secrets }, send: [math.encode2(message)], events: [], consumed: [...smpStateSecrets(state), secret] };
}

/**
 * The user aborts SMP: always sends the abort (the peer may be in a state we
 * do not know of); reports `smp-aborted` only if something was running.
 */
export function smpAbort<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>): SmpStep<T> {
  const running = state.kind !== 'idle';
  return { next: SMP_IDLE, send: [math.abort()], events: running ? [{ kind: 'smp-aborted', by: 'us' }] : [], consumed: smpStateSecrets(state) };
}

/** Handles one received TLV; undefined when it is not an SMP TLV. */
export function smpReceive<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, tlv: Tlv, context: SmpContext): SmpStep<T> | undefined {
  switch (math.stepOf(tlv)) {
    case 'abort': {
      const running = state.kind !== 'idle';
      return { next: SMP_IDLE, send: [], events: running ? [{ kind: 'smp-aborted', by: 'peer' }] : [], consumed: smpStateSecrets(state) };
    }
    case 1:
      return receiveMessage1(math, state, tlv);
    case 2:
      return receiveMessage2(math, state, tlv, context);
    case 3:
      return receiveMessage3(math, state, tlv, context);
    case 4:
      return receiveMessage4(math, state, tlv);
    case undefined:
      return undefined;
  }
}

function receiveMessage1<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, tlv: Tlv): SmpStep<T> {
  if (state.kind !== 'idle' && state.kind !== 'awaiting-answer') return protocolAbort(math, state, 'unexpected');
  const decoded = math.decode1(tlv);
  if (isDecodeError(decoded)) return protocolAbort(math, state, 'malformed');
  const { question, message } = decoded;
  const request = math.step2a(message);
  if (typeof request === 'string') return protocolAbort(math, state, request);
  return { next: { kind: 'awaiting-answer', question, request }, send: [], events: [{ kind: 'smp-request', question }], consumed: smpStateSecrets(state) };
}

function receiveMessage2<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, tlv: Tlv, context: SmpContext): SmpStep<T> {
  if (state.kind !== 'expect2') return protocolAbort(math, state, 'unexpected');
  const message = math.decode2(tlv);
  if (isDecodeError(message)) return protocolAbort(math, state, 'malformed');
  const result = math.step3(state.secrets, message, context.random);
  if (typeof result === 'string') return protocolAbort(math, state, result);
  return { next: { kind: 'expect4', secrets: result.state }, send: [math.encode3(result.message)], events: [], consumed: smpStateSecrets(state) };
}

function receiveMessage3<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, tlv: Tlv, context: SmpContext): SmpStep<T> {
  if (state.kind !== 'expect3') return protocolAbort(math, state, 'unexpected');
  const message = math.decode3(tlv);
  if (isDecodeError(message)) return protocolAbort(math, state, 'malformed');
  const result = math.step4(state.secrets, message, context.random);
  if (typeof result === 'string') return protocolAbort(math, state, result);
  return { next: SMP_IDLE, send: [math.encode4(result.message)], events: [{ kind: 'smp-result', success: result.success }], consumed: smpStateSecrets(state) };
}

function receiveMessage4<T extends SmpTypes>(math: SmpMath<T>, state: SmpState<T>, tlv: Tlv): SmpStep<T> {
  if (state.kind !== 'expect4') return protocolAbort(math, state, 'unexpected');
  const message = math.decode4(tlv);
  if (isDecodeError(message)) return protocolAbort(math, state, 'malformed');
  const result = math.step5(state.secrets, message);
  if (typeof result === 'string') return protocolAbort(math, state, result);
  return { next: SMP_IDLE, send: [], events: [{ kind: 'smp-result', success: result.success }], consumed: smpStateSecrets(state) };
}

/** The state machine bound to one version's math and TLVs: what each version's smp.ts exports. */
export interface BoundSmp<T extends SmpTypes> {
  /** {@link smpStart}: message 1, after an abort when an SMP was running. */
  readonly smpStart: (state: SmpState<T>, userSecret: Uint8Array, question: string | undefined, context: SmpContext) => SmpStep<T>;
  /** {@link smpAnswer}: message 2. Throws UsageError when no request waits. */
  readonly smpAnswer: (state: SmpState<T>, userSecret: Uint8Array, context: SmpContext) => SmpStep<T>;
  /** {@link smpAbort}: always sends the abort TLV. */
  readonly smpAbort: (state: SmpState<T>) => SmpStep<T>;
  /** {@link smpReceive}: undefined for a TLV that is not SMP's. */
  readonly smpReceive: (state: SmpState<T>, tlv: Tlv, context: SmpContext) => SmpStep<T> | undefined;
}

/** Binds the state machine's transitions to one version's `math`. */
export function bindSmp<T extends SmpTypes>(math: SmpMath<T>): BoundSmp<T> {
  return {
    smpStart: (state, userSecret, question, context) => smpStart(math, state, userSecret, question, context),
    smpAnswer: (state, userSecret, context) => smpAnswer(math, state, userSecret, context),
    smpAbort: (state) => smpAbort(math, state),
    smpReceive: (state, tlv, context) => smpReceive(math, state, tlv, context),
  };
}
