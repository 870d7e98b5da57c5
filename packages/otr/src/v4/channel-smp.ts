/**
 * SMP inside a v4 session (OTRv4, "Socialist Millionaires Protocol (SMP)",
 * TLV types 2 to 6) as the {@link V4Channel} drives it: the SMP state
 * machine shared with v3 (smp/) over the Ed448 math and TLVs of v4/smp.ts.
 *
 * Theory of operation: {@link createV4Smp} gives a v4 session its SMP, which
 * holds the session's one SMP state. Each call makes one transition,
 * installs the next state at once and returns, beside the TLVs to send and
 * the events, every secret the transition is done with (the old state's,
 * the value compared): the channel hands them to the call's
 * `ChannelContext.consumed`, which the instance wipes in one place
 * (secure-channel.ts, "Wiping"). Nothing here wipes a consumed secret;
 * only {@link V4Smp.wipe} (teardown) wipes the state still held.
 */
import type { RandomSource, Wipeable } from '../crypto/index.js';
import type { ChannelEvent, SmpStatus } from '../secure-channel.js';
import type { Tlv } from '../wire/tlv.js';
import { V4_TLV } from '../wire/v4/tlv.js';
import { SMP_IDLE, smpAbort, smpAnswer, smpReceive, smpStart, wipeSmpState, type SmpState, type SmpStep } from './smp.js';

/** What SMP needs from its session: the values the secret is bound to ("Secret Information"), and randomness. */
export interface V4SmpContext {
  /** Our OTRv4 fingerprint (56 bytes). */
  readonly ourFingerprint: Uint8Array;
  /** The peer's OTRv4 fingerprint (56 bytes). */
  readonly theirFingerprint: Uint8Array;
  /** The session's SSID (8 bytes). */
  readonly ssid: Uint8Array;
  readonly random: RandomSource;
}

/** One step of SMP: TLVs to send in one data message (flagged IGNORE_UNREADABLE), events, and the secrets it used up. */
export interface V4SmpStep {
  readonly send: readonly Tlv[];
  readonly events: readonly ChannelEvent[];
  /** Secrets the step is done with: the caller adds them to the call's `consumed` (never wipes them itself). */
  readonly consumed: readonly Wipeable[];
}

/** SMP of one v4 session. */
export interface V4Smp {
  readonly status: SmpStatus;
  /** Starts SMP (restarts a running one). Throws UsageError for a question containing NUL. */
  start(secret: Uint8Array, question: string | undefined, context: V4SmpContext): V4SmpStep;
  /** Answers the peer's request. Throws UsageError when none waits. */
  answer(secret: Uint8Array, context: V4SmpContext): V4SmpStep;
  abort(): V4SmpStep;
  /** Handles a received TLV of type 2 to 6; other types are not SMP's. */
  receive(tlv: Tlv, context: V4SmpContext): V4SmpStep;
  /** Wipes every secret still held (teardown). */
  wipe(): void;
}

/** True for the TLV types SMP handles (2 to 6). */
export function isV4SmpTlv(type: number): boolean {
  return type >= V4_TLV.SMP1 && type <= V4_TLV.SMP_ABORT;
}

const NOTHING: V4SmpStep = { send: [], events: [], consumed: [] };

/** The shared SMP state machine over v4's math, holding the session's state. */
class MachineSmp implements V4Smp {
  #state: SmpState = SMP_IDLE;

  get status(): SmpStatus {
    const kind = this.#state.kind;
    return kind === 'idle' ? 'idle' : kind === 'awaiting-answer' ? 'awaiting-answer' : 'in-progress';
  }

  start(secret: Uint8Array, question: string | undefined, context: V4SmpContext): V4SmpStep {
    return this.#install(smpStart(this.#state, secret, question, context));
  }

  answer(secret: Uint8Array, context: V4SmpContext): V4SmpStep {
    return this.#install(smpAnswer(this.#state, secret, context));
  }

  abort(): V4SmpStep {
    return this.#install(smpAbort(this.#state));
  }

  receive(tlv: Tlv, context: V4SmpContext): V4SmpStep {
    if (!isV4SmpTlv(tlv.type)) return NOTHING;
    const step = smpReceive(this.#state, tlv, context);
    return step === undefined ? NOTHING : this.#install(step);
  }

  wipe(): void {
    wipeSmpState(this.#state);
    this.#state = SMP_IDLE;
  }

  /** Installs the step's next state; its consumed secrets go to the caller, unwiped. */
  #install(step: SmpStep): V4SmpStep {
    this.#state = step.next;
    return { send: step.send, events: step.events, consumed: step.consumed };
  }
}

/** The SMP of a new v4 session: the state machine of smp/ over the Ed448 math. */
export function createV4Smp(): V4Smp {
  return new MachineSmp();
}
