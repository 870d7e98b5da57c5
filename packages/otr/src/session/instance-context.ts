/**
 * What an instance needs from its account and conversation for one call:
 * identity, randomness, policy, tags, the clock and where effects go.
 */
import type { DsaPrivateKey, RandomSource } from '../crypto/index.js';
import type { OutcomeBuilder } from '../outcome.js';
import type { V4Identity } from '../secure-channel.js';
import type { ProtocolVersion } from '../version.js';
import type { Instance } from './instance.js';
import type { Policy } from './policy.js';

/** Per-call context of an instance. */
export interface InstanceContext {
  readonly peer: string;
  readonly privateKey: DsaPrivateKey;
  readonly ourFingerprint: Uint8Array;
  /** Our v4 identity, when the account has one (v4 is offered and accepted only then). */
  readonly v4: V4Identity | undefined;
  readonly ourTag: number;
  readonly random: RandomSource;
  readonly policy: Policy;
  readonly maxMessageSize: number;
  readonly now: number;
  readonly out: OutcomeBuilder;
  /**
   * Sends the peer an OTR error about an unreadable data message of
   * `version` (rate-limited by the conversation); `notEncrypted`: it came
   * outside a secure session of that version.
   */
  readonly replyUnreadable: (version: ProtocolVersion, notEncrypted: boolean) => void;
  /** Called when the instance has just become secure (sends a held message). */
  readonly onSecure: (instance: Instance) => void;
}
