/** The interactive OTRv4 DAKE (otrv4.md, "Interactive Deniable Authenticated Key Exchange (DAKE)") as a state machine of pure transitions. */
export { deriveInitialRatchetState, receiveDakeMessage, SIMULTANEOUS_START_AS_OTR4J, startDake, type DakeContext, type DakeEstablished, type DakeMessage, type DakeTransition } from './dake.js';
export {
  authTranscript,
  SHARED_SESSION_STATE_ORDER,
  sharedSessionState,
  type AuthMessageKind,
  type PhiParty,
  type SharedSessionStateOrder,
  type TranscriptValues,
} from './phi.js';
export { DakeRejection, dakeRejectionReason, isExpectedRejection, type DakeRejectionReason } from './rejection.js';
export {
  DAKE_START,
  dakeStateSecrets,
  initialRatchetSecrets,
  type DakeStart,
  type DakeState,
  type DakeWaitingAuthI,
  type DakeWaitingAuthR,
  type InitialRatchetReceiving,
  type InitialRatchetSending,
  type InitialRatchetState,
  type TheirIdentity,
} from './state.js';
