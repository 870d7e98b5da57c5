/**
 * SMP of OTR version 4 (otrv4.md, "Socialist Millionaires Protocol (SMP)"):
 * the Ed448 math (crypto/v4/smp-math.ts) and TLVs 2 to 6 of wire/v4 plugged
 * into the SMP state machine shared with v3 (smp/), with that machine's
 * transitions bound to them.
 *
 * API for the v4 secure channel:
 *
 * - State: {@link SmpState} (start from {@link SMP_IDLE}); keep one per v4
 *   instance while it is in ENCRYPTED_MESSAGES, and pass the state returned
 *   in each {@link SmpStep}'s `next`. Call {@link wipeSmpState} when the
 *   encrypted state ends (the spec: "If at any point you are not in
 *   ENCRYPTED_MESSAGES, the SMP must abandon its state").
 * - Context: {@link SmpContext} with `ourFingerprint` and `theirFingerprint`
 *   the 56-byte OTRv4 fingerprints of this session's long-term and forging
 *   keys (crypto/v4 `ed448Fingerprint(H, F)`: ours from our profile, theirs
 *   from the peer's profile), `ssid` the DAKE's 8-byte SSID, and the
 *   session's random source. Wrong sizes throw UsageError.
 * - User actions: {@link smpStart} (secret bytes, UTF-8 for text, and an
 *   optional question), {@link smpAnswer}, {@link smpAbort}.
 * - Received TLVs: {@link smpReceive} for every TLV of a decrypted data
 *   message, in order; it returns undefined for a TLV that is not SMP (types
 *   0, 1 and 7 are the channel's business, as the spec says the SMP state
 *   machine has no effect on them).
 * - Each step's `send` lists TLVs to send together in one data message
 *   (empty: nothing to send); `events` are `smp-request` (question or null),
 *   `smp-result` and `smp-aborted`, as for v3. No event or state carries a
 *   secret (states print as redacted).
 *
 * Differences from v3, all inside {@link V4_SMP}: one type for message 1
 * (TLV 2) whose first field is the question as DATA, empty when there is
 * none (received empty: question null; sent for `question` undefined or
 * ''); no TLV 7 (extra symmetric key in v4); points and scalars on Ed448
 * with the checks listed in crypto/v4/smp-math.ts; the secret from the
 * 56-byte fingerprints (with otr4j's reading at `SMP_SECRET_AS_OTR4J`).
 */
import {
  smpSecret,
  smpV4Step1,
  smpV4Step2a,
  smpV4Step2b,
  smpV4Step3,
  smpV4Step4,
  smpV4Step5,
  type SmpV4AliceExpect2,
  type SmpV4AliceExpect4,
  type SmpV4BobExpect3,
  type SmpV4BobRequest,
  type SmpV4Message1,
  type SmpV4Message2,
  type SmpV4Message3,
  type SmpV4Message4,
} from '../crypto/v4/smp-math.js';
import { isDecodeError } from '../errors.js';
import * as machine from '../smp/index.js';
import type { SmpContext, SmpMath, SmpState as GenericSmpState, SmpStep as GenericSmpStep } from '../smp/index.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  encodeSmpMessage1,
  encodeSmpMessage2,
  encodeSmpMessage3,
  encodeSmpMessage4,
} from '../wire/v4/smp-messages.js';
import { V4_TLV } from '../wire/v4/tlv.js';

/** The types of v4's SMP math. */
export interface V4SmpTypes {
  readonly message1: SmpV4Message1;
  readonly message2: SmpV4Message2;
  readonly message3: SmpV4Message3;
  readonly message4: SmpV4Message4;
  readonly request: SmpV4BobRequest;
  readonly aliceExpect2: SmpV4AliceExpect2;
  readonly bobExpect3: SmpV4BobExpect3;
  readonly aliceExpect4: SmpV4AliceExpect4;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** v4's SMP: the Ed448 math and TLVs 2 (message 1, question inside), 3, 4, 5 and 6 (abort). */
export const V4_SMP: SmpMath<V4SmpTypes> = {
  secret: (initiator, responder, ssid, userSecret) => smpSecret(initiator, responder, ssid, userSecret),
  step1: smpV4Step1,
  step2a: smpV4Step2a,
  step2b: smpV4Step2b,
  step3: smpV4Step3,
  step4: smpV4Step4,
  step5: smpV4Step5,
  stepOf(tlv) {
    switch (tlv.type) {
      case V4_TLV.SMP_ABORT:
        return 'abort';
      case V4_TLV.SMP1:
        return 1;
      case V4_TLV.SMP2:
        return 2;
      case V4_TLV.SMP3:
        return 3;
      case V4_TLV.SMP4:
        return 4;
      default:
        return undefined;
    }
  },
  decode1(tlv) {
    const decoded = decodeSmpMessage1(tlv.value);
    if (isDecodeError(decoded)) return decoded;
    const { question, ...message } = decoded;
    return { question: question.length === 0 ? null : utf8Decoder.decode(question), message };
  },
  decode2: (tlv) => decodeSmpMessage2(tlv.value),
  decode3: (tlv) => decodeSmpMessage3(tlv.value),
  decode4: (tlv) => decodeSmpMessage4(tlv.value),
  encode1: (message, question) => ({ type: V4_TLV.SMP1, value: encodeSmpMessage1({ question: utf8Encoder.encode(question ?? ''), ...message }) }),
  encode2: (message) => ({ type: V4_TLV.SMP2, value: encodeSmpMessage2(message) }),
  encode3: (message) => ({ type: V4_TLV.SMP3, value: encodeSmpMessage3(message) }),
  encode4: (message) => ({ type: V4_TLV.SMP4, value: encodeSmpMessage4(message) }),
  abort: () => ({ type: V4_TLV.SMP_ABORT, value: new Uint8Array(0) }),
};

/** A v4 SMP state. */
export type SmpState = GenericSmpState<V4SmpTypes>;
/** The result of one v4 SMP transition. */
export type SmpStep = GenericSmpStep<V4SmpTypes>;
export type { SmpContext };
export type { SmpAbortReason, SmpEvent } from '../smp/index.js';
export { SMP_IDLE, wipeSmpState } from '../smp/index.js';

/** smp/'s transitions over v4's math and TLVs. */
export const { smpStart, smpAnswer, smpAbort, smpReceive } = machine.bindSmp(V4_SMP);
