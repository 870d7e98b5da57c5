/**
 * The keys for one pairing of our DH key with theirs (Protocol-v3,
 * "Computing AES keys, MAC keys, and the secure session id": sending and
 * receiving AES and MAC keys, plus the extra symmetric key of "Extra
 * symmetric key"), with the counters that go with that pairing.
 */
import {
  deriveDataKeys,
  dhSharedSecret,
  extraSymmetricKey,
  type DataKeys,
  type DhKeyPair,
  type Secret,
  type Wipeable,
} from '../../crypto/index.js';
import { initialCounter } from './counter.js';

/** Keys and counters of one (our key id, their key id) pair. */
export interface SessionKeys {
  readonly ourKeyId: number;
  readonly theirKeyId: number;
  readonly keys: DataKeys;
  /** h2(0xFF) over the same s. */
  readonly extraKey: Secret;
  /** Last counter we sent with this pair. */
  sendCounter: Uint8Array;
  /** Last counter we accepted with this pair. */
  receiveCounter: Uint8Array;
  /** Whether the receiving MAC key verified a message; only used keys are revealed. */
  receivingMacUsed: boolean;
}

/** Derives the keys of a pair; undefined when their public value is not a group element. */
export function deriveSessionKeys(
  ourKeyId: number,
  ours: DhKeyPair,
  theirKeyId: number,
  theirPublic: Uint8Array,
): SessionKeys | undefined {
  const shared = dhSharedSecret(ours, theirPublic);
  if (shared === undefined) return undefined;
  const session = sessionKeysFromShared(ourKeyId, ours.publicKey, theirKeyId, theirPublic, shared);
  // s never leaves this derivation (no state holds it): gone as soon as the keys are made.
  shared.wipe();
  return session;
}

/**
 * The keys of a pair whose shared secret s is already known (the AKE's s is
 * the secret of its two keys' pairing); `shared` stays the caller's.
 */
export function sessionKeysFromShared(
  ourKeyId: number,
  ourPublic: Uint8Array,
  theirKeyId: number,
  theirPublic: Uint8Array,
  shared: Secret,
): SessionKeys {
  const keys = deriveDataKeys(shared, ourPublic, theirPublic);
  const extraKey = extraSymmetricKey(shared);
  return {
    ourKeyId,
    theirKeyId,
    keys,
    extraKey,
    sendCounter: initialCounter(),
    receiveCounter: initialCounter(),
    receivingMacUsed: false,
  };
}

/** Every secret of a pair: what forgetting it consumes. */
export function sessionKeySecrets(session: SessionKeys): Wipeable[] {
  return [session.keys, session.extraKey];
}
