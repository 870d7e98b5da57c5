/**
 * OTR version 3 (and 2) as the session layer sees it: the AKE, the key ring
 * and the data-message path. session/ imports v3/ only through this module.
 */
export { AKE_KEY_ID, akeDeadline, expireAke, receiveAkeMessage, startAke, type AkeMessage, type AkeSuccess } from './ake/ake.js';
export { AUTH_NONE, wipeAuthState, type AkeVersion, type AuthState } from './ake/auth-state.js';
export { KeyRing } from './keys/key-ring.js';
export { openData, sealData } from './data-message.js';
