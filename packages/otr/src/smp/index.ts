/** The Socialist Millionaires' Protocol of OTR v2/v3. */
export { smpAbort, smpAnswer, smpReceive, smpStart, type SmpContext, type SmpEvent, type SmpStep } from './smp.js';
export { SMP_IDLE, wipeSmpState, type SmpState } from './smp-state.js';
