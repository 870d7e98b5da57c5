/**
 * Sealing and opening data messages with a {@link KeyRing} (Protocol-v3,
 * "Exchanging data" and "Data Message"): AES-128-CTR under the pair's
 * sending key with the counter as the top half of the IV, HMAC-SHA1 over
 * everything from the protocol version to the encrypted message, and the
 * receiver's checks in the spec's order: key ids, MAC (constant time),
 * counter, next key, then decryption and rotation.
 */
import {
  aes128Ctr,
  constantTimeEqual,
  hmacSha1,
  isValidDhPublic,
  type Secret,
  type Wipeable,
} from '../crypto/index.js';
import { concatBytes } from '../bytes.js';
import { counterIsNewer, nextCounter } from './keys/counter.js';
import type { KeyRing } from './keys/key-ring.js';
import type { ProtocolErrorCode } from '../errors.js';
import type { DataFields } from '../wire/index.js';
import type { ReceivedData } from '../wire/index.js';

export type { ReceivedData };

/** Fields of a data message ready to encode, plus the MAC function over its bytes. */
export interface SealedData {
  readonly fields: DataFields;
  readonly mac: (macInput: Uint8Array) => Uint8Array;
  readonly oldMacKeys: Uint8Array;
  /** The extra symmetric key of the pairing used (for TLV 8). */
  readonly extraKey: Secret;
}

/** Encrypts `plaintext` (message and TLVs, already encoded) for sending. */
export function sealData(ring: KeyRing, plaintext: Uint8Array, flags: number): SealedData | undefined {
  const sending = ring.sending();
  if (sending === undefined) return undefined;
  const { session, nextDhPublic } = sending;
  const counter = nextCounter(session.sendCounter);
  if (counter === undefined) return undefined;
  session.sendCounter = counter;
  const encryptedMessage = aes128Ctr(session.keys.sendingAesKey.expose(), counter, plaintext);
  const macKey = session.keys.sendingMacKey;
  return {
    fields: {
      flags,
      senderKeyId: session.ourKeyId,
      recipientKeyId: session.theirKeyId,
      nextDh: nextDhPublic,
      counter,
      encryptedMessage,
    },
    mac: (macInput) => hmacSha1(macKey.expose(), macInput),
    oldMacKeys: concatBytes(...ring.takeMacKeysToReveal()),
    extraKey: session.extraKey,
  };
}

/** A successfully opened data message. */
export interface OpenedData {
  readonly plaintext: Uint8Array;
  /** A copy of the pairing's extra symmetric key, the caller's. */
  readonly extraKey: Secret;
  /** What the key rotation forgot, for the caller to wipe. */
  readonly consumed: readonly Wipeable[];
}

/** Verifies and decrypts a received data message, rotating keys on success. */
export function openData(ring: KeyRing, message: ReceivedData): OpenedData | { failure: ProtocolErrorCode; detail: string } {
  const session = ring.receiving(message.senderKeyId, message.recipientKeyId);
  if (typeof session === 'string') return { failure: session, detail: 'unknown key ids' };
  const expectedMac = hmacSha1(session.keys.receivingMacKey.expose(), message.macInput);
  if (!constantTimeEqual(expectedMac, message.mac)) return { failure: 'bad-mac', detail: 'MAC does not verify' };
  if (!counterIsNewer(message.counter, session.receiveCounter)) {
    return { failure: 'replayed-counter', detail: 'counter not larger than the last one seen' };
  }
  if (ring.adoptsNextKey(message.senderKeyId) && !isValidDhPublic(message.nextDh)) {
    return { failure: 'bad-group-element', detail: 'next DH key out of range' };
  }
  session.receiveCounter = message.counter;
  session.receivingMacUsed = true;
  const plaintext = aes128Ctr(session.keys.receivingAesKey.expose(), message.counter, message.encryptedMessage);
  const extraKey = session.extraKey.clone();
  const consumed = ring.rotateAfterReceive(message.senderKeyId, message.recipientKeyId, message.nextDh);
  return { plaintext, extraKey, consumed };
}
