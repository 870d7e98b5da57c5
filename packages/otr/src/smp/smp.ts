/**
 * The SMP state machine (Protocol-v3, "The SMP state machine", "State
 * Transitions"): user actions (start, answer, abort) and received TLVs 2 to
 * 7, as transitions from one {@link SmpState} to the next.
 *
 * Theory of operation: a transition consumes the current state (its secrets
 * are wiped before it returns) and gives the next state, the TLVs to send in
 * one data message, and events for the host. The secure session calls it
 * only while MSGSTATE_ENCRYPTED holds, and wipes the state when that ends.
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
import type { RandomSource } from '../crypto/random.js';
import { smpSecret, smpStep1, smpStep2a, smpStep2b, smpStep3, smpStep4, smpStep5 } from '../crypto/v3/smp-math.js';
import { UsageError, isDecodeError, type SmpAbortReason } from '../errors.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  encodeSmpPayload,
  joinSmpQuestion,
  splitSmpQuestion,
} from '../wire/smp-payload.js';
import { TLV_SMP1, TLV_SMP1Q, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT, type Tlv } from '../wire/tlv.js';
import { SMP_IDLE, wipeSmpState, type SmpState } from './smp-state.js';

/** What SMP needs from the secure session. */
export interface SmpContext {
  /** Fingerprint (20 bytes) of our long-term public key in this session. */
  readonly ourFingerprint: Uint8Array;
  /** Fingerprint (20 bytes) of the peer's long-term public key in this session. */
  readonly theirFingerprint: Uint8Array;
  /** The session's SSID (8 bytes). */
  readonly ssid: Uint8Array;
  readonly random: RandomSource;
}

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
export interface SmpStep {
  readonly next: SmpState;
  /** TLVs to send together in one data message (empty: send nothing). */
  readonly send: Tlv[];
  readonly events: SmpEvent[];
}

const abortTlv = (): Tlv => ({ type: TLV_SMP_ABORT, value: new Uint8Array(0) });

/** Gives up because of a received TLV: abort (TLV 6) and SMPSTATE_EXPECT1. */
function protocolAbort(state: SmpState, reason: SmpAbortReason): SmpStep {
  wipeSmpState(state);
  return { next: SMP_IDLE, send: [abortTlv()], events: [{ kind: 'smp-aborted', by: 'protocol', reason }] };
}

/**
 * The user starts SMP with their secret (bytes as typed, UTF-8 for text) and
 * an optional question (TLV 7 instead of 2). A running SMP or a pending
 * request is aborted first. Throws UsageError for a question containing NUL.
 */
export function smpStart(state: SmpState, userSecret: Uint8Array, question: string | undefined, context: SmpContext): SmpStep {
  if (question?.includes('\0') === true) throw new UsageError('bad-smp-question', 'an SMP question cannot contain NUL');
  const restart = state.kind !== 'idle';
  wipeSmpState(state);
  const secret = smpSecret(context.ourFingerprint, context.theirFingerprint, context.ssid, userSecret);
  const { message, state: secrets } = smpStep1(secret, context.random);
  secret.wipe();
  const payload = encodeSmpPayload(message);
  const first: Tlv = question === undefined ? { type: TLV_SMP1, value: payload } : { type: TLV_SMP1Q, value: joinSmpQuestion(question, payload) };
  return {
    next: { kind: 'expect2', secrets },
    send: restart ? [abortTlv(), first] : [first],
    events: restart ? [{ kind: 'smp-aborted', by: 'us' }] : [],
  };
}

/** The user answers the peer's request with their secret. Throws UsageError when no request waits. */
export function smpAnswer(state: SmpState, userSecret: Uint8Array, context: SmpContext): SmpStep {
  if (state.kind !== 'awaiting-answer') throw new UsageError('no-smp-request', 'there is no SMP request to answer');
  // The peer initiated: its fingerprint comes first in the secret.
  const secret = smpSecret(context.theirFingerprint, context.ourFingerprint, context.ssid, userSecret);
  const { message, state: secrets } = smpStep2b(state.request, secret, context.random);
  secret.wipe();
  wipeSmpState(state);
  return { next: { kind: 'expect3', secrets }, send: [{ type: TLV_SMP2, value: encodeSmpPayload(message) }], events: [] };
}

/**
 * The user aborts SMP: always sends TLV 6 (the peer may be in a state we
 * do not know of); reports `smp-aborted` only if something was running.
 */
export function smpAbort(state: SmpState): SmpStep {
  const running = state.kind !== 'idle';
  wipeSmpState(state);
  return { next: SMP_IDLE, send: [abortTlv()], events: running ? [{ kind: 'smp-aborted', by: 'us' }] : [] };
}

/** Handles one received TLV; undefined when it is not an SMP TLV (types 2 to 7). */
export function smpReceive(state: SmpState, tlv: Tlv, context: SmpContext): SmpStep | undefined {
  switch (tlv.type) {
    case TLV_SMP_ABORT: {
      const running = state.kind !== 'idle';
      wipeSmpState(state);
      return { next: SMP_IDLE, send: [], events: running ? [{ kind: 'smp-aborted', by: 'peer' }] : [] };
    }
    case TLV_SMP1:
    case TLV_SMP1Q:
      return receiveMessage1(state, tlv);
    case TLV_SMP2:
      return receiveMessage2(state, tlv.value, context);
    case TLV_SMP3:
      return receiveMessage3(state, tlv.value, context);
    case TLV_SMP4:
      return receiveMessage4(state, tlv.value);
    default:
      return undefined;
  }
}

function receiveMessage1(state: SmpState, tlv: Tlv): SmpStep {
  if (state.kind !== 'idle' && state.kind !== 'awaiting-answer') return protocolAbort(state, 'unexpected');
  let question: string | null = null;
  let payload = tlv.value;
  if (tlv.type === TLV_SMP1Q) {
    const split = splitSmpQuestion(tlv.value);
    if (isDecodeError(split)) return protocolAbort(state, 'malformed');
    question = split.question;
    payload = split.payload;
  }
  const message = decodeSmpMessage1(payload);
  if (isDecodeError(message)) return protocolAbort(state, 'malformed');
  const request = smpStep2a(message);
  if (typeof request === 'string') return protocolAbort(state, request);
  wipeSmpState(state);
  return { next: { kind: 'awaiting-answer', question, request }, send: [], events: [{ kind: 'smp-request', question }] };
}

function receiveMessage2(state: SmpState, value: Uint8Array, context: SmpContext): SmpStep {
  if (state.kind !== 'expect2') return protocolAbort(state, 'unexpected');
  const message = decodeSmpMessage2(value);
  if (isDecodeError(message)) return protocolAbort(state, 'malformed');
  const result = smpStep3(state.secrets, message, context.random);
  if (typeof result === 'string') return protocolAbort(state, result);
  wipeSmpState(state);
  return { next: { kind: 'expect4', secrets: result.state }, send: [{ type: TLV_SMP3, value: encodeSmpPayload(result.message) }], events: [] };
}

function receiveMessage3(state: SmpState, value: Uint8Array, context: SmpContext): SmpStep {
  if (state.kind !== 'expect3') return protocolAbort(state, 'unexpected');
  const message = decodeSmpMessage3(value);
  if (isDecodeError(message)) return protocolAbort(state, 'malformed');
  const result = smpStep4(state.secrets, message, context.random);
  if (typeof result === 'string') return protocolAbort(state, result);
  wipeSmpState(state);
  return {
    next: SMP_IDLE,
    send: [{ type: TLV_SMP4, value: encodeSmpPayload(result.message) }],
    events: [{ kind: 'smp-result', success: result.success }],
  };
}

function receiveMessage4(state: SmpState, value: Uint8Array): SmpStep {
  if (state.kind !== 'expect4') return protocolAbort(state, 'unexpected');
  const message = decodeSmpMessage4(value);
  if (isDecodeError(message)) return protocolAbort(state, 'malformed');
  const result = smpStep5(state.secrets, message);
  if (typeof result === 'string') return protocolAbort(state, result);
  wipeSmpState(state);
  return { next: SMP_IDLE, send: [], events: [{ kind: 'smp-result', success: result.success }] };
}
