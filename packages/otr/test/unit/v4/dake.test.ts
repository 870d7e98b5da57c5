/**
 * The interactive DAKE (otrv4.md, "Interactive Deniable Authenticated Key
 * Exchange (DAKE)") between two in-memory parties: complete runs,
 * simultaneous starts, every rejection path, the secrets each transition
 * consumes, and the number of Ed448 scalar multiplications.
 */
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../src/crypto/index.js';
import type { Secret } from '../../../src/crypto/secret.js';
import {
  Ed448KeyPair,
  Ed448Point,
  ed448OperationCounts,
  generateDh3072KeyPair,
  generateEcdhKeyPair,
  resetEd448OperationCounts,
} from '../../../src/crypto/v4/index.js';
import { deriveRatchetKeys, firstRootKey, mixSharedSecret, simultaneousStartHash } from '../../../src/crypto/v4/dake-secrets.js';
import { DecodeError } from '../../../src/errors.js';
import {
  DAKE_START,
  dakeStateSecrets,
  initialRatchetSecrets,
  isExpectedRejection,
  receiveDakeMessage,
  sharedSessionState,
  SIMULTANEOUS_START_AS_OTR4J,
  startDake,
  type DakeContext,
  type DakeMessage,
  type DakeState,
  type DakeTransition,
} from '../../../src/v4/dake/index.js';
import { createClientProfile } from '../../../src/v4/profile/index.js';
import { decodeV4Message, encodeV4Message, type DecodedV4Message } from '../../../src/wire/v4/index.js';

const NOW = 1_700_000_000_000;
const defaultRandom = deterministicRandom('dake tests');
const random = defaultRandom;

interface Party {
  readonly context: DakeContext;
  state: DakeState;
}

function makeParty(name: string, tag: number, theirName: string, versions: '4' | '34' = '4', random = defaultRandom): Party {
  const identityKey = Ed448KeyPair.generate(random);
  const forging = Ed448KeyPair.generate(random);
  const ourProfile = createClientProfile({ ownerInstanceTag: tag, identityKey, forgingKey: forging.publicKey, versions, now: NOW, random });
  return { context: { ourInstanceTag: tag, identityKey, ourProfile, ourContactId: name, theirContactId: theirName, random, now: NOW }, state: DAKE_START };
}

const ALICE_TAG = 0x0000_0101;
const BOB_TAG = 0x0000_0100;

function pair(): { alice: Party; bob: Party } {
  return { alice: makeParty('alice@example.org', ALICE_TAG, 'bob@example.org'), bob: makeParty('bob@example.org', BOB_TAG, 'alice@example.org') };
}

function decode(bytes: Uint8Array | undefined): DakeMessage {
  if (bytes === undefined) throw new Error('nothing sent');
  const message: DecodedV4Message | DecodeError = decodeV4Message(bytes);
  if (message instanceof DecodeError) throw new Error(message.detail);
  if (message.kind === 'data') throw new Error('a data message');
  return message;
}

/** Applies a transition as a session would: install the state, then wipe what was consumed. */
function apply(party: Party, transition: DakeTransition): DakeTransition {
  party.state = transition.state;
  for (const secret of transition.consumed) secret.wipe();
  return transition;
}

function run(): { alice: Party; bob: Party; identity: Uint8Array; authR: Uint8Array; authI: Uint8Array; bobDone: DakeTransition; aliceDone: DakeTransition } {
  const { alice, bob } = pair();
  const identity = apply(bob, startDake(bob.state, bob.context)).send!;
  const authR = apply(alice, receiveDakeMessage(alice.state, decode(identity), alice.context)).send!;
  const bobDone = apply(bob, receiveDakeMessage(bob.state, decode(authR), bob.context));
  const aliceDone = apply(alice, receiveDakeMessage(alice.state, decode(bobDone.send), alice.context));
  return { alice, bob, identity, authR, authI: bobDone.send!, bobDone, aliceDone };
}

const hex = (secret: Secret): string => Buffer.from(secret.expose()).toString('hex');

describe('a complete DAKE between two parties', () => {
  it('Identity -> Auth-R -> Auth-I gives equal SSIDs, root keys and matching first chain keys', () => {
    const { alice, bob, bobDone, aliceDone } = run();
    expect(alice.state.kind).toBe('start');
    expect(bob.state.kind).toBe('start');
    const b = bobDone.established!;
    const a = aliceDone.established!;
    expect(a.ssid).toHaveLength(8);
    expect(Buffer.from(a.ssid)).toEqual(Buffer.from(b.ssid));
    expect(a.sent).toBe('auth-r');
    expect(b.sent).toBe('auth-i');
    expect(a.theirInstanceTag).toBe(BOB_TAG);
    expect(b.theirInstanceTag).toBe(ALICE_TAG);
    expect(a.theirProfile.publicKey.equals(bob.context.identityKey.publicKey)).toBe(true);
    expect(b.theirProfile.publicKey.equals(alice.context.identityKey.publicKey)).toBe(true);
    // Alice sends first with chain_key_s; Bob receives with chain_key_r: the same key.
    expect(a.ratchet.firstChain).toBe('sending');
    expect(b.ratchet.firstChain).toBe('receiving');
    if (a.ratchet.firstChain !== 'sending' || b.ratchet.firstChain !== 'receiving') throw new Error('roles');
    expect(hex(a.ratchet.rootKey)).toBe(hex(b.ratchet.rootKey));
    expect(hex(a.ratchet.sendingChainKey)).toBe(hex(b.ratchet.receivingChainKey));
    expect(hex(a.ratchet.braceKey)).toBe(hex(b.ratchet.braceKey));
    expect(a.ratchet.rootKey.length).toBe(64);
    // Each side's ECDH/DH keys are the other's "their" keys.
    expect(a.ratchet.theirEcdh.equals(b.ratchet.ourEcdh.publicKey)).toBe(true);
    expect(b.ratchet.theirEcdh.equals(a.ratchet.ourEcdh.publicKey)).toBe(true);
    expect(Buffer.from(a.ratchet.theirDh)).toEqual(Buffer.from(b.ratchet.ourDh.publicKey));
    expect(Buffer.from(b.ratchet.theirDh)).toEqual(Buffer.from(a.ratchet.ourDh.publicKey));
    expect([a.ratchet.i, a.ratchet.j, a.ratchet.k, a.ratchet.pn, a.ratchet.maxRemoteISeen]).toEqual([0, 0, 0, 0, -1]);
    // Nothing handed to the ratchet was wiped by the DAKE.
    expect([...initialRatchetSecrets(a.ratchet), ...initialRatchetSecrets(b.ratchet)].every((s) => !s.wiped)).toBe(true);
  });

  it('the handed-over keys are the spec\'s derivation: derive_ratchet_keys(KDF(usage_first_root_key || K), K of the first keys)', () => {
    const { alice, bob } = pair();
    const identity = apply(bob, startDake(bob.state, bob.context)).send;
    const authR = apply(alice, receiveDakeMessage(alice.state, decode(identity), alice.context)).send;
    if (alice.state.kind !== 'waiting-auth-i') throw new Error('state');
    const dakeK = alice.state.k.clone();
    const bobDone = apply(bob, receiveDakeMessage(bob.state, decode(authR), bob.context));
    const a = apply(alice, receiveDakeMessage(alice.state, decode(bobDone.send), alice.context)).established!.ratchet;
    const first = mixSharedSecret(a.ourEcdh.secret, a.theirEcdh, a.ourDh, a.theirDh);
    if ('code' in first) throw new Error(first.code);
    const expected = deriveRatchetKeys(firstRootKey(dakeK), first.k);
    expect(hex(a.rootKey)).toBe(hex(expected.rootKey));
    if (a.firstChain !== 'sending') throw new Error('role');
    expect(hex(a.sendingChainKey)).toBe(hex(expected.chainKey));
    expect(hex(a.braceKey)).toBe(hex(first.braceKey));
    expect(hex(a.rootKey)).not.toBe(hex(a.sendingChainKey));
  });

  it('returns the secrets each transition consumed, and the caller\'s wiping leaves no state secret behind', () => {
    const { alice, bob } = pair();
    const started = startDake(bob.state, bob.context);
    expect(started.consumed).toEqual([]);
    const bobWaiting = started.state;
    apply(bob, started);
    const bobSecrets = dakeStateSecrets(bobWaiting);
    expect(bobSecrets).toHaveLength(4);

    const answered = receiveDakeMessage(alice.state, decode(started.send), alice.context);
    // Alice's x, a and the DAKE brace key go at once; her state keeps K and the first keys.
    expect(answered.consumed).toHaveLength(3);
    expect(answered.consumed.every((s) => !s.wiped)).toBe(true);
    const aliceWaiting = answered.state;
    apply(alice, answered);
    expect(answered.consumed.every((s) => s.wiped)).toBe(true);
    expect(dakeStateSecrets(aliceWaiting).every((s) => !s.wiped)).toBe(true);

    const bobDone = apply(bob, receiveDakeMessage(bob.state, decode(answered.send), bob.context));
    // Bob consumed y and b (his first keys went to the ratchet), the brace key, K, prev_root_key and the first K.
    if (bobWaiting.kind !== 'waiting-auth-r') throw new Error('state');
    expect(bobWaiting.ecdh.secret.wiped && bobWaiting.dh.privateKey.wiped).toBe(true);
    expect(bobWaiting.firstEcdh.secret.wiped || bobWaiting.firstDh.privateKey.wiped).toBe(false);
    expect(bobDone.consumed).toHaveLength(6);

    const aliceDone = apply(alice, receiveDakeMessage(alice.state, decode(bobDone.send), alice.context));
    if (aliceWaiting.kind !== 'waiting-auth-i') throw new Error('state');
    expect(aliceWaiting.k.wiped).toBe(true);
    expect(aliceDone.consumed).toHaveLength(3);
  });

  it('restarting a DAKE consumes the secrets of the one in progress', () => {
    const { bob } = pair();
    const first = apply(bob, startDake(bob.state, bob.context));
    const held = dakeStateSecrets(first.state);
    const second = startDake(bob.state, bob.context);
    expect(second.consumed).toEqual(held);
  });
});

/*
 * Scalar multiplications per DAKE, the minimum the spec's steps need
 * (base = G * s, variable = P * s; the q * P checks of received points are
 * counted apart):
 *
 *   Bob:   Y = G*y, our_ecdh_first = G*s                      2 base
 *          RVrf of the Auth-R: T_i = G*r_i + A_i*c_i, i=1..3  3 base + 3 variable
 *          RSig of the Auth-I: T_i = G*t_i, two G*r_j + A_j*c_j 3 base + 2 variable
 *          K_ecdh = y*X, first ratchet K_ecdh                 2 variable
 *          = 8 base + 7 variable
 *   Alice: X = G*x, our_ecdh_first = G*s                      2 base
 *          RSig of the Auth-R                                 3 base + 2 variable
 *          K_ecdh = x*Y, first ratchet K_ecdh                 2 variable
 *          RVrf of the Auth-I                                 3 base + 3 variable
 *          = 8 base + 7 variable
 *   Both:  16 base + 14 variable = 30 multiplications, and 8 q*P checks: each
 *          side checks the four points it receives (H, F, the ephemeral
 *          ECDH key, our_ecdh_first) as "Verifying that a point is on the
 *          curve" requires. Profile signatures are verified in OpenSSL
 *          (not counted here). Bob's first sending keys are made by the
 *          ratchet (see InitialRatchetState), not in the DAKE.
 */
describe('scalar multiplications per DAKE', () => {
  it('are at most the spec\'s minimum: 16 base, 14 variable, 8 subgroup checks', () => {
    const { alice, bob } = pair();
    resetEd448OperationCounts();
    const identity = apply(bob, startDake(bob.state, bob.context)).send;
    const authR = apply(alice, receiveDakeMessage(alice.state, decode(identity), alice.context)).send;
    const done = apply(bob, receiveDakeMessage(bob.state, decode(authR), bob.context));
    apply(alice, receiveDakeMessage(alice.state, decode(done.send), alice.context));
    const counts = ed448OperationCounts();
    expect(counts.baseMultiplications).toBeLessThanOrEqual(16);
    expect(counts.pointMultiplications).toBeLessThanOrEqual(14);
    expect(counts.baseMultiplications + counts.pointMultiplications).toBeLessThanOrEqual(30);
    expect(counts.subgroupChecks).toBeLessThanOrEqual(8);
    expect(alice.state.kind).toBe('start');
  });
});

describe('simultaneous starts', () => {
  it('the spec\'s rule (SIMULTANEOUS_START_AS_OTR4J false): the higher hashed B resends, the other answers, and the DAKE completes once', () => {
    const { alice, bob } = pair();
    const fromAlice = apply(alice, startDake(alice.state, alice.context)).send!;
    const fromBob = apply(bob, startDake(bob.state, bob.context)).send!;
    const atAlice = apply(alice, receiveDakeMessage(alice.state, decode(fromBob), alice.context, false));
    const atBob = apply(bob, receiveDakeMessage(bob.state, decode(fromAlice), bob.context, false));
    const kinds = [alice.state.kind, bob.state.kind].sort();
    expect(kinds).toEqual(['waiting-auth-i', 'waiting-auth-r']);
    const [winner, winnerOut, loser, loserOut] = alice.state.kind === 'waiting-auth-r' ? [alice, atAlice, bob, atBob] : [bob, atBob, alice, atAlice];
    // The winner resent its own Identity message unchanged and consumed nothing.
    expect(Buffer.from(winnerOut.send!)).toEqual(Buffer.from(winner === alice ? fromAlice : fromBob));
    expect(winnerOut.consumed).toEqual([]);
    expect(decode(loserOut.send).kind).toBe('auth-r');
    // The loser forgot its Identity: nothing of it is kept, and an Auth-R is unexpected in its WAITING_AUTH_I.
    if (loser.state.kind !== 'waiting-auth-i') throw new Error('state');
    expect(loser.state.ownIdentity).toBeUndefined();
    expect(loserOut.consumed).toHaveLength(7);
    // The loser, now in WAITING_AUTH_I, ignores the resent Identity (receiver tag 0 is not its tag): the spec's expected path.
    const resent = receiveDakeMessage(loser.state, decode(winnerOut.send), loser.context, false);
    expect(resent.rejected?.reason).toBe('identity-without-receiver-tag');
    expect(isExpectedRejection(resent.rejected!)).toBe(true);
    // The winner takes the Auth-R and finishes; the loser takes the Auth-I.
    const done = apply(winner, receiveDakeMessage(winner.state, decode(loserOut.send), winner.context, false));
    const last = apply(loser, receiveDakeMessage(loser.state, decode(done.send), loser.context, false));
    expect(Buffer.from(done.established!.ssid)).toEqual(Buffer.from(last.established!.ssid));
  });

  it('otr4j\'s rule is the default (SIMULTANEOUS_START_AS_OTR4J)', () => {
    expect(SIMULTANEOUS_START_AS_OTR4J).toBe(true);
  });

  it('the otr4j rule: the higher hashed B sends nothing, the other answers and keeps its own Identity, and the DAKE completes once', () => {
    const { alice, bob } = pair();
    const fromAlice = apply(alice, startDake(alice.state, alice.context)).send!;
    const fromBob = apply(bob, startDake(bob.state, bob.context)).send!;
    const waiting = { alice: alice.state, bob: bob.state };
    const atAlice = apply(alice, receiveDakeMessage(alice.state, decode(fromBob), alice.context));
    const atBob = apply(bob, receiveDakeMessage(bob.state, decode(fromAlice), bob.context));
    const kinds = [alice.state.kind, bob.state.kind].sort();
    expect(kinds).toEqual(['waiting-auth-i', 'waiting-auth-r']);
    const [winner, winnerOut, loser, loserOut, loserWaiting] =
      alice.state.kind === 'waiting-auth-r' ? [alice, atAlice, bob, atBob, waiting.bob] : [bob, atBob, alice, atAlice, waiting.alice];
    // The winner sends nothing and consumes nothing.
    expect(winnerOut.send).toBeUndefined();
    expect(winnerOut.rejected).toBeUndefined();
    expect(winnerOut.consumed).toEqual([]);
    // The loser answers with an Auth-R and keeps its own Identity's state (nothing of it consumed).
    expect(decode(loserOut.send).kind).toBe('auth-r');
    if (loser.state.kind !== 'waiting-auth-i') throw new Error('state');
    expect(loser.state.ownIdentity).toBe(loserWaiting);
    expect(loserOut.consumed).toHaveLength(3);
    expect(dakeStateSecrets(loserWaiting).every((secret) => !secret.wiped)).toBe(true);
    // The loser's state holds (and a restart or abandon drops) the kept secrets too.
    expect(dakeStateSecrets(loser.state)).toEqual(expect.arrayContaining(dakeStateSecrets(loserWaiting)));
    expect(dakeStateSecrets(loser.state)).toHaveLength(7);
    // The winner takes the Auth-R and finishes; the loser takes the Auth-I and wipes its kept Identity.
    const done = apply(winner, receiveDakeMessage(winner.state, decode(loserOut.send), winner.context));
    const last = apply(loser, receiveDakeMessage(loser.state, decode(done.send), loser.context));
    expect(Buffer.from(done.established!.ssid)).toEqual(Buffer.from(last.established!.ssid));
    expect(last.consumed).toEqual(expect.arrayContaining(dakeStateSecrets(loserWaiting)));
    expect(dakeStateSecrets(loserWaiting).every((secret) => secret.wiped)).toBe(true);
    expect([winner.state.kind, loser.state.kind]).toEqual(['start', 'start']);
  });

  it('a restart while keeping our own Identity consumes the kept secrets', () => {
    const { alice, bob } = pair();
    const fromAlice = apply(alice, startDake(alice.state, alice.context)).send!;
    const fromBob = apply(bob, startDake(bob.state, bob.context)).send!;
    apply(alice, receiveDakeMessage(alice.state, decode(fromBob), alice.context));
    apply(bob, receiveDakeMessage(bob.state, decode(fromAlice), bob.context));
    const loser = bob.state.kind === 'waiting-auth-i' ? bob : alice;
    if (loser.state.kind !== 'waiting-auth-i' || loser.state.ownIdentity === undefined) throw new Error('state');
    const held = dakeStateSecrets(loser.state);
    expect(startDake(loser.state, loser.context).consumed).toEqual(held);
  });

  it('a reflected Identity message (our own B) is ignored', () => {
    const { bob } = pair();
    const sent = apply(bob, startDake(bob.state, bob.context)).send;
    const out = receiveDakeMessage(bob.state, decode(sent), bob.context);
    expect(out.rejected?.reason).toBe('reflected');
    expect(out.state).toBe(bob.state);
  });
});

/**
 * A simultaneous start against an otr4j-style peer: its Identity comes from
 * a master instance (receiver tag 0); our Identity reaches a per-peer
 * instance that answers every Identity with an Auth-R from a fresh START
 * (new keys each time), ignores an Auth-R in WAITING_AUTH_I, and takes the
 * master's state only when an Auth-R arrives while it is in START.
 * Messages go in order each way; the peer sees our Identity before our
 * answer to its own, and we see its Identity before its Auth-R.
 */
function againstOtr4j(seed: string, asOtr4j: boolean): { weWon: boolean; ours?: Uint8Array; theirs?: Uint8Array; rejected: string[] } {
  const seeded = deterministicRandom(seed);
  const us = makeParty('alice@example.org', ALICE_TAG, 'bob@example.org', '4', seeded);
  const master = makeParty('bob@example.org', BOB_TAG, 'alice@example.org', '4', seeded);
  const instance: Party = { context: master.context, state: DAKE_START };
  const toUs: Uint8Array[] = [apply(master, startDake(master.state, master.context)).send!];
  const toPeer: Uint8Array[] = [apply(us, startDake(us.state, us.context)).send!];
  if (us.state.kind !== 'waiting-auth-r' || master.state.kind !== 'waiting-auth-r') throw new Error('state');
  const weWon = compareBytesOf(simultaneousStartHash(us.state.dh.publicKey), simultaneousStartHash(master.state.dh.publicKey)) > 0;
  const rejected: string[] = [];
  let ours: Uint8Array | undefined;
  let theirs: Uint8Array | undefined;
  const peerReceives = (bytes: Uint8Array): void => {
    const message = decode(bytes);
    let out: DakeTransition;
    if (message.kind === 'identity') {
      for (const secret of dakeStateSecrets(instance.state)) secret.wipe();
      out = apply(instance, receiveDakeMessage(DAKE_START, message, instance.context));
    } else if (message.kind === 'auth-r' && instance.state.kind === 'start') {
      out = apply(instance, receiveDakeMessage(master.state, message, instance.context));
    } else {
      out = apply(instance, receiveDakeMessage(instance.state, message, instance.context));
    }
    if (out.rejected !== undefined) rejected.push(`peer:${out.rejected.reason}`);
    if (out.established !== undefined) theirs = out.established.ssid;
    if (out.send !== undefined) toUs.push(out.send);
  };
  const weReceive = (bytes: Uint8Array): void => {
    const out = apply(us, receiveDakeMessage(us.state, decode(bytes), us.context, asOtr4j));
    if (out.rejected !== undefined) rejected.push(`us:${out.rejected.reason}`);
    if (out.established !== undefined) ours = out.established.ssid;
    if (out.send !== undefined) toPeer.push(out.send);
  };
  // The two Identity messages cross; then every message is delivered, in order each way (a bounded number of steps).
  for (let step = 0; step < 10 && (toUs.length > 0 || toPeer.length > 0); step++) {
    const forPeer = toPeer.shift();
    if (forPeer !== undefined) peerReceives(forPeer);
    const forUs = toUs.shift();
    if (forUs !== undefined) weReceive(forUs);
  }
  return { weWon, ...(ours === undefined ? {} : { ours }), ...(theirs === undefined ? {} : { theirs }), rejected };
}

const WE_WIN_SEED = 'simultaneous start 1';
const WE_LOSE_SEED = 'simultaneous start 2';

function compareBytesOf(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

describe('a simultaneous start against an otr4j-style peer (its Identity to receiver tag 0, every Identity answered from START)', () => {
  // Two seeds: with the first we have the higher hashed B, with the second the peer.
  const outcomes: [string, boolean][] = [
    [WE_WIN_SEED, true],
    [WE_LOSE_SEED, false],
  ];
  for (const [seed, weWin] of outcomes) {
    it(`completes with equal SSIDs when we ${weWin ? 'win' : 'lose'} the hash comparison`, () => {
      const result = againstOtr4j(seed, true);
      expect(result.weWon).toBe(weWin);
      expect(result.ours).toBeDefined();
      expect(result.theirs).toBeDefined();
      expect(Buffer.from(result.ours!)).toEqual(Buffer.from(result.theirs!));
    });

    it(`the spec's rule does not complete when we ${weWin ? 'win' : 'lose'} the hash comparison (why the otr4j rule is the default)`, () => {
      const result = againstOtr4j(seed, false);
      expect(result.weWon).toBe(weWin);
      const agreed = result.ours !== undefined && result.theirs !== undefined && Buffer.from(result.ours).equals(Buffer.from(result.theirs));
      expect(agreed).toBe(false);
    });
  }
});

/** A WAITING_AUTH_I that kept Bob's own Identity (he lost a simultaneous start), and an Auth-I for its Auth-R. */
function keptState(alice: Party, bob: Party): { state: DakeState; authI: Uint8Array } {
  for (let attempt = 0; attempt < 32; attempt++) {
    const aliceWaiting = startDake(DAKE_START, alice.context, BOB_TAG);
    const out = receiveDakeMessage(bob.state, decode(aliceWaiting.send), bob.context, true);
    if (out.state.kind === 'waiting-auth-i') {
      const authI = receiveDakeMessage(aliceWaiting.state, decode(out.send), alice.context).send!;
      return { state: out.state, authI };
    }
  }
  throw new Error('Bob never lost the comparison');
}

describe('an Auth-R answering the Identity kept after losing a simultaneous start', () => {
  it('completes as Bob, sends the Auth-I, and consumes the kept keys and every secret of the WAITING_AUTH_I', () => {
    const { alice, bob, authR } = upToWaitingAuthR();
    const ownIdentity = bob.state;
    const kept = keptState(alice, bob);
    if (kept.state.kind !== 'waiting-auth-i' || kept.state.ownIdentity !== ownIdentity) throw new Error('state');
    const held = dakeStateSecrets(kept.state);
    const done = apply(bob, receiveDakeMessage(kept.state, decode(authR), bob.context));
    expect(done.established?.sent).toBe('auth-i');
    expect(decode(done.send).kind).toBe('auth-i');
    expect(done.state.kind).toBe('start');
    // Our Identity's first keys now belong to the ratchet; every other secret of the state is consumed.
    const ratchetOwned = initialRatchetSecrets(done.established!.ratchet);
    expect(held.filter((secret) => !ratchetOwned.includes(secret)).every((secret) => done.consumed.includes(secret))).toBe(true);
    expect(ratchetOwned.every((secret) => !secret.wiped)).toBe(true);
    // Alice completes on the Auth-I with the same SSID.
    const last = apply(alice, receiveDakeMessage(alice.state, decode(done.send), alice.context));
    expect(Buffer.from(last.established!.ssid)).toEqual(Buffer.from(done.established!.ssid));
  });

  it('a tampered one is ignored and leaves the WAITING_AUTH_I and its kept keys as they were', () => {
    const { alice, bob, authR } = upToWaitingAuthR();
    const kept = keptState(alice, bob);
    const tampered = edited(authR, (m) => {
      if (m.kind !== 'auth-r') return m;
      const c1 = Uint8Array.from(m.body.sigma.c1);
      c1[0] = (c1[0] ?? 0) ^ 1;
      return { ...m, body: { ...m.body, sigma: { ...m.body.sigma, c1 } } };
    });
    const out = receiveDakeMessage(kept.state, tampered, bob.context);
    expect(out.rejected?.reason).toBe('bad-ring-signature');
    expect(out.state).toBe(kept.state);
    expect(out.consumed).toEqual([]);
  });
});

describe('a new Identity message while waiting for the Auth-I', () => {
  it('addressed to us: forgets the first one and answers with a new Auth-R', () => {
    const { alice, bob } = pair();
    apply(bob, startDake(bob.state, bob.context));
    const first = startDake(DAKE_START, bob.context);
    apply(alice, receiveDakeMessage(alice.state, decode(first.send), alice.context));
    const old = alice.state;
    const again = startDake(DAKE_START, bob.context, ALICE_TAG);
    const out = receiveDakeMessage(alice.state, decode(again.send), alice.context);
    expect(out.state.kind).toBe('waiting-auth-i');
    expect(out.consumed).toEqual(expect.arrayContaining(dakeStateSecrets(old)));
    expect(decode(out.send).kind).toBe('auth-r');
  });
});

/** A run up to each state, for the rejection tests. */
function upToWaitingAuthR(): { alice: Party; bob: Party; identity: Uint8Array; authR: Uint8Array } {
  const { alice, bob } = pair();
  const identity = apply(bob, startDake(bob.state, bob.context)).send!;
  const authR = apply(alice, receiveDakeMessage(alice.state, decode(identity), alice.context)).send!;
  return { alice, bob, identity, authR };
}

/** Re-encodes a decoded message after `change` (a hostile peer's edit). */
function edited(bytes: Uint8Array, change: (message: DakeMessage) => DakeMessage): DakeMessage {
  const message = change(decode(bytes));
  return decode(encodeV4Message(message, { kind: message.kind, body: message.body } as Parameters<typeof encodeV4Message>[1]));
}

const OFF_CURVE = (() => {
  const bytes = new Uint8Array(57);
  bytes[0] = 2; // y = 2: no x exists.
  return bytes;
})();
const IDENTITY_POINT = Ed448Point.IDENTITY.encode();
const ORDER_TWO = (() => {
  const bytes = new Uint8Array(57);
  let rest = (1n << 448n) - (1n << 224n) - 2n; // (0, -1), of order 2
  for (let i = 0; i < 56; i++, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
  return bytes;
})();
const DH_PRIME = (() => {
  const p = generateDh3072KeyPair(deterministicRandom('p')).publicKey.length; // 384
  return new Uint8Array(p).fill(0xff); // > dh_p - 2: out of range
})();

describe('rejections of an Identity message', () => {
  const cases: [string, (m: DakeMessage) => DakeMessage, string][] = [
    ['Y not on the curve', (m) => ({ ...m, body: { ...m.body, ecdh: OFF_CURVE } }) as DakeMessage, 'bad-ecdh-key'],
    ['Y the identity', (m) => ({ ...m, body: { ...m.body, ecdh: IDENTITY_POINT } }) as DakeMessage, 'bad-ecdh-key'],
    ['Y of small order', (m) => ({ ...m, body: { ...m.body, ecdh: ORDER_TWO } }) as DakeMessage, 'bad-ecdh-key'],
    ['our_ecdh_first not on the curve', (m) => ({ ...m, body: { ...m.body, firstEcdh: OFF_CURVE } }) as DakeMessage, 'bad-ecdh-key'],
    ['B out of range (1)', (m) => ({ ...m, body: { ...m.body, dh: Uint8Array.of(1) } }) as DakeMessage, 'bad-dh-key'],
    ['B out of range (>= dh_p - 1)', (m) => ({ ...m, body: { ...m.body, dh: DH_PRIME } }) as DakeMessage, 'bad-dh-key'],
    ['our_dh_first out of range', (m) => ({ ...m, body: { ...m.body, firstDh: Uint8Array.of(0) } }) as DakeMessage, 'bad-dh-key'],
    ['a profile of another instance than the sender', (m) => ({ ...m, senderTag: m.senderTag + 1 }), 'bad-profile'],
    ['addressed to another instance', (m) => ({ ...m, receiverTag: 0x9999 }), 'wrong-receiver-tag'],
  ];
  for (const [name, change, reason] of cases) {
    it(`ignores ${name} (${reason}) and stays in START`, () => {
      const { alice, bob } = pair();
      const identity = apply(bob, startDake(bob.state, bob.context)).send!;
      const out = receiveDakeMessage(alice.state, edited(identity, change), alice.context);
      expect(out.rejected?.reason).toBe(reason);
      expect(out.state).toBe(alice.state);
      expect(out.send).toBeUndefined();
      expect(out.consumed).toEqual([]);
    });
  }

  it('ignores an expired profile', () => {
    const { alice, bob } = pair();
    const identity = apply(bob, startDake(bob.state, bob.context)).send!;
    const late = { ...alice.context, now: bob.context.ourProfile.expiresAt };
    const out = receiveDakeMessage(alice.state, decode(identity), late);
    expect(out.rejected?.reason).toBe('bad-profile');
    expect(out.rejected?.detail).toBe('expired');
  });

  it('refuses a forging key equal to our identity key (the Auth-R ring would repeat a key) without throwing', () => {
    const { alice, bob } = pair();
    // Bob's profile claims Alice's H as his forging key.
    const forged = createClientProfile({
      ownerInstanceTag: BOB_TAG,
      identityKey: bob.context.identityKey,
      forgingKey: alice.context.identityKey.publicKey,
      versions: '4',
      now: NOW,
      random,
    });
    const context = { ...bob.context, ourProfile: forged };
    const identity = startDake(DAKE_START, context).send;
    const out = receiveDakeMessage(alice.state, decode(identity), alice.context);
    expect(out.rejected?.reason).toBe('degenerate-ring');
  });
});

describe('rejections of an Auth-R message', () => {
  it('ignores a tampered ring signature (each of the six scalars) and stays in WAITING_AUTH_R', () => {
    const { bob, authR } = upToWaitingAuthR();
    for (const field of ['c1', 'r1', 'c2', 'r2', 'c3', 'r3'] as const) {
      const out = receiveDakeMessage(
        bob.state,
        edited(authR, (m) => {
          if (m.kind !== 'auth-r') throw new Error('kind');
          const scalar = Uint8Array.from(m.body.sigma[field]);
          scalar[0]! ^= 1;
          return { ...m, body: { ...m.body, sigma: { ...m.body.sigma, [field]: scalar } } };
        }),
        bob.context,
      );
      expect(out.rejected?.reason).toBe('bad-ring-signature');
      expect(out.state).toBe(bob.state);
    }
  });

  it('ignores a ring signature scalar >= q', () => {
    const { bob, authR } = upToWaitingAuthR();
    const out = receiveDakeMessage(
      bob.state,
      edited(authR, (m) => (m.kind === 'auth-r' ? { ...m, body: { ...m.body, sigma: { ...m.body.sigma, r2: new Uint8Array(57).fill(0xff) } } } : m)),
      bob.context,
    );
    expect(out.rejected?.reason).toBe('bad-ring-signature');
    expect(out.rejected?.detail).toBe('scalar-out-of-range');
  });

  const cases: [string, (m: DakeMessage) => DakeMessage, string][] = [
    ['X not on the curve', (m) => ({ ...m, body: { ...m.body, ecdh: OFF_CURVE } }) as DakeMessage, 'bad-ecdh-key'],
    ['X the identity', (m) => ({ ...m, body: { ...m.body, ecdh: IDENTITY_POINT } }) as DakeMessage, 'bad-ecdh-key'],
    ['our_ecdh_first of small order', (m) => ({ ...m, body: { ...m.body, firstEcdh: ORDER_TWO } }) as DakeMessage, 'bad-ecdh-key'],
    ['A out of range', (m) => ({ ...m, body: { ...m.body, dh: DH_PRIME } }) as DakeMessage, 'bad-dh-key'],
    ['our_dh_first out of range', (m) => ({ ...m, body: { ...m.body, firstDh: Uint8Array.of(1) } }) as DakeMessage, 'bad-dh-key'],
    ['a receiver tag that is not ours', (m) => ({ ...m, receiverTag: 0 }), 'wrong-receiver-tag'],
    ['a profile of another instance', (m) => ({ ...m, senderTag: 0x4242 }), 'bad-profile'],
    ['a different valid X (the signature no longer matches)', (m) => ({ ...m, body: { ...m.body, ecdh: generateEcdhKeyPair(random).publicKey.encode() } }) as DakeMessage, 'bad-ring-signature'],
    ['a different valid A', (m) => ({ ...m, body: { ...m.body, dh: generateDh3072KeyPair(random).publicKey } }) as DakeMessage, 'bad-ring-signature'],
    ['a different valid our_ecdh_first (phi changes)', (m) => ({ ...m, body: { ...m.body, firstEcdh: generateEcdhKeyPair(random).publicKey.encode() } }) as DakeMessage, 'bad-ring-signature'],
  ];
  for (const [name, change, reason] of cases) {
    it(`ignores ${name} (${reason})`, () => {
      const { bob, authR } = upToWaitingAuthR();
      const out = receiveDakeMessage(bob.state, edited(authR, change), bob.context);
      expect(out.rejected?.reason).toBe(reason);
      expect(out.state).toBe(bob.state);
      expect(out.consumed).toEqual([]);
    });
  }

  it('ignores an Auth-R whose signer used another contact id in phi (wrong profile or peer)', () => {
    const { bob, authR } = upToWaitingAuthR();
    const confused = { ...bob.context, theirContactId: 'mallory@example.org' };
    expect(receiveDakeMessage(bob.state, decode(authR), confused).rejected?.reason).toBe('bad-ring-signature');
  });

  it('ignores an Auth-R made for another Identity message (a replay from an earlier DAKE)', () => {
    const { bob, authR } = upToWaitingAuthR();
    apply(bob, startDake(bob.state, bob.context, ALICE_TAG));
    expect(receiveDakeMessage(bob.state, decode(authR), bob.context).rejected?.reason).toBe('bad-ring-signature');
  });

  it('an Auth-R is bound to the profile it carries: another signer\'s signature under Alice\'s profile is refused', () => {
    const { bob, identity } = upToWaitingAuthR();
    const mallory = makeParty('alice@example.org', ALICE_TAG, 'bob@example.org');
    const authR = receiveDakeMessage(DAKE_START, decode(identity), mallory.context).send!;
    // Mallory's Auth-R is genuine for Mallory: Bob accepts it as Mallory's (the profile names her key).
    const out = receiveDakeMessage(bob.state, decode(authR), bob.context);
    expect(out.established?.theirProfile.publicKey.equals(mallory.context.identityKey.publicKey)).toBe(true);
    // Mallory's signature under Alice's profile (her H in the ring) does not verify.
    const aliceProfile = decode(upToWaitingAuthR().authR);
    if (aliceProfile.kind !== 'auth-r') throw new Error('kind');
    const spliced = edited(authR, (m) => (m.kind === 'auth-r' ? { ...m, body: { ...m.body, profile: aliceProfile.body.profile } } : m));
    expect(receiveDakeMessage(bob.state, spliced, bob.context).rejected?.reason).toBe('bad-ring-signature');
  });
});

describe('rejections of an Auth-I message', () => {
  function upToWaitingAuthI(): { alice: Party; authI: Uint8Array } {
    const { alice, bob, authR } = upToWaitingAuthR();
    const authI = receiveDakeMessage(bob.state, decode(authR), bob.context).send!;
    return { alice, authI };
  }

  it('ignores a tampered ring signature and stays in WAITING_AUTH_I', () => {
    const { alice, authI } = upToWaitingAuthI();
    const out = receiveDakeMessage(
      alice.state,
      edited(authI, (m) => {
        if (m.kind !== 'auth-i') throw new Error('kind');
        const c3 = Uint8Array.from(m.body.sigma.c3);
        c3[3]! ^= 0x10;
        return { ...m, body: { sigma: { ...m.body.sigma, c3 } } };
      }),
      alice.context,
    );
    expect(out.rejected?.reason).toBe('bad-ring-signature');
    expect(out.state).toBe(alice.state);
  });

  it('ignores an Auth-I to another receiver tag or from another sender tag', () => {
    const { alice, authI } = upToWaitingAuthI();
    expect(receiveDakeMessage(alice.state, edited(authI, (m) => ({ ...m, receiverTag: 0x7777 })), alice.context).rejected?.reason).toBe('wrong-receiver-tag');
    expect(receiveDakeMessage(alice.state, edited(authI, (m) => ({ ...m, senderTag: 0x7777 })), alice.context).rejected?.reason).toBe('wrong-sender-tag');
  });

  it('ignores an Auth-I of another DAKE', () => {
    const { alice } = upToWaitingAuthI();
    const other = upToWaitingAuthI();
    expect(receiveDakeMessage(alice.state, decode(other.authI), alice.context).rejected?.reason).toBe('bad-ring-signature');
  });
});

describe('unexpected and replayed messages in each state', () => {
  it('START ignores Auth-R and Auth-I; WAITING_AUTH_R ignores Auth-I; WAITING_AUTH_I ignores Auth-R', () => {
    const { alice, bob, authR, authI } = run();
    // Both are back in START: replays of the Auth-R and Auth-I are unexpected.
    expect(receiveDakeMessage(bob.state, decode(authR), bob.context).rejected?.reason).toBe('unexpected-message');
    expect(receiveDakeMessage(alice.state, decode(authI), alice.context).rejected?.reason).toBe('unexpected-message');
    const waitingR = startDake(DAKE_START, bob.context).state;
    expect(receiveDakeMessage(waitingR, decode(authI), bob.context).rejected?.reason).toBe('unexpected-message');
    const fresh = upToWaitingAuthR();
    expect(receiveDakeMessage(fresh.alice.state, decode(fresh.authR), fresh.alice.context).rejected?.reason).toBe('unexpected-message');
  });

  it('a replayed Identity in START gets a fresh Auth-R that the original sender cannot complete', () => {
    const { alice, identity } = run();
    const out = receiveDakeMessage(alice.state, decode(identity), alice.context);
    expect(out.state.kind).toBe('waiting-auth-i');
    // Bob is in START: the Auth-R is unexpected for him.
    const { bob } = run();
    expect(receiveDakeMessage(bob.state, decode(out.send), bob.context).rejected?.reason).toBe('unexpected-message');
  });
});

describe('the shared session state (phi) compatibility point', () => {
  const partyA = { instanceTag: 0x200, firstEcdh: new Uint8Array(57).fill(1), firstDh: Uint8Array.of(5), contactId: 'zed' };
  const partyB = { instanceTag: 0x100, firstEcdh: new Uint8Array(57).fill(2), firstDh: Uint8Array.of(6), contactId: 'amy' };

  it('sender-receiver order (otr4j): the sender first, contact ids as given', () => {
    const phi = sharedSessionState(partyA, partyB, 'sender-receiver');
    expect(Buffer.from(phi.subarray(0, 8)).toString('hex')).toBe('0000020000000100');
    expect(Buffer.from(phi.subarray(phi.length - 14)).toString()).toContain('zed');
    expect(sharedSessionState(partyB, partyA, 'sender-receiver')).not.toEqual(phi);
  });

  it('sorted order (spec text): the same bytes whoever sends', () => {
    const phi = sharedSessionState(partyA, partyB, 'sorted');
    expect(Buffer.from(phi.subarray(0, 8)).toString('hex')).toBe('0000010000000200');
    expect(sharedSessionState(partyB, partyA, 'sorted')).toEqual(phi);
  });
});

describe('the rules table, state x message', () => {
  for (const asOtr4j of [true, false]) {
    it(`walks every cell: what each state does with an Identity, an Auth-R and an Auth-I (SIMULTANEOUS_START_AS_OTR4J ${String(asOtr4j)})`, () => {
      // Messages of one consistent run, fed to fresh copies of each state.
      const { alice, bob, authR } = upToWaitingAuthR();
      const authI = receiveDakeMessage(bob.state, decode(authR), bob.context).send!;
      const addressedIdentity = startDake(DAKE_START, bob.context, ALICE_TAG).send!;
      const kept = keptState(alice, bob);
      type Row = 'start' | 'waiting-auth-r' | 'waiting-auth-i' | 'waiting-auth-i, own Identity kept';
      const states: Record<Row, [DakeState, DakeContext]> = {
        start: [DAKE_START, alice.context],
        'waiting-auth-r': [bob.state, bob.context],
        'waiting-auth-i': [alice.state, alice.context],
        'waiting-auth-i, own Identity kept': [kept.state, bob.context],
      };
      const outcome = (t: DakeTransition): string =>
        t.established !== undefined
          ? 'established'
          : t.rejected !== undefined
            ? `ignored:${t.rejected.reason}`
            : `${t.state.kind}+${t.send === undefined ? 'nothing' : decode(t.send).kind}`;
      const table: Record<Row, Record<'identity' | 'auth-r' | 'auth-i', string>> = {
        start: { identity: 'waiting-auth-i+auth-r', 'auth-r': 'ignored:unexpected-message', 'auth-i': 'ignored:unexpected-message' },
        // Bob's own state: an Identity from Bob's peer instance decides by the hashed B (either cell is legal), the Auth-R completes.
        'waiting-auth-r': { identity: 'either', 'auth-r': 'established', 'auth-i': 'ignored:unexpected-message' },
        'waiting-auth-i': { identity: 'waiting-auth-i+auth-r', 'auth-r': 'ignored:unexpected-message', 'auth-i': 'established' },
        // Only the otr4j rule makes this state; an Auth-R answering the kept Identity completes it as the Auth-I of its Auth-R does.
        'waiting-auth-i, own Identity kept': { identity: 'waiting-auth-i+auth-r', 'auth-r': 'established', 'auth-i': 'established' },
      };
      const either = asOtr4j ? ['waiting-auth-i+auth-r', 'waiting-auth-r+nothing'] : ['waiting-auth-i+auth-r', 'waiting-auth-r+identity'];
      const messages = { identity: addressedIdentity, 'auth-r': authR, 'auth-i': authI };
      for (const [kind, [state, context]] of Object.entries(states) as [Row, [DakeState, DakeContext]][]) {
        if (!asOtr4j && kind === 'waiting-auth-i, own Identity kept') continue;
        for (const [messageKind, bytes] of Object.entries(messages) as ['identity' | 'auth-r' | 'auth-i', Uint8Array][]) {
          const expected = table[kind][messageKind];
          let message = decode(bytes);
          // Bob's state receives an Identity from Alice (not his own, which would be 'reflected').
          if (kind === 'waiting-auth-r' && messageKind === 'identity') message = decode(startDake(DAKE_START, alice.context, BOB_TAG).send);
          if (kind === 'waiting-auth-i, own Identity kept' && messageKind === 'identity') message = decode(startDake(DAKE_START, alice.context, BOB_TAG).send);
          if (kind === 'waiting-auth-i, own Identity kept' && messageKind === 'auth-i') message = decode(kept.authI);
          const got = outcome(receiveDakeMessage(state, message, context, asOtr4j));
          if (expected === 'either') expect(either).toContain(got);
          else expect(`${kind} x ${messageKind}: ${got}`).toBe(`${kind} x ${messageKind}: ${expected}`);
        }
      }
    });
  }
});
