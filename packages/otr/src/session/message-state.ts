/**
 * The message state of one instance (Protocol-v3, "Message state"): what
 * happens to outgoing messages. Each variant holds only what it needs; only
 * `encrypted` holds keys, inside its version's secure channel.
 */
import type { SecureChannel } from '../secure-channel.js';
import type { V3DataMessage } from '../v3/index.js';
import type { V4ReceivedData } from '../v4/index.js';
import type { ProtocolVersion } from '../version.js';

/** A received data message of any implemented version, as the codec decodes it. */
export type DataMessage = V3DataMessage | V4ReceivedData;

/** MSGSTATE_PLAINTEXT. */
export interface Plaintext {
  readonly kind: 'plaintext';
}

/** MSGSTATE_ENCRYPTED: a secure session, held by its version's channel. */
export interface Encrypted {
  readonly kind: 'encrypted';
  readonly channel: SecureChannel<DataMessage>;
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
