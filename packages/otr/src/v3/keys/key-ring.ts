/**
 * Key management of the data exchange (Protocol-v3, "Key Management" and
 * "Revealing MAC keys"): our two most recent DH key pairs, the peer's two most
 * recent public values, the session keys of each pairing, and the receiving
 * MAC keys to reveal once the keys that made them are forgotten.
 *
 * Theory of operation: after the AKE, our AKE key is our_dh[1] and a fresh
 * key is our_dh[2] (our_keyid = 2); the peer's AKE key is their_y[their_keyid].
 * The fresh key is made when it is first needed (the first message we send
 * advertises it), not when the AKE ends: nothing on the wire can tell, and
 * the AKE completes one exponentiation sooner. The pairing of the two AKE
 * keys starts from the AKE's own shared secret rather than computing it again.
 * We always send with (our_keyid - 1, their_keyid) and advertise our_dh[our_keyid].
 * A verified message whose recipient key id is our_keyid proves the peer saw
 * our newest key, so we rotate ours; one whose sender key id is their_keyid
 * carries the peer's next key, so we rotate theirs. Lookups only ever accept
 * the current and previous ids, and id 0 never exists.
 *
 * A rotation wipes nothing: it returns the secrets it forgot (session keys,
 * our old private key) for the caller to wipe (secure-channel.ts, "Wiping").
 * Only {@link KeyRing.wipe}, the end of the ring, wipes what it still holds.
 */
import { generateDhKeyPair, isValidDhPublic, wipeAll, type DhKeyPair, type RandomSource, type Secret, type Wipeable } from '../../crypto/index.js';
import { bytesEqual } from '../../bytes.js';
import { deriveSessionKeys, sessionKeySecrets, sessionKeysFromShared, type SessionKeys } from './session-keys.js';

/** Why a received key pairing was refused. */
export type KeyLookupFailure = 'bad-key-id' | 'bad-group-element';

/** Largest key id; past it the session must be restarted (2^32 - 1 is the INT maximum). */
const MAX_KEY_ID = 0xffffffff;

/** Our and the peer's DH keys for one secure session, with derived session keys. */
export class KeyRing {
  readonly #random: RandomSource;
  #ourKeyId: number;
  /** our_dh[our_keyid]; undefined until first needed. */
  #ourCurrent: DhKeyPair | undefined;
  #ourPrevious: DhKeyPair;
  #theirKeyId: number;
  #theirCurrent: Uint8Array;
  #theirPrevious: Uint8Array | undefined;
  readonly #sessions = new Map<string, SessionKeys>();
  #macKeysToReveal: Uint8Array[] = [];

  private constructor(ourKeyId: number, ourPrevious: DhKeyPair, theirKeyId: number, theirCurrent: Uint8Array, random: RandomSource) {
    this.#ourKeyId = ourKeyId;
    this.#ourPrevious = ourPrevious;
    this.#theirKeyId = theirKeyId;
    this.#theirCurrent = theirCurrent;
    this.#random = random;
  }

  /**
   * Builds the ring after an AKE: `akeDh` (id `akeKeyId`) becomes our
   * previous key, a fresh one (made on first use) our current. `akeShared`,
   * the AKE's s = (their AKE key)^(our AKE key), keys that pairing; it stays
   * the caller's, who wipes it once the ring is built. `akeDh` becomes the ring's.
   */
  static afterAke(akeKeyId: number, akeDh: DhKeyPair, theirKeyId: number, theirPublic: Uint8Array, akeShared: Secret, random: RandomSource): KeyRing {
    // A copy: the received value may be a view of a whole message.
    const ring = new KeyRing(akeKeyId + 1, akeDh, theirKeyId, Uint8Array.from(theirPublic), random);
    ring.#sessions.set(`${akeKeyId}:${theirKeyId}`, sessionKeysFromShared(akeKeyId, akeDh.publicKey, theirKeyId, theirPublic, akeShared));
    return ring;
  }

  /** our_dh[our_keyid], made now if this is its first use. */
  #current(): DhKeyPair {
    this.#ourCurrent ??= generateDhKeyPair(this.#random);
    return this.#ourCurrent;
  }

  /**
   * True when an AKE result names keys this ring already uses (libotr's
   * "refresh" test): same our-previous key and a their-key id whose stored
   * public value is equal, not merely the same id.
   */
  matchesAke(akeKeyId: number, akeDhPublic: Uint8Array, theirKeyId: number, theirPublic: Uint8Array): boolean {
    if (this.#ourKeyId - 1 !== akeKeyId || !bytesEqual(this.#ourPrevious.publicKey, akeDhPublic)) return false;
    if (theirKeyId === this.#theirKeyId) return bytesEqual(this.#theirCurrent, theirPublic);
    if (theirKeyId === this.#theirKeyId - 1 && this.#theirPrevious !== undefined) return bytesEqual(this.#theirPrevious, theirPublic);
    return false;
  }

  /** The pairing used to send: (our_keyid - 1, their_keyid), and our next public key to advertise. */
  sending(): { session: SessionKeys; nextDhPublic: Uint8Array } | undefined {
    const session = this.#session(this.#ourKeyId - 1, this.#theirKeyId);
    if (session === undefined) return undefined;
    return { session, nextDhPublic: this.#current().publicKey };
  }

  /** The pairing a received message names, or why it is refused. */
  receiving(senderKeyId: number, recipientKeyId: number): SessionKeys | KeyLookupFailure {
    if (senderKeyId === 0 || recipientKeyId === 0) return 'bad-key-id';
    if (recipientKeyId !== this.#ourKeyId && recipientKeyId !== this.#ourKeyId - 1) return 'bad-key-id';
    // Our current key is only known to the peer once we advertised it.
    if (recipientKeyId === this.#ourKeyId && this.#ourCurrent === undefined) return 'bad-key-id';
    if (senderKeyId !== this.#theirKeyId && senderKeyId !== this.#theirKeyId - 1) return 'bad-key-id';
    if (senderKeyId === this.#theirKeyId - 1 && this.#theirPrevious === undefined) return 'bad-key-id';
    return this.#session(recipientKeyId, senderKeyId) ?? 'bad-group-element';
  }

  /** Whether accepting a message with this sender key id would adopt `nextDh` (so it must be valid). */
  adoptsNextKey(senderKeyId: number): boolean {
    return senderKeyId === this.#theirKeyId;
  }

  /**
   * Rotates keys after a verified message (spec "When you receive a Data
   * Message ... check if keys need rotation"). `nextDh` must already be checked
   * with {@link isValidDhPublic} when {@link adoptsNextKey} says it is adopted.
   * Returns the secrets the rotation forgot, for the caller to wipe.
   */
  rotateAfterReceive(senderKeyId: number, recipientKeyId: number, nextDh: Uint8Array): Wipeable[] {
    const consumed: Wipeable[] = [];
    if (recipientKeyId === this.#ourKeyId && this.#ourKeyId < MAX_KEY_ID) {
      consumed.push(...this.#forgetSessions((session) => session.ourKeyId === this.#ourKeyId - 1));
      consumed.push(this.#ourPrevious.privateKey);
      this.#ourPrevious = this.#current();
      this.#ourCurrent = undefined;
      this.#ourKeyId += 1;
    }
    if (senderKeyId === this.#theirKeyId && this.#theirKeyId < MAX_KEY_ID && isValidDhPublic(nextDh)) {
      consumed.push(...this.#forgetSessions((session) => session.theirKeyId === this.#theirKeyId - 1));
      this.#theirPrevious = this.#theirCurrent;
      this.#theirCurrent = Uint8Array.from(nextDh);
      this.#theirKeyId += 1;
    }
    return consumed;
  }

  /** Takes the receiving MAC keys waiting to be revealed (concatenated 20-byte values). */
  takeMacKeysToReveal(): Uint8Array[] {
    const keys = this.#macKeysToReveal;
    this.#macKeysToReveal = [];
    return keys;
  }

  /** Forgets everything, wiping all secrets. */
  wipe(): void {
    wipeAll(...this.#forgetSessions(() => true, false), this.#ourPrevious.privateKey, this.#ourCurrent?.privateKey);
    // Never revealed now: still secret.
    for (const key of this.#macKeysToReveal) key.fill(0);
    this.#macKeysToReveal = [];
  }

  #session(ourKeyId: number, theirKeyId: number): SessionKeys | undefined {
    const id = `${ourKeyId}:${theirKeyId}`;
    const cached = this.#sessions.get(id);
    if (cached !== undefined) return cached;
    const ours = ourKeyId === this.#ourKeyId ? this.#current() : this.#ourPrevious;
    const theirs = theirKeyId === this.#theirKeyId ? this.#theirCurrent : this.#theirPrevious;
    if (theirs === undefined) return undefined;
    const session = deriveSessionKeys(ourKeyId, ours, theirKeyId, theirs);
    if (session !== undefined) this.#sessions.set(id, session);
    return session;
  }

  /** Drops the sessions `predicate` selects, keeping their used receiving MAC keys to reveal; returns their secrets. */
  #forgetSessions(predicate: (session: SessionKeys) => boolean, reveal = true): Wipeable[] {
    const forgotten: Wipeable[] = [];
    for (const [id, session] of this.#sessions) {
      if (!predicate(session)) continue;
      if (reveal && session.receivingMacUsed) {
        this.#macKeysToReveal.push(Uint8Array.from(session.keys.receivingMacKey.expose()));
      }
      forgotten.push(...sessionKeySecrets(session));
      this.#sessions.delete(id);
    }
    return forgotten;
  }
}
