/**
 * OTR version 4 (interactive) as the session layer sees it: a key exchange
 * per instance (the DAKE) that yields a secure channel over the double
 * ratchet (secure-channel.ts), and our Client Profile. session/ imports
 * v4/ only through this module.
 */
export type { DakeMessage } from './dake/index.js';
export { V4Channel, type V4ReceivedData } from './channel.js';
export { V4KeyExchange } from './key-exchange.js';
export {
  clientProfileNeedsRefresh,
  createClientProfile,
  loadOwnClientProfile,
  type ClientProfileVersions,
  type OwnClientProfile,
} from './profile/index.js';
