/**
 * The message state of one instance (Protocol-v3, "Message state"): what
 * happens to outgoing messages. Each variant holds only what it needs; only
 * `encrypted` holds keys.
 */
import type { DsaPublicKey } from '../crypto/index.js';
import type { AkeVersion, KeyRing } from '../v3/index.js';
import type { ProtocolVersion } from '../outcome.js';

/** MSGSTATE_PLAINTEXT. */
export interface Plaintext {
  readonly kind: 'plaintext';
}

/** MSGSTATE_ENCRYPTED: a secure session with its keys (SMP is a separate component of the instance). */
export interface Encrypted {
  readonly kind: 'encrypted';
  readonly version: AkeVersion;
  readonly theirPublicKey: DsaPublicKey;
  readonly theirFingerprint: Uint8Array;
  readonly ssid: Uint8Array;
  readonly ssidHalf: 'first' | 'second';
  readonly keys: KeyRing;
}

/** MSGSTATE_FINISHED: the peer ended the session; nothing is sent until the user acts. */
export interface Finished {
  readonly kind: 'finished';
  readonly version: ProtocolVersion;
}

/** Every message state. */
export type MessageState = Plaintext | Encrypted | Finished;

/** The initial message state. */
export const PLAINTEXT: Plaintext = { kind: 'plaintext' };
