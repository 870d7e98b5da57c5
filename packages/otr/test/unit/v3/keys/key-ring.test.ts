/**
 * The data exchange's key ring (Protocol-v3, "Exchanging Data", "Computing
 * AES keys, MAC keys, and the secure session id" and "Revealing MAC keys").
 *
 * Expected values come from the spec's rules and libotr, never from the
 * ring itself: a reference derivation written here from the spec's formula
 * (s = their_y^our_x mod p; the "high" end, whose public value is larger,
 * sends with byte 0x01 and receives with 0x02; AES key = first 16 bytes of
 * SHA-1(byte || MPI(s)); MAC key = SHA-1(AES key)), with plain bigint
 * arithmetic and node:crypto's SHA-1, is first checked against every case of
 * libotr's otr_sesskeys (../../vectors/libotr5-bin/sesskeys.json); our fresh
 * keys are drawn from a scripted random source, so their exponents are known.
 *
 * The spec's rules under test, with our_keyid / their_keyid the newest ids:
 * - we keep our_dh[our_keyid - 1], our_dh[our_keyid], their_y[their_keyid - 1]
 *   and their_y[their_keyid];
 * - we send with (our_keyid - 1, their_keyid) and advertise our_dh[our_keyid];
 * - a received message's key ids must name keys we keep (ids are > 0);
 * - recipient keyid == our_keyid: forget our_dh[our_keyid - 1], our_keyid++,
 *   and a new our_dh[our_keyid];
 * - sender keyid == their_keyid: forget their_y[their_keyid - 1],
 *   their_keyid++, their_y[their_keyid] = the message's next DH key;
 * - about to forget a key: the receiving MAC keys of its pairings that
 *   verified messages go to the list of keys to reveal;
 * - the counter's top half starts at zero for each pairing and must increase.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDhKeyPair, Secret, type DhKeyPair, type RandomSource } from '../../../../src/crypto/index.js';
import { counterIsNewer, initialCounter, nextCounter } from '../../../../src/v3/keys/counter.js';
import { KeyRing } from '../../../../src/v3/keys/key-ring.js';
import type { SessionKeys } from '../../../../src/v3/keys/session-keys.js';

/** Rotates as the secure channel does: the ring returns what it forgot, the caller wipes it. */
function rotate(ring: KeyRing, senderKeyId: number, recipientKeyId: number, nextDh: Uint8Array): void {
  for (const secret of ring.rotateAfterReceive(senderKeyId, recipientKeyId, nextDh)) secret.wipe();
}

// ---------------------------------------------------------------------------
// Reference derivation (the spec's formula) and libotr's vectors.

/** The 1536-bit MODP prime (RFC 3526, group 5), the group of OTR v2/v3. */
const P = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF',
);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.length % 2 === 1 ? `0${text}` : text, 'hex'));
const big = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${hex(bytes)}`));
const sha1 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Minimal big-endian bytes (the body of an MPI). */
function minimal(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  return fromHex(value.toString(16));
}

/** MPI: 4-byte big-endian length, then the minimal bytes. */
function mpi(value: bigint): Uint8Array {
  const body = minimal(value);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** g^x for a private exponent given as bytes. */
const publicOf = (privateKey: Uint8Array): Uint8Array => minimal(modPow(2n, big(privateKey), P));

interface PairKeys {
  sendingAesKey: string;
  sendingMacKey: string;
  receivingAesKey: string;
  receivingMacKey: string;
}

/** The spec's data keys of the pairing of our exponent with their public value. */
function referenceKeys(ourPrivate: Uint8Array, theirPublic: Uint8Array): PairKeys {
  const secbytes = mpi(modPow(big(theirPublic), big(ourPrivate), P));
  const high = big(publicOf(ourPrivate)) > big(theirPublic);
  const [sendByte, receiveByte] = high ? [0x01, 0x02] : [0x02, 0x01];
  const sendingAes = sha1(Uint8Array.of(sendByte), secbytes).subarray(0, 16);
  const receivingAes = sha1(Uint8Array.of(receiveByte), secbytes).subarray(0, 16);
  return {
    sendingAesKey: hex(sendingAes),
    sendingMacKey: hex(sha1(sendingAes)),
    receivingAesKey: hex(receivingAes),
    receivingMacKey: hex(sha1(receivingAes)),
  };
}

/** The ring's keys of a pairing, in the same form. */
function keysOf(session: SessionKeys): PairKeys {
  const { sendingAesKey, sendingMacKey, receivingAesKey, receivingMacKey } = session.keys;
  return {
    sendingAesKey: hex(sendingAesKey.expose()),
    sendingMacKey: hex(sendingMacKey.expose()),
    receivingAesKey: hex(receivingAesKey.expose()),
    receivingMacKey: hex(receivingMacKey.expose()),
  };
}

interface SessKeysVector extends PairKeys {
  readonly ourPrivate: string;
  readonly theirPublic: string;
  readonly ourPublic: string;
  readonly high: boolean;
}
const VECTORS = JSON.parse(readFileSync(new URL('../../../vectors/libotr5-bin/sesskeys.json', import.meta.url), 'utf8')) as SessKeysVector[];
const vector = (index: number): SessKeysVector => {
  const found = VECTORS[index];
  if (found === undefined) throw new Error(`no vector ${index}`);
  return found;
};

/** Distinct 40-byte exponents for the fresh keys, in the order they are drawn. */
const EXPONENTS = VECTORS.map((v) => fromHex(v.ourPrivate));

/** A random source handing out the given exponents in order, counting draws. */
function scripted(exponents: readonly Uint8Array[]): RandomSource & { readonly drawn: Uint8Array[] } {
  const drawn: Uint8Array[] = [];
  const source = (length: number): Uint8Array => {
    const next = exponents[drawn.length];
    if (next === undefined || next.length !== length) throw new Error('scripted random source exhausted');
    drawn.push(next);
    return Uint8Array.from(next);
  };
  return Object.assign(source, { drawn });
}

/** A DH key pair with a known exponent (the ring takes ownership). */
const keyPair = (exponent: Uint8Array): DhKeyPair => generateDhKeyPair(() => Uint8Array.from(exponent));

/** The AKE's shared secret s of `ours` and `theirPublic`, as the AKE hands it over. */
const akeShared = (ours: DhKeyPair, theirPublic: Uint8Array): Secret => new Secret(minimal(modPow(big(theirPublic), big(ours.privateKey.expose()), P)));

const AKE_KEY_ID = 1;
const THEIR_AKE_KEY_ID = 5;

/**
 * A ring after an AKE with vector `index`: our AKE key is the vector's
 * exponent (id 1), theirs the vector's public value (id 5); fresh keys come
 * from `fresh`.
 */
function ringAfterAke(index: number, fresh: readonly Uint8Array[]) {
  const v = vector(index);
  const ake = keyPair(fromHex(v.ourPrivate));
  const theirPublic = fromHex(v.theirPublic);
  const random = scripted(fresh);
  const ring = KeyRing.afterAke(AKE_KEY_ID, ake, THEIR_AKE_KEY_ID, theirPublic, akeShared(ake, theirPublic), random);
  return { ring, ake, theirPublic, random, v };
}

/** A session the ring must hold. */
function held(result: SessionKeys | string | undefined): SessionKeys {
  if (result === undefined || typeof result === 'string') throw new Error(`no session: ${String(result)}`);
  return result;
}

const secretsOf = (session: SessionKeys): Secret[] => [
  session.keys.sendingAesKey,
  session.keys.sendingMacKey,
  session.keys.receivingAesKey,
  session.keys.receivingMacKey,
  session.extraKey,
];

// A public value the peer advertises as its next key: the public value of a known exponent.
const THEIR_NEXT_EXPONENT = fromHex(vector(11).ourPrivate);
const THEIR_NEXT = publicOf(THEIR_NEXT_EXPONENT);
const THEIR_AFTER_NEXT_EXPONENT = fromHex(vector(10).ourPrivate);
const THEIR_AFTER_NEXT = publicOf(THEIR_AFTER_NEXT_EXPONENT);

// ---------------------------------------------------------------------------

describe('the reference derivation', () => {
  it("reproduces every case of libotr's otr_sesskeys (so it can stand for the spec below)", () => {
    for (const v of VECTORS) {
      expect(hex(publicOf(fromHex(v.ourPrivate)))).toBe(v.ourPublic.replace(/^(00)+/, ''));
      expect(big(publicOf(fromHex(v.ourPrivate))) > big(fromHex(v.theirPublic))).toBe(v.high);
      expect(referenceKeys(fromHex(v.ourPrivate), fromHex(v.theirPublic))).toEqual({
        sendingAesKey: v.sendingAesKey,
        sendingMacKey: v.sendingMacKey,
        receivingAesKey: v.receivingAesKey,
        receivingMacKey: v.receivingMacKey,
      });
    }
  });
});

describe('KeyRing after the AKE', () => {
  it("sends with (our_keyid - 1, their_keyid), the AKE keys' pairing, whose keys are libotr's", () => {
    for (const index of [0, 1, 8, 9]) {
      const { ring, v } = ringAfterAke(index, EXPONENTS.slice(2));
      const sending = ring.sending();
      if (sending === undefined) throw new Error('cannot send');
      expect([sending.session.ourKeyId, sending.session.theirKeyId]).toEqual([AKE_KEY_ID, THEIR_AKE_KEY_ID]);
      expect(keysOf(sending.session)).toEqual({
        sendingAesKey: v.sendingAesKey,
        sendingMacKey: v.sendingMacKey,
        receivingAesKey: v.receivingAesKey,
        receivingMacKey: v.receivingMacKey,
      });
    }
  });

  it('advertises a fresh our_dh[our_keyid], drawn from the random source once, when first needed', () => {
    const { ring, random } = ringAfterAke(0, EXPONENTS.slice(2));
    expect(random.drawn).toHaveLength(0);
    const first = ring.sending();
    expect(random.drawn).toHaveLength(1);
    expect(hex(first?.nextDhPublic ?? new Uint8Array())).toBe(hex(publicOf(EXPONENTS[2] ?? new Uint8Array())));
    expect(hex(ring.sending()?.nextDhPublic ?? new Uint8Array())).toBe(hex(first?.nextDhPublic ?? new Uint8Array()));
    expect(random.drawn).toHaveLength(1);
  });

  it('each pairing starts with zero counters; the counter top half must increase (Protocol-v3, "Data Message")', () => {
    const { ring } = ringAfterAke(0, EXPONENTS.slice(2));
    const session = held(ring.sending()?.session);
    expect(hex(session.sendCounter)).toBe('0000000000000000');
    expect(hex(session.receiveCounter)).toBe('0000000000000000');
    expect(hex(initialCounter())).toBe('0000000000000000');
    expect(hex(nextCounter(initialCounter()) ?? new Uint8Array())).toBe('0000000000000001');
    expect(hex(nextCounter(fromHex('00000000000000ff')) ?? new Uint8Array())).toBe('0000000000000100');
    expect(hex(nextCounter(fromHex('00ffffffffffffff')) ?? new Uint8Array())).toBe('0100000000000000');
    expect(nextCounter(fromHex('ffffffffffffffff'))).toBeUndefined();
    expect(counterIsNewer(fromHex('0000000000000002'), fromHex('0000000000000001'))).toBe(true);
    expect(counterIsNewer(fromHex('0000000000000001'), fromHex('0000000000000001'))).toBe(false);
    expect(counterIsNewer(fromHex('0000000000000000'), fromHex('0000000000000001'))).toBe(false);
    expect(counterIsNewer(fromHex('0100000000000000'), fromHex('00ffffffffffffff'))).toBe(true);
    // A new pairing's counters are its own.
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, THEIR_NEXT);
    session.sendCounter = fromHex('0000000000000007');
    const next = held(ring.sending()?.session);
    expect([next.ourKeyId, next.theirKeyId]).toEqual([AKE_KEY_ID, THEIR_AKE_KEY_ID + 1]);
    expect(hex(next.sendCounter)).toBe('0000000000000000');
  });
});

describe('KeyRing: key ids 0 and unknown', () => {
  it('accepts only the kept ids: (their_keyid or their_keyid - 1 once known, our_keyid - 1 or our_keyid once advertised)', () => {
    const { ring, theirPublic } = ringAfterAke(0, EXPONENTS.slice(2));
    // our_keyid = 2 (fresh, not yet advertised), our_keyid - 1 = 1; their_keyid = 5, no 4 kept.
    expect(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID)).toBe(ring.sending()?.session);
    for (const [sender, recipient] of [
      [0, AKE_KEY_ID],
      [THEIR_AKE_KEY_ID, 0],
      [0, 0],
      [THEIR_AKE_KEY_ID - 1, AKE_KEY_ID],
      [THEIR_AKE_KEY_ID + 1, AKE_KEY_ID],
      [THEIR_AKE_KEY_ID, AKE_KEY_ID + 2],
      [THEIR_AKE_KEY_ID, AKE_KEY_ID - 1],
      [0xffffffff, AKE_KEY_ID],
    ] as const) {
      expect(ring.receiving(sender, recipient)).toBe('bad-key-id');
    }
    // our_dh[2] now advertised (sending() above): the peer may use it; its keys are the spec's.
    const fresh = held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID + 1));
    expect([fresh.ourKeyId, fresh.theirKeyId]).toEqual([AKE_KEY_ID + 1, THEIR_AKE_KEY_ID]);
    expect(keysOf(fresh)).toEqual(referenceKeys(EXPONENTS[2] ?? new Uint8Array(), theirPublic));
  });

  it('our newest key is unknown to the peer until we advertised it', () => {
    const { ring, random } = ringAfterAke(0, EXPONENTS.slice(2));
    expect(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID + 1)).toBe('bad-key-id');
    expect(random.drawn).toHaveLength(0);
  });

  it('a key id never wraps to 0: at 0xffffffff the ids stop rotating', () => {
    const v = vector(0);
    const ake = keyPair(fromHex(v.ourPrivate));
    const theirPublic = fromHex(v.theirPublic);
    const ring = KeyRing.afterAke(0xfffffffe, ake, 0xffffffff, theirPublic, akeShared(ake, theirPublic), scripted(EXPONENTS.slice(2)));
    ring.sending();
    rotate(ring, 0xffffffff, 0xffffffff, THEIR_NEXT);
    const session = held(ring.sending()?.session);
    expect([session.ourKeyId, session.theirKeyId]).toEqual([0xfffffffe, 0xffffffff]);
    expect(ring.receiving(0xffffffff, 0xffffffff)).not.toBe('bad-key-id');
  });
});

describe('KeyRing: rotation', () => {
  it("their key: a message with sender keyid == their_keyid brings their_y[their_keyid + 1]; their_keyid - 1 stays usable, older ids are forgotten", () => {
    const { ring, ake, theirPublic } = ringAfterAke(0, EXPONENTS.slice(2));
    const ourAkeExponent = Uint8Array.from(ake.privateKey.expose());
    expect(ring.adoptsNextKey(THEIR_AKE_KEY_ID)).toBe(true);
    expect(ring.adoptsNextKey(THEIR_AKE_KEY_ID - 1)).toBe(false);
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, THEIR_NEXT);
    const sending = held(ring.sending()?.session);
    expect([sending.ourKeyId, sending.theirKeyId]).toEqual([AKE_KEY_ID, THEIR_AKE_KEY_ID + 1]);
    expect(keysOf(sending)).toEqual(referenceKeys(ourAkeExponent, THEIR_NEXT));
    expect(keysOf(held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID)))).toEqual(referenceKeys(ourAkeExponent, theirPublic));
    expect(ring.adoptsNextKey(THEIR_AKE_KEY_ID)).toBe(false);
    expect(ring.adoptsNextKey(THEIR_AKE_KEY_ID + 1)).toBe(true);
    // A message naming their_keyid - 1 brings no new key.
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, THEIR_AFTER_NEXT);
    expect(held(ring.sending()?.session).theirKeyId).toBe(THEIR_AKE_KEY_ID + 1);
    rotate(ring, THEIR_AKE_KEY_ID + 1, AKE_KEY_ID, THEIR_AFTER_NEXT);
    expect(keysOf(held(ring.sending()?.session))).toEqual(referenceKeys(ourAkeExponent, THEIR_AFTER_NEXT));
    expect(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID)).toBe('bad-key-id');
    expect(keysOf(held(ring.receiving(THEIR_AKE_KEY_ID + 1, AKE_KEY_ID)))).toEqual(referenceKeys(ourAkeExponent, THEIR_NEXT));
  });

  it('their next key must be a legal group element (2 <= y <= p-2), else their keys stay', () => {
    for (const bad of [Uint8Array.of(1), Uint8Array.of(0), minimal(P - 1n), minimal(P)]) {
      const { ring } = ringAfterAke(0, EXPONENTS.slice(2));
      rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, bad);
      expect(held(ring.sending()?.session).theirKeyId).toBe(THEIR_AKE_KEY_ID);
    }
  });

  it("our key: a message with recipient keyid == our_keyid forgets our_dh[our_keyid - 1] and returns it with its pairing's keys, unwiped, for the caller to wipe; a new our_dh[our_keyid] is drawn", () => {
    const { ring, ake, theirPublic, random } = ringAfterAke(0, EXPONENTS.slice(2));
    const akeSession = held(ring.sending()?.session);
    // The peer answers with our advertised key 2.
    const consumed = ring.rotateAfterReceive(THEIR_AKE_KEY_ID, AKE_KEY_ID + 1, THEIR_NEXT);
    expect(consumed).toContain(ake.privateKey);
    expect(consumed).toContain(akeSession.keys);
    expect(consumed).toContain(akeSession.extraKey);
    expect(ake.privateKey.wiped).toBe(false);
    for (const secret of consumed) secret.wipe();
    expect(ake.privateKey.wiped).toBe(true);
    for (const secret of secretsOf(akeSession)) expect(secret.wiped).toBe(true);
    expect(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID)).toBe('bad-key-id');
    // Now (our_keyid - 1, their_keyid) = (2, 6): our former fresh key with their new one.
    const sending = ring.sending();
    const session = held(sending?.session);
    expect([session.ourKeyId, session.theirKeyId]).toEqual([AKE_KEY_ID + 1, THEIR_AKE_KEY_ID + 1]);
    expect(keysOf(session)).toEqual(referenceKeys(EXPONENTS[2] ?? new Uint8Array(), THEIR_NEXT));
    expect(hex(sending?.nextDhPublic ?? new Uint8Array())).toBe(hex(publicOf(EXPONENTS[3] ?? new Uint8Array())));
    expect(random.drawn).toHaveLength(2);
    expect(keysOf(held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID + 1)))).toEqual(referenceKeys(EXPONENTS[2] ?? new Uint8Array(), theirPublic));
  });

  it('two rings following the spec: each message names (our_keyid - 1, their_keyid) and the receiver holds the same keys', () => {
    // Alice and Bob finished an AKE with keys a1 and b1 (ids 1 and 1).
    const a1 = fromHex(vector(0).ourPrivate);
    const b1 = fromHex(vector(1).ourPrivate);
    const aliceAke = keyPair(a1);
    const bobAke = keyPair(b1);
    const alice = KeyRing.afterAke(1, aliceAke, 1, publicOf(b1), akeShared(aliceAke, publicOf(b1)), scripted(EXPONENTS.slice(2, 7)));
    const bob = KeyRing.afterAke(1, bobAke, 1, publicOf(a1), akeShared(bobAke, publicOf(a1)), scripted(EXPONENTS.slice(7)));
    const wire: string[] = [];
    const deliver = (from: KeyRing, to: KeyRing): void => {
      const sending = from.sending();
      if (sending === undefined) throw new Error('cannot send');
      const { ourKeyId: senderKeyId, theirKeyId: recipientKeyId } = sending.session;
      wire.push(`${senderKeyId}->${recipientKeyId}`);
      const receiving = held(to.receiving(senderKeyId, recipientKeyId));
      expect(hex(receiving.keys.receivingAesKey.expose())).toBe(hex(sending.session.keys.sendingAesKey.expose()));
      expect(hex(receiving.keys.receivingMacKey.expose())).toBe(hex(sending.session.keys.sendingMacKey.expose()));
      expect(hex(receiving.extraKey.expose())).toBe(hex(sending.session.extraKey.expose()));
      rotate(to, senderKeyId, recipientKeyId, sending.nextDhPublic);
    };
    deliver(alice, bob); // (1, 1) advertising a2: sender keyid == Bob's their_keyid, so Bob adopts a2 (their_keyid 2).
    deliver(alice, bob); // (1, 1) again: Bob's their_keyid is 2 now, nothing rotates.
    deliver(bob, alice); // (1, 2) advertising b2: Alice's our_keyid was used (she rotates to 3) and she adopts b2.
    deliver(alice, bob); // (2, 2) advertising a3: Bob rotates his (to 3) and adopts a3.
    deliver(bob, alice); // (2, 3) advertising b3: Alice rotates hers (to 4) and adopts b3.
    deliver(bob, alice); // (2, 3) again: both ids are Alice's kept previous ones, nothing rotates.
    deliver(alice, bob); // (3, 3).
    expect(wire).toEqual(['1->1', '1->1', '1->2', '2->2', '2->3', '2->3', '3->3']);
  });
});

describe('KeyRing: revealing MAC keys', () => {
  it("forgetting our old key reveals the receiving MAC keys of its pairings that verified a message, once; libotr's value for the AKE pairing", () => {
    const { ring, v } = ringAfterAke(0, EXPONENTS.slice(2));
    const akeSession = held(ring.sending()?.session);
    akeSession.receivingMacUsed = true;
    expect(ring.takeMacKeysToReveal()).toEqual([]);
    rotate(ring, THEIR_AKE_KEY_ID - 1, AKE_KEY_ID + 1, THEIR_NEXT);
    expect(ring.takeMacKeysToReveal().map(hex)).toEqual([v.receivingMacKey]);
    expect(ring.takeMacKeysToReveal()).toEqual([]);
  });

  it('a pairing that never verified a message is forgotten without revealing anything (only used keys are revealed)', () => {
    const { ring, ake } = ringAfterAke(0, EXPONENTS.slice(2));
    const akeSession = held(ring.sending()?.session);
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID + 1, THEIR_NEXT);
    expect(ring.takeMacKeysToReveal()).toEqual([]);
    expect(ake.privateKey.wiped).toBe(true);
    for (const secret of secretsOf(akeSession)) expect(secret.wiped).toBe(true);
  });

  it("forgetting their old key reveals the used receiving MAC keys of both our keys' pairings with it", () => {
    const { ring, ake, theirPublic } = ringAfterAke(0, EXPONENTS.slice(2));
    const ourAkeExponent = Uint8Array.from(ake.privateKey.expose());
    ring.sending();
    held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID)).receivingMacUsed = true;
    held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID + 1)).receivingMacUsed = true;
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, THEIR_NEXT);
    expect(ring.takeMacKeysToReveal()).toEqual([]);
    // their_y[5] becomes their_keyid - 1 ... and is forgotten at the next rotation of theirs.
    rotate(ring, THEIR_AKE_KEY_ID + 1, AKE_KEY_ID, THEIR_AFTER_NEXT);
    expect(ring.takeMacKeysToReveal().map(hex).sort()).toEqual(
      [referenceKeys(ourAkeExponent, theirPublic).receivingMacKey, referenceKeys(EXPONENTS[2] ?? new Uint8Array(), theirPublic).receivingMacKey].sort(),
    );
  });

  it('revealed keys are copies: the forgotten pairing is wiped, the revealed bytes stay', () => {
    const { ring, v } = ringAfterAke(0, EXPONENTS.slice(2));
    const akeSession = held(ring.sending()?.session);
    akeSession.receivingMacUsed = true;
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID + 1, THEIR_NEXT);
    const [revealed] = ring.takeMacKeysToReveal();
    expect(akeSession.keys.receivingMacKey.wiped).toBe(true);
    expect(hex(revealed ?? new Uint8Array())).toBe(v.receivingMacKey);
  });
});

describe('KeyRing.wipe', () => {
  it('wipes every pairing, our private keys and the MAC keys not yet revealed', () => {
    const { ring, ake } = ringAfterAke(0, EXPONENTS.slice(2));
    const sessions = [held(ring.sending()?.session), held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID + 1))];
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, THEIR_NEXT);
    const later = held(ring.sending()?.session);
    held(ring.receiving(THEIR_AKE_KEY_ID, AKE_KEY_ID)).receivingMacUsed = true;
    rotate(ring, THEIR_AKE_KEY_ID + 1, AKE_KEY_ID, THEIR_AFTER_NEXT);
    ring.wipe();
    for (const session of [...sessions, later]) for (const secret of secretsOf(session)) expect(secret.wiped).toBe(true);
    expect(ake.privateKey.wiped).toBe(true);
    // Pending keys were never revealed: they are gone, not handed out.
    expect(ring.takeMacKeysToReveal()).toEqual([]);
  });
});

describe('KeyRing.matchesAke', () => {
  it('an AKE result naming our previous key and one of their kept keys (by value, not by id alone) matches', () => {
    const { ring, ake, theirPublic } = ringAfterAke(0, EXPONENTS.slice(2));
    expect(ring.matchesAke(AKE_KEY_ID, ake.publicKey, THEIR_AKE_KEY_ID, theirPublic)).toBe(true);
    expect(ring.matchesAke(AKE_KEY_ID, ake.publicKey, THEIR_AKE_KEY_ID, THEIR_NEXT)).toBe(false);
    expect(ring.matchesAke(AKE_KEY_ID + 1, ake.publicKey, THEIR_AKE_KEY_ID, theirPublic)).toBe(false);
    expect(ring.matchesAke(AKE_KEY_ID, THEIR_NEXT, THEIR_AKE_KEY_ID, theirPublic)).toBe(false);
    rotate(ring, THEIR_AKE_KEY_ID, AKE_KEY_ID, THEIR_NEXT);
    expect(ring.matchesAke(AKE_KEY_ID, ake.publicKey, THEIR_AKE_KEY_ID, theirPublic)).toBe(true);
    expect(ring.matchesAke(AKE_KEY_ID, ake.publicKey, THEIR_AKE_KEY_ID + 1, THEIR_NEXT)).toBe(true);
    expect(ring.matchesAke(AKE_KEY_ID, ake.publicKey, THEIR_AKE_KEY_ID - 1, theirPublic)).toBe(false);
  });
});
