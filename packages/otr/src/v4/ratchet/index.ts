/**
 * The OTRv4 double ratchet (otrv4.md, "Data Exchange", "Key Management"):
 * initialise from the DAKE's hand-over, seal and open data messages, end.
 * Every step lists the secrets it used up in `consumed`; the caller wipes
 * them in one place once it installed the new state.
 */
export { MAX_PENDING_MAC_KEYS, MAX_RATCHET_COUNTER, type RatchetEvent } from './events.js';
export { MAX_SKIP, openDataMessage, type OpenInput, type OpenRefusal, type OpenResult } from './open.js';
export { sealDataMessage, type SealInput, type SealResult } from './seal.js';
export { MAX_STORED_SKIPPED_KEYS, type MessagePosition, type SkippedKey } from './skipped-keys.js';
export { initializeRatchet, wipeRatchet, type Initialised, type RatchetState } from './state.js';
export type { InitialRatchetState } from '../dake/state.js';
