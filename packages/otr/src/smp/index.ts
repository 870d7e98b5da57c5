/** The Socialist Millionaires' Protocol of OTR v2/v3 (Protocol-v3, "The SMP state machine"). */
export { smpAbort, smpAnswer, smpReceive, smpStart, type SmpAbortReason, type SmpContext, type SmpEvent, type SmpStep } from './smp.js';
export { SMP_IDLE, wipeSmpState, type SmpAwaitingAnswer, type SmpExpect2, type SmpExpect3, type SmpExpect4, type SmpIdle, type SmpState } from './smp-state.js';
