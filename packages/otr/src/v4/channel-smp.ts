/**
 * SMP inside a v4 session (OTRv4, "Socialist Millionaires Protocol (SMP)",
 * TLV types 2 to 6) as the {@link V4Channel} drives it.
 *
 * The one place to plug SMP over Ed448 in: {@link createV4Smp}. Until an
 * implementation (the generic SMP state machine of smp/ with the Ed448
 * math) is returned there, a v4 session has no SMP: the account refuses
 * startSmp and answerSmp with `smp-unavailable` (the channel's
 * `smpAvailable` is false), and a received SMP message is answered with the
 * SMP Abort TLV and reported as an `smp-aborted` event, so the peer's SMP
 * never waits for an answer that cannot come.
 */
import type { RandomSource } from '../crypto/random.js';
import type { ChannelEvent, SmpStatus } from '../secure-channel.js';
import type { Tlv } from '../wire/tlv.js';
import { V4_TLV } from '../wire/v4/tlv.js';

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

/** One step of SMP: TLVs to send in one data message (flagged IGNORE_UNREADABLE), then events. */
export interface V4SmpStep {
  readonly send: readonly Tlv[];
  readonly events: readonly ChannelEvent[];
}

/** SMP of one v4 session. */
export interface V4Smp {
  /** False while this library has no SMP over Ed448. */
  readonly available: boolean;
  readonly status: SmpStatus;
  start(secret: Uint8Array, question: string | undefined, context: V4SmpContext): V4SmpStep;
  answer(secret: Uint8Array, context: V4SmpContext): V4SmpStep;
  abort(): V4SmpStep;
  /** Handles a received TLV of type 2 to 6; other types are not SMP's. */
  receive(tlv: Tlv, context: V4SmpContext): V4SmpStep;
  /** Wipes every secret. */
  wipe(): void;
}

/** True for the TLV types SMP handles (2 to 6). */
export function isV4SmpTlv(type: number): boolean {
  return type >= V4_TLV.SMP1 && type <= V4_TLV.SMP_ABORT;
}

const ABORT_TLV: Tlv = { type: V4_TLV.SMP_ABORT, value: new Uint8Array(0) };
const NOTHING: V4SmpStep = { send: [], events: [] };

/** No SMP: refuse to start, abort what the peer starts. */
class UnavailableSmp implements V4Smp {
  readonly available = false;
  readonly status: SmpStatus = 'idle';

  start(): V4SmpStep {
    return NOTHING;
  }

  answer(): V4SmpStep {
    return NOTHING;
  }

  abort(): V4SmpStep {
    return { send: [ABORT_TLV], events: [] };
  }

  receive(tlv: Tlv): V4SmpStep {
    if (tlv.type === V4_TLV.SMP_ABORT || !isV4SmpTlv(tlv.type)) return NOTHING;
    return { send: [ABORT_TLV], events: [{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }] };
  }

  wipe(): void {
    // Nothing is held.
  }
}

/**
 * The SMP of a new v4 session. Plug SMP over Ed448 in here: return the
 * generic state machine (smp/) over the Ed448 math, adapted to {@link V4Smp}.
 */
export function createV4Smp(): V4Smp {
  return new UnavailableSmp();
}
