/** The Socialist Millionaires' Protocol state machine (Protocol-v3, "The SMP state machine"), generic over each version's math. */
export { bindSmp, smpAbort, smpAnswer, smpReceive, smpStart, type BoundSmp, type SmpAbortReason, type SmpEvent, type SmpStep } from './smp.js';
export type { SmpCheckReason, SmpContext, SmpMath, SmpTypes, Wipeable } from './smp-math.js';
export { SMP_IDLE, smpStateSecrets, wipeSmpState, type SmpAwaitingAnswer, type SmpExpect2, type SmpExpect3, type SmpExpect4, type SmpIdle, type SmpState } from './smp-state.js';
