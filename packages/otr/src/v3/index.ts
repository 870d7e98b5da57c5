/**
 * OTR version 3 (and 2) as the session layer sees it: a key exchange per
 * instance that yields a secure channel (secure-channel.ts). session/
 * imports v3/ only through this module.
 */
export type { AkeMessage } from './ake/ake.js';
export type { AkeVersion } from './ake/auth-state.js';
export { V3Channel, type V3DataMessage } from './channel.js';
export { V3KeyExchange } from './key-exchange.js';
export type { SmpState as V3SmpState } from './smp.js';
