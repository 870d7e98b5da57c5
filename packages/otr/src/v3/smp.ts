/**
 * SMP of OTR v2/v3 (Protocol-v3, "Socialist Millionaires' Protocol"): the
 * 1536-bit MODP group's math (crypto/v3/smp-math.ts) and TLVs 2 to 7 plugged
 * into the shared SMP state machine (smp/), with that machine's transitions
 * bound to them.
 */
import {
  smpSecret,
  smpStep1,
  smpStep2a,
  smpStep2b,
  smpStep3,
  smpStep4,
  smpStep5,
  type SmpAliceExpect2,
  type SmpAliceExpect4,
  type SmpBobExpect3,
  type SmpBobRequest,
  type SmpMessage1,
  type SmpMessage2,
  type SmpMessage3,
  type SmpMessage4,
} from '../crypto/v3/smp-math.js';
import { isDecodeError } from '../errors.js';
import * as machine from '../smp/index.js';
import type { SmpContext, SmpMath, SmpState as GenericSmpState, SmpStep as GenericSmpStep } from '../smp/index.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  encodeSmpPayload,
  joinSmpQuestion,
  splitSmpQuestion,
} from '../wire/smp-payload.js';
import { TLV_SMP1, TLV_SMP1Q, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT } from '../wire/tlv.js';

/** The types of v3's SMP math. */
export interface V3SmpTypes {
  readonly message1: SmpMessage1;
  readonly message2: SmpMessage2;
  readonly message3: SmpMessage3;
  readonly message4: SmpMessage4;
  readonly request: SmpBobRequest;
  readonly aliceExpect2: SmpAliceExpect2;
  readonly bobExpect3: SmpBobExpect3;
  readonly aliceExpect4: SmpAliceExpect4;
}

/** v3's SMP: the MODP group math and TLVs 2 (1), 7 (1Q), 3, 4, 5 and 6 (abort). */
export const V3_SMP: SmpMath<V3SmpTypes> = {
  secret: smpSecret,
  step1: smpStep1,
  step2a: smpStep2a,
  step2b: smpStep2b,
  step3: smpStep3,
  step4: smpStep4,
  step5: smpStep5,
  stepOf(tlv) {
    switch (tlv.type) {
      case TLV_SMP_ABORT:
        return 'abort';
      case TLV_SMP1:
      case TLV_SMP1Q:
        return 1;
      case TLV_SMP2:
        return 2;
      case TLV_SMP3:
        return 3;
      case TLV_SMP4:
        return 4;
      default:
        return undefined;
    }
  },
  decode1(tlv) {
    let question: string | null = null;
    let payload = tlv.value;
    if (tlv.type === TLV_SMP1Q) {
      const split = splitSmpQuestion(tlv.value);
      if (isDecodeError(split)) return split;
      question = split.question;
      payload = split.payload;
    }
    const message = decodeSmpMessage1(payload);
    return isDecodeError(message) ? message : { question, message };
  },
  decode2: (tlv) => decodeSmpMessage2(tlv.value),
  decode3: (tlv) => decodeSmpMessage3(tlv.value),
  decode4: (tlv) => decodeSmpMessage4(tlv.value),
  encode1(message, question) {
    const payload = encodeSmpPayload(message);
    return question === undefined ? { type: TLV_SMP1, value: payload } : { type: TLV_SMP1Q, value: joinSmpQuestion(question, payload) };
  },
  encode2: (message) => ({ type: TLV_SMP2, value: encodeSmpPayload(message) }),
  encode3: (message) => ({ type: TLV_SMP3, value: encodeSmpPayload(message) }),
  encode4: (message) => ({ type: TLV_SMP4, value: encodeSmpPayload(message) }),
  abort: () => ({ type: TLV_SMP_ABORT, value: new Uint8Array(0) }),
};

/** A v3 SMP state. */
export type SmpState = GenericSmpState<V3SmpTypes>;
/** The result of one v3 SMP transition. */
export type SmpStep = GenericSmpStep<V3SmpTypes>;
export type { SmpContext };
export type { SmpAbortReason, SmpEvent } from '../smp/index.js';
export { SMP_IDLE, smpStateSecrets, wipeSmpState } from '../smp/index.js';

/** smp/'s transitions over v3's math and TLVs. */
export const { smpStart, smpAnswer, smpAbort, smpReceive } = machine.bindSmp(V3_SMP);
