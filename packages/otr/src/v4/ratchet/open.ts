/**
 * Receiving a data message (OTRv4, "When you receive a Data Message",
 * "Rotating ECDH Keys and Brace Key as receiver", "Deletion of Stored
 * Message Keys", "Revealing MAC Keys").
 *
 * A message is one of three kinds, told apart by its ratchet id and
 * message id before any key is derived:
 * - a message skipped earlier (an older chain, or a lower id of the current
 *   one): read with its stored key, which is then deleted; not stored means
 *   already read, evicted or never derivable, and it is refused, so a
 *   duplicate is never accepted twice;
 * - the next messages of the current receiving chain: the chain moves on,
 *   storing the keys of the ids it passes over;
 * - the first message we see of the peer's next chain (ratchet id = i, only
 *   when our own rotation came last): their new ECDH key (and, when the id
 *   is a multiple of 3, their new DH key) is checked, the rest of the old
 *   chain up to the message's pn is stored, and the receiving DH ratchet
 *   runs. Any other ratchet id is refused without deriving anything.
 * At most {@link MAX_SKIP} message keys are derived for one message, so ids
 * far in the future cost nothing. Everything is computed aside and the state
 * is changed only after the Authenticator verified (in constant time): a
 * forged or damaged message leaves no trace.
 */
import { braceKeyFromSharedSecret, dh3072SharedSecret, nextBraceKey } from '../../crypto/v4/dh3072.js';
import { decryptDataMessage, deriveMessageKeys, extraSymmetricKey, verifyDataMessageAuthenticator } from '../../crypto/v4/data-message.js';
import { decodePoint, ecdhSharedSecret } from '../../crypto/v4/ed448.js';
import { isCryptoRejection } from '../../crypto/v4/rejection.js';
import { deriveRatchetKeys, macKeyFromEncryptionKey, messageEncryptionKey, mixedSharedSecret, nextChainKey } from '../../crypto/v4/ratchet-kdf.js';
import type { Secret } from '../../crypto/secret.js';
import { bytesEqual } from '../../bytes.js';
import { decodeDataPayload, type DataPayload } from '../../wire/data-payload.js';
import { encodeV4DataMacInput, type V4DataMessage } from '../../wire/v4/data-message.js';
import type { V4Route } from '../../wire/v4/header.js';
import { V4_TLV } from '../../wire/v4/tlv.js';
import { MAX_PENDING_MAC_KEYS, type RatchetEvent } from './events.js';
import type { SkippedKey } from './skipped-keys.js';
import type { RatchetState } from './state.js';

/**
 * The spec's max_skip: message keys one received message may make us derive
 * (skipped keys of the old chain up to pn plus those of the new chain up to
 * the message id). High enough for routine loss, low enough that a forged
 * id costs at most this many hashes (three SHAKE-256 calls each).
 */
export const MAX_SKIP = 1000;

/** Why a received data message was not read. The state is unchanged in every case. */
export type OpenRefusal =
  /** The ratchet was wiped. */
  | 'ended'
  /** A ratchet id that names no chain we can have: in the future, or a new chain before our reply. */
  | 'ratchet-id-out-of-range'
  /** Reading it would derive more than {@link MAX_SKIP} keys. */
  | 'message-id-out-of-range'
  /** A past message whose key is gone: read already (a duplicate), evicted, or never derivable. */
  | 'no-key'
  /** The message's ECDH key is not the one of the chain its ids name. */
  | 'ecdh-mismatch'
  /** A new ECDH or DH key that fails the group checks, repeats a current key, or gives a degenerate secret. */
  | 'bad-group-element'
  /** A new chain whose DH key is missing although its id is a multiple of 3, or present although it is not. */
  | 'bad-dh-presence'
  /** The Authenticator does not verify. */
  | 'bad-authenticator';

/** The outcome of {@link openDataMessage}. */
export type OpenResult =
  | {
      readonly ok: true;
      /** The decrypted plaintext; the caller owns and wipes it. */
      readonly plaintext: Uint8Array;
      /** Views into `plaintext`: the human-readable part and the TLVs. */
      readonly payload: DataPayload;
      /** The message's extra symmetric key, when it carries a type 7 TLV; the caller owns it. */
      readonly extraKey: Secret | undefined;
      readonly events: RatchetEvent[];
      /** Secrets this step used up; wipe them. */
      readonly consumed: Secret[];
    }
  | { readonly ok: false; readonly refused: OpenRefusal; readonly consumed: Secret[] };

/** A received data message with its route (the header's instance tags, covered by the Authenticator). */
export interface OpenInput {
  readonly route: V4Route;
  readonly message: V4DataMessage;
}

/** Keys derived by walking a chain from id `from` to id `to`: the skipped keys and chain_key[to]. */
interface ChainWalk {
  readonly skipped: SkippedKey[];
  /** chain_key[to]; the start key itself when from = to. */
  readonly chainKey: Secret;
  /** chain_key[from + 1 .. to - 1]: used up once derived from. */
  readonly passed: Secret[];
}

function walkChain(start: Secret, from: number, to: number, ratchetId: number, theirEcdh: Uint8Array): ChainWalk {
  const skipped: SkippedKey[] = [];
  const passed: Secret[] = [];
  let chainKey = start;
  for (let messageId = from; messageId < to; messageId++) {
    skipped.push({ ratchetId, messageId, theirEcdh, encryptionKey: messageEncryptionKey(chainKey), extraKey: extraSymmetricKey(chainKey) });
    const next = nextChainKey(chainKey);
    if (chainKey !== start) passed.push(chainKey);
    chainKey = next;
  }
  return { skipped, chainKey, passed };
}

function walkSecrets(walk: ChainWalk, start: Secret): Secret[] {
  const secrets = [...walk.passed, ...walk.skipped.flatMap((entry) => [entry.encryptionKey, entry.extraKey])];
  if (walk.chainKey !== start) secrets.push(walk.chainKey);
  return secrets;
}

function refuse(refused: OpenRefusal, consumed: Secret[] = []): OpenResult {
  return { ok: false, refused, consumed };
}

function wantsExtraKey(payload: DataPayload): boolean {
  return payload.tlvs.some((tlv) => tlv.type === V4_TLV.EXTRA_SYMMETRIC_KEY);
}

/** Stores skipped keys, wiping and revealing the evicted ones, and keeps the MAC key list bounded. */
function commitSkippedAndReveals(state: RatchetState, skipped: readonly SkippedKey[], macKey: Secret, events: RatchetEvent[], consumed: Secret[]): void {
  for (const evicted of state.skipped.addAll(skipped)) {
    events.push({ kind: 'skipped-key-evicted', ratchetId: evicted.ratchetId, messageId: evicted.messageId });
    state.macKeysToReveal.push(macKeyFromEncryptionKey(evicted.encryptionKey));
    consumed.push(evicted.encryptionKey, evicted.extraKey);
  }
  state.macKeysToReveal.push(macKey);
  const excess = state.macKeysToReveal.length - MAX_PENDING_MAC_KEYS;
  if (excess > 0) {
    consumed.push(...state.macKeysToReveal.splice(0, excess));
    events.push({ kind: 'mac-keys-unrevealed', count: excess });
  }
}

/** Verifies and decrypts with message keys, or returns undefined when the Authenticator fails. */
function verifyAndDecrypt(input: OpenInput, encryptionKey: Secret, macKey: Secret): Uint8Array | undefined {
  const { message } = input;
  if (!verifyDataMessageAuthenticator(macKey, encodeV4DataMacInput(input.route, message), message.authenticator)) return undefined;
  return decryptDataMessage(encryptionKey, message.encryptedMessage);
}

/** A message read with a stored skipped key ("Try to decrypt the message with a stored skipped message key"). */
function openSkipped(state: RatchetState, input: OpenInput): OpenResult {
  const { ratchetId, messageId, ecdh } = input.message;
  const entry = state.skipped.peek({ ratchetId, messageId });
  if (entry === undefined) return refuse('no-key');
  if (!bytesEqual(entry.theirEcdh, ecdh)) return refuse('ecdh-mismatch');
  const macKey = macKeyFromEncryptionKey(entry.encryptionKey);
  const plaintext = verifyAndDecrypt(input, entry.encryptionKey, macKey);
  if (plaintext === undefined) return refuse('bad-authenticator', [macKey]);
  state.skipped.take({ ratchetId, messageId });
  const payload = decodeDataPayload(plaintext);
  const keepExtra = wantsExtraKey(payload);
  const consumed = keepExtra ? [entry.encryptionKey] : [entry.encryptionKey, entry.extraKey];
  const events: RatchetEvent[] = [];
  commitSkippedAndReveals(state, [], macKey, events, consumed);
  return { ok: true, plaintext, payload, extraKey: keepExtra ? entry.extraKey : undefined, events, consumed };
}

/** Message keys of chain_key[j], the Authenticator check and decryption; on success the receiving chain is chain_key[j + 1]. */
function finishInChain(
  state: RatchetState,
  input: OpenInput,
  walk: ChainWalk,
  start: Secret,
  provisional: Secret[],
  commit: (nextChainKey: Secret, consumed: Secret[]) => void,
): OpenResult {
  const keys = deriveMessageKeys(walk.chainKey);
  const plaintext = verifyAndDecrypt(input, keys.encryptionKey, keys.macKey);
  if (plaintext === undefined) {
    return refuse('bad-authenticator', [...provisional, ...walkSecrets(walk, start), keys.encryptionKey, keys.macKey]);
  }
  const payload = decodeDataPayload(plaintext);
  const extraKey = wantsExtraKey(payload) ? extraSymmetricKey(walk.chainKey) : undefined;
  const consumed: Secret[] = [start, ...walk.passed, keys.encryptionKey];
  const next = nextChainKey(walk.chainKey);
  // Reading the next message in order, the walk passed no key: its chain key is `start`, listed once.
  if (walk.chainKey !== start) consumed.push(walk.chainKey);
  commit(next, consumed);
  const events: RatchetEvent[] = [];
  commitSkippedAndReveals(state, walk.skipped, keys.macKey, events, consumed);
  return { ok: true, plaintext, payload, extraKey, events, consumed };
}

/** The receiving DH ratchet on the first message seen of the peer's next chain. */
function openNewChain(state: RatchetState, input: OpenInput): OpenResult {
  const { message } = input;
  const { ratchetId, messageId } = message;
  const receiving = state.receiving;
  const toSkipInOldChain = receiving === undefined ? 0 : Math.max(0, message.previousChainLength - receiving.nextMessageId);
  if (toSkipInOldChain + messageId > MAX_SKIP) return refuse('message-id-out-of-range');
  const dhRatchet = ratchetId % 3 === 0;
  if (dhRatchet !== (message.dh !== undefined)) return refuse('bad-dh-presence');
  if (bytesEqual(message.ecdh, state.theirEcdhEncoded) || bytesEqual(message.ecdh, state.ourEcdhPublic)) return refuse('bad-group-element');
  const theirDh = message.dh;
  if (theirDh !== undefined && (bytesEqual(theirDh, state.theirDh) || (state.ourDh !== undefined && bytesEqual(theirDh, state.ourDh.publicKey)))) {
    return refuse('bad-group-element');
  }
  const ourEcdhSecret = state.ourEcdhSecret;
  const ourDh = state.ourDh;
  // Our own rotation came last, so our ECDH secret (and, before a DH ratchet, our DH key) are here.
  if (ourEcdhSecret === undefined || (dhRatchet && ourDh === undefined)) return refuse('ratchet-id-out-of-range');
  const theirEcdh = decodePoint(message.ecdh);
  if (isCryptoRejection(theirEcdh)) return refuse('bad-group-element');
  const ecdh = ecdhSharedSecret(ourEcdhSecret, theirEcdh);
  if (isCryptoRejection(ecdh)) return refuse('bad-group-element');
  const provisional: Secret[] = [ecdh];
  let braceKey: Secret;
  if (theirDh !== undefined && ourDh !== undefined) {
    const dh = dh3072SharedSecret(ourDh, theirDh);
    if (isCryptoRejection(dh)) return refuse('bad-group-element', provisional);
    braceKey = braceKeyFromSharedSecret(dh);
    provisional.push(dh);
  } else {
    braceKey = nextBraceKey(state.braceKey);
  }
  const mixed = mixedSharedSecret(ecdh, braceKey);
  const { rootKey, chainKey } = deriveRatchetKeys(state.rootKey, mixed);
  provisional.push(mixed);
  const oldWalk =
    receiving === undefined ? undefined : walkChain(receiving.chainKey, receiving.nextMessageId, message.previousChainLength, receiving.ratchetId, receiving.theirEcdh);
  const theirEcdhEncoded = Uint8Array.from(message.ecdh);
  const walk = walkChain(chainKey, 0, messageId, ratchetId, theirEcdhEncoded);
  const oldWalkSecrets = oldWalk === undefined || receiving === undefined ? [] : [...oldWalk.passed, ...(oldWalk.chainKey === receiving.chainKey ? [] : [oldWalk.chainKey])];
  const merged: ChainWalk = { ...walk, skipped: [...(oldWalk?.skipped ?? []), ...walk.skipped] };
  return finishInChain(state, input, merged, chainKey, [...provisional, braceKey, rootKey, chainKey, ...oldWalkSecrets], (next, consumed) => {
    consumed.push(...provisional, state.rootKey, state.braceKey, ourEcdhSecret);
    if (oldWalk !== undefined && receiving !== undefined) {
      consumed.push(receiving.chainKey, ...oldWalk.passed);
      if (oldWalk.chainKey !== receiving.chainKey) consumed.push(oldWalk.chainKey);
    }
    if (dhRatchet && ourDh !== undefined) {
      consumed.push(ourDh.privateKey);
      state.ourDh = undefined;
      state.theirDh = Uint8Array.from(theirDh ?? []);
    }
    state.rootKey = rootKey;
    state.braceKey = braceKey;
    state.receiving = { chainKey: next, ratchetId, nextMessageId: messageId + 1, theirEcdh: theirEcdhEncoded };
    state.theirEcdh = theirEcdh;
    state.theirEcdhEncoded = theirEcdhEncoded;
    state.ourEcdhSecret = undefined;
    state.nextRatchetId = ratchetId + 1;
    state.nextRotation = 'sending';
  });
}

/**
 * Authenticates and decrypts one received data message, moving the ratchet
 * on only when it verified. Never throws on received values.
 */
export function openDataMessage(state: RatchetState, input: OpenInput): OpenResult {
  if (state.ended) return refuse('ended');
  const { ratchetId, messageId, ecdh } = input.message;
  const receiving = state.receiving;
  if (receiving !== undefined && ratchetId === receiving.ratchetId) {
    if (!bytesEqual(ecdh, receiving.theirEcdh)) return refuse('ecdh-mismatch');
    if (messageId < receiving.nextMessageId) return openSkipped(state, input);
    if (messageId - receiving.nextMessageId > MAX_SKIP) return refuse('message-id-out-of-range');
    const walk = walkChain(receiving.chainKey, receiving.nextMessageId, messageId, ratchetId, receiving.theirEcdh);
    return finishInChain(state, input, walk, receiving.chainKey, [], (next) => {
      receiving.chainKey = next;
      receiving.nextMessageId = messageId + 1;
    });
  }
  if (receiving !== undefined && ratchetId < receiving.ratchetId) return openSkipped(state, input);
  if (ratchetId === state.nextRatchetId && state.nextRotation === 'receiving') return openNewChain(state, input);
  return refuse('ratchet-id-out-of-range');
}
