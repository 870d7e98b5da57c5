/**
 * Sending a data message (OTRv4, "When you send a Data Message", "Rotating
 * ECDH Keys and Brace Key as sender", "Revealing MAC Keys", "Extra
 * Symmetric Key").
 *
 * The first message after reading a new chain of the peer starts a new
 * sending chain (a DH ratchet): a fresh ECDH key pair, a fresh 3072-bit DH
 * key pair when the new chain's id is a multiple of 3 (else the brace key is
 * hashed forward), K, the next root key and the chain key; that first
 * message reveals the MAC keys of the messages read since the last one.
 * Every message then takes MKenc, MKmac (and, if asked, the extra symmetric
 * key) from chain_key_s[j] and moves the chain on.
 */
import { braceKeyFromSharedSecret, dh3072SharedSecret, generateDh3072KeyPair, nextBraceKey } from '../../crypto/v4/dh3072.js';
import { dataMessageAuthenticator, deriveMessageKeys, encryptDataMessage, extraSymmetricKey } from '../../crypto/v4/data-message.js';
import { ecdhSharedSecret, encodePoint, generateEcdhKeyPair } from '../../crypto/v4/ed448.js';
import { isCryptoRejection } from '../../crypto/v4/rejection.js';
import { concatenateRevealedMacKeys, deriveRatchetKeys, macKeyFromEncryptionKey, mixedSharedSecret, nextChainKey } from '../../crypto/v4/ratchet-kdf.js';
import type { RandomSource } from '../../crypto/random.js';
import type { Secret } from '../../crypto/secret.js';
import { encodeDataPayload } from '../../wire/data-payload.js';
import type { Tlv } from '../../wire/tlv.js';
import { encodeV4DataMacInput, type V4DataFields, type V4DataMessageBody } from '../../wire/v4/data-message.js';
import type { V4Route } from '../../wire/v4/header.js';
import { MAX_RATCHET_COUNTER } from './events.js';
import type { RatchetState } from './state.js';

/** What to send. */
export interface SealInput {
  /** Sender and receiver instance tags (covered by the Authenticator). */
  readonly route: V4Route;
  /** The human-readable part (UTF-8 bytes; cut at a NUL). */
  readonly message: Uint8Array;
  readonly tlvs: readonly Tlv[];
  /** The data message's flags (IGNORE_UNREADABLE for heartbeats, SMP and Disconnected). */
  readonly flags: number;
  /** Also return this message's extra symmetric key (when a type 7 TLV is attached). */
  readonly wantExtraKey?: boolean;
  /**
   * The session ends with this message (the Disconnected TLV): reveal every
   * MAC key still unrevealed, and the MAC keys of the stored skipped
   * message keys ("Session Expiration": "Calculate the MAC keys
   * corresponding to the stored message keys ... so they are revealed in
   * TLV type 1 (Disconnected) message"). The skipped keys stay stored until
   * {@link wipeRatchet}.
   */
  readonly revealAll?: boolean;
}

/** The outcome of {@link sealDataMessage}. */
export type SealResult =
  | {
      readonly ok: true;
      /** The data message body, ready for wire/v4's encodeV4DataMessage. */
      readonly body: V4DataMessageBody;
      /** KDF(usage_extra_symm_key || 0xFF || chain_key_s[j], 64) when asked for; the caller owns it. */
      readonly extraKey: Secret | undefined;
      /** Secrets this step used up; wipe them. */
      readonly consumed: Secret[];
    }
  | { readonly ok: false; readonly refused: 'ended' | 'ids-exhausted'; readonly consumed: Secret[] };

/**
 * Our DH ratchet ("Rotating ECDH Keys and Brace Key as sender" and "Given a
 * new DH Ratchet"): new ECDH (and, every third time, DH) keys, K, the next
 * root key and chain_key_s[0]; pn = the length of the chain left behind.
 * Returns the secrets it replaced and the MAC keys to reveal now.
 */
function rotateSending(state: RatchetState, random: RandomSource, consumed: Secret[]): Uint8Array {
  const ratchetId = state.nextRatchetId;
  const ourEcdh = generateEcdhKeyPair(random);
  const ecdh = ecdhSharedSecret(ourEcdh.secret, state.theirEcdh);
  // their_ecdh passed decodePoint (prime order, not the identity) and our scalar is not 0 mod q.
  if (isCryptoRejection(ecdh)) throw new Error('ECDH with a checked point gave the identity');
  let braceKey: Secret;
  if (ratchetId % 3 === 0) {
    const ourDh = generateDh3072KeyPair(random);
    const dh = dh3072SharedSecret(ourDh, state.theirDh);
    if (isCryptoRejection(dh)) throw new Error('their_dh was checked when it was received');
    braceKey = braceKeyFromSharedSecret(dh);
    consumed.push(dh);
    if (state.ourDh !== undefined) consumed.push(state.ourDh.privateKey);
    state.ourDh = ourDh;
  } else {
    braceKey = nextBraceKey(state.braceKey);
  }
  const mixed = mixedSharedSecret(ecdh, braceKey);
  const { rootKey, chainKey } = deriveRatchetKeys(state.rootKey, mixed);
  consumed.push(ecdh, mixed, state.rootKey, state.braceKey, ...state.macKeysToReveal);
  if (state.sending !== undefined) consumed.push(state.sending.chainKey);
  if (state.ourEcdhSecret !== undefined) consumed.push(state.ourEcdhSecret);
  const revealed = concatenateRevealedMacKeys(state.macKeysToReveal);
  state.macKeysToReveal = [];
  state.previousChainLength = state.sending?.nextMessageId ?? 0;
  state.sending = { chainKey, ratchetId, nextMessageId: 0 };
  state.rootKey = rootKey;
  state.braceKey = braceKey;
  state.ourEcdhPublic = encodePoint(ourEcdh.publicKey);
  state.ourEcdhSecret = ourEcdh.secret;
  state.nextRatchetId = ratchetId + 1;
  state.nextRotation = 'receiving';
  return revealed;
}

/** `revealed` followed by every MAC key still to reveal and those of the stored skipped keys (the session's last message). */
function revealEverything(state: RatchetState, revealed: Uint8Array, consumed: Secret[]): Uint8Array {
  const macKeys = [...state.macKeysToReveal, ...state.skipped.entries().map((entry) => macKeyFromEncryptionKey(entry.encryptionKey))];
  state.macKeysToReveal = [];
  const more = concatenateRevealedMacKeys(macKeys);
  consumed.push(...macKeys);
  const all = new Uint8Array(revealed.length + more.length);
  all.set(revealed);
  all.set(more, revealed.length);
  return all;
}

/**
 * Encrypts and authenticates one data message ("When sending a data message
 * in the same DH Ratchet"): MKenc, MKmac = derive_enc_mac_keys(chain_key_s[j]),
 * encrypted = ChaCha20(MKenc, 0, message || 0x00 || TLVs),
 * Authenticator = HCMAC(usage_authenticator || MKmac || sections, 64),
 * chain_key_s[j+1] = KDF(usage_next_chain_key || chain_key_s[j], 64), j = j + 1.
 * Bad TLVs are the caller's mistake (UsageError from wire/tlv.ts) and are
 * refused before the state changes.
 */
export function sealDataMessage(state: RatchetState, input: SealInput, random: RandomSource): SealResult {
  const consumed: Secret[] = [];
  if (state.ended) return { ok: false, refused: 'ended', consumed };
  const rotating = state.nextRotation === 'sending';
  const chainFull = rotating ? state.nextRatchetId >= MAX_RATCHET_COUNTER : (state.sending?.nextMessageId ?? MAX_RATCHET_COUNTER) >= MAX_RATCHET_COUNTER;
  if (chainFull) return { ok: false, refused: 'ids-exhausted', consumed };
  const plaintext = encodeDataPayload(input.message, input.tlvs);
  let revealedMacKeys = rotating ? rotateSending(state, random, consumed) : new Uint8Array(0);
  if (input.revealAll === true) revealedMacKeys = revealEverything(state, revealedMacKeys, consumed);
  const chain = state.sending;
  if (chain === undefined) throw new Error('no sending chain after rotation');
  const keys = deriveMessageKeys(chain.chainKey);
  const extraKey = input.wantExtraKey === true ? extraSymmetricKey(chain.chainKey) : undefined;
  const encryptedMessage = encryptDataMessage(keys.encryptionKey, plaintext);
  plaintext.fill(0);
  const fields: V4DataFields = {
    flags: input.flags,
    previousChainLength: state.previousChainLength,
    ratchetId: chain.ratchetId,
    messageId: chain.nextMessageId,
    ecdh: state.ourEcdhPublic,
    // otr4j writes our DH key in every message of a chain whose id is a multiple of 3 (StateEncrypted4.transformSending).
    dh: chain.ratchetId % 3 === 0 ? state.ourDh?.publicKey : undefined,
    encryptedMessage,
  };
  const authenticator = dataMessageAuthenticator(keys.macKey, encodeV4DataMacInput(input.route, fields));
  const next = nextChainKey(chain.chainKey);
  consumed.push(chain.chainKey, keys.encryptionKey, keys.macKey);
  chain.chainKey = next;
  chain.nextMessageId += 1;
  return { ok: true, body: { ...fields, authenticator, revealedMacKeys }, extraKey, consumed };
}
