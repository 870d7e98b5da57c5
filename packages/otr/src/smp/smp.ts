/**
 * The SMP state machine (Protocol-v3, "The SMP state machine"): user actions
 * (start, answer, abort) and received TLVs 2 to 7, as pure transitions.
 *
 * Theory of operation: a step consumes the current state and returns the
 * next, the TLVs to send in one data message, and events for the host.
 * A TLV that does not fit the state makes both sides start over: we send an
 * abort (TLV 6) and return to SMPSTATE_EXPECT1, as the spec says. This is
 * also the rule for simultaneous starts: each side receives message 1 while
 * expecting message 2, so both abort and both end idle, deterministically.
 * A message whose checks fail is answered with an abort as well.
 */
import type { RandomSource } from '../crypto/index.js';
import { smpSecret, smpStep1, smpStep2a, smpStep2b, smpStep3, smpStep4, smpStep5, type SmpCheckFailure } from '../crypto/smp-math.js';
import { UsageError, isDecodeError } from '../errors.js';
import {
  decodeSmpPayload,
  encodeSmpPayload,
  joinSmpQuestion,
  splitSmpQuestion,
  TLV_SMP1,
  TLV_SMP1Q,
  TLV_SMP2,
  TLV_SMP3,
  TLV_SMP4,
  TLV_SMP_ABORT,
  type Tlv,
} from '../wire/index.js';
import { SMP_IDLE, wipeSmpState, type SmpState } from './smp-state.js';

/** What SMP needs from the secure session. */
export interface SmpContext {
  readonly ourFingerprint: Uint8Array;
  readonly theirFingerprint: Uint8Array;
  readonly ssid: Uint8Array;
  readonly random: RandomSource;
}

/** Events SMP reports (the instance adds peer and instance tag). */
export type SmpEvent =
  | { readonly kind: 'smp-request'; readonly question: string | null }
  | { readonly kind: 'smp-result'; readonly success: boolean }
  | { readonly kind: 'smp-aborted'; readonly by: 'us' | 'peer' | 'protocol' };

/** The result of one SMP step. */
export interface SmpStep {
  readonly next: SmpState;
  readonly send: Tlv[];
  readonly events: SmpEvent[];
}

const ABORT_TLV: Tlv = { type: TLV_SMP_ABORT, value: new Uint8Array(0) };

function abortFrom(state: SmpState, by: 'us' | 'protocol'): SmpStep {
  wipeSmpState(state);
  return { next: SMP_IDLE, send: [ABORT_TLV], events: [{ kind: 'smp-aborted', by }] };
}

function failed(state: SmpState, _reason: SmpCheckFailure | 'malformed'): SmpStep {
  return abortFrom(state, 'protocol');
}

/** The user starts SMP; a running SMP is aborted first. */
export function smpStart(state: SmpState, userSecret: Uint8Array, question: string | undefined, context: SmpContext): SmpStep {
  const send: Tlv[] = state.kind === 'idle' ? [] : [ABORT_TLV];
  wipeSmpState(state);
  const secret = smpSecret(context.ourFingerprint, context.theirFingerprint, context.ssid, userSecret);
  const { message, state: secrets } = smpStep1(secret, context.random);
  secret.wipe();
  const payload = encodeSmpPayload(message);
  send.push(question === undefined ? { type: TLV_SMP1, value: payload } : { type: TLV_SMP1Q, value: joinSmpQuestion(question, payload) });
  return { next: { kind: 'expect2', secrets }, send, events: [] };
}

/** The user answers the peer's request with their secret. */
export function smpAnswer(state: SmpState, userSecret: Uint8Array, context: SmpContext): SmpStep {
  if (state.kind !== 'awaiting-answer') throw new UsageError('no-smp-request', 'there is no SMP request to answer');
  const secret = smpSecret(context.theirFingerprint, context.ourFingerprint, context.ssid, userSecret);
  const { message, state: secrets } = smpStep2b(state.received, secret, context.random);
  secret.wipe();
  state.received.wipe();
  return { next: { kind: 'expect3', secrets }, send: [{ type: TLV_SMP2, value: encodeSmpPayload(message) }], events: [] };
}

/** The user aborts SMP: always sends TLV 6. */
export function smpAbort(state: SmpState): SmpStep {
  return abortFrom(state, 'us');
}

/** Handles a received TLV; undefined when the TLV is not an SMP TLV. */
export function smpReceive(state: SmpState, tlv: Tlv, context: SmpContext): SmpStep | undefined {
  switch (tlv.type) {
    case TLV_SMP_ABORT:
      wipeSmpState(state);
      return { next: SMP_IDLE, send: [], events: state.kind === 'idle' ? [] : [{ kind: 'smp-aborted', by: 'peer' }] };
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
  if (state.kind !== 'idle' && state.kind !== 'awaiting-answer') return abortFrom(state, 'protocol');
  let question: string | null = null;
  let payload = tlv.value;
  if (tlv.type === TLV_SMP1Q) {
    const split = splitSmpQuestion(tlv.value);
    if (isDecodeError(split)) return failed(state, 'malformed');
    question = split.question;
    payload = split.payload;
  }
  const values = decodeSmpPayload(payload, 6);
  if (isDecodeError(values)) return failed(state, 'malformed');
  const received = smpStep2a(values);
  if (typeof received === 'string') return failed(state, received);
  wipeSmpState(state);
  return { next: { kind: 'awaiting-answer', question, received }, send: [], events: [{ kind: 'smp-request', question }] };
}

function receiveMessage2(state: SmpState, value: Uint8Array, context: SmpContext): SmpStep {
  if (state.kind !== 'expect2') return abortFrom(state, 'protocol');
  const values = decodeSmpPayload(value, 11);
  if (isDecodeError(values)) return failed(state, 'malformed');
  const result = smpStep3(state.secrets, values, context.random);
  if (typeof result === 'string') return failed(state, result);
  state.secrets.wipe();
  return { next: { kind: 'expect4', secrets: result.state }, send: [{ type: TLV_SMP3, value: encodeSmpPayload(result.message) }], events: [] };
}

function receiveMessage3(state: SmpState, value: Uint8Array, context: SmpContext): SmpStep {
  if (state.kind !== 'expect3') return abortFrom(state, 'protocol');
  const values = decodeSmpPayload(value, 8);
  if (isDecodeError(values)) return failed(state, 'malformed');
  const result = smpStep4(state.secrets, values, context.random);
  if (typeof result === 'string') return failed(state, result);
  state.secrets.wipe();
  return {
    next: SMP_IDLE,
    send: [{ type: TLV_SMP4, value: encodeSmpPayload(result.message) }],
    events: [{ kind: 'smp-result', success: result.success }],
  };
}

function receiveMessage4(state: SmpState, value: Uint8Array): SmpStep {
  if (state.kind !== 'expect4') return abortFrom(state, 'protocol');
  const values = decodeSmpPayload(value, 3);
  if (isDecodeError(values)) return failed(state, 'malformed');
  const result = smpStep5(state.secrets, values);
  if (typeof result === 'string') return failed(state, result);
  state.secrets.wipe();
  return { next: SMP_IDLE, send: [], events: [{ kind: 'smp-result', success: result.success }] };
}
