/** Two in-memory parties of the OTRv4 double ratchet, started from one shared initial state built with the spec's formulas. */
import { expect } from 'vitest';
import { deterministicRandom, type RandomSource } from '../../../src/crypto/random.js';
import { Secret } from '../../../src/crypto/secret.js';
import { generateDh3072KeyPair, type Dh3072KeyPair } from '../../../src/crypto/v4/dh3072.js';
import { generateEcdhKeyPair, type EcdhKeyPair } from '../../../src/crypto/v4/ed448.js';
import {
  initializeRatchet,
  openDataMessage,
  sealDataMessage,
  type InitialRatchetState,
  type OpenResult,
  type RatchetState,
  type SealResult,
} from '../../../src/v4/ratchet/index.js';
import { deriveInitialRatchetState } from '../../../src/v4/dake/index.js';
import type { Tlv } from '../../../src/wire/tlv.js';
import { decodeV4DataMessage, encodeV4DataMessage, type V4DataMessage } from '../../../src/wire/v4/data-message.js';
import type { V4Route } from '../../../src/wire/v4/header.js';

export const ALICE_TAG = 0x100;
export const BOB_TAG = 0x101;

export interface Party {
  readonly name: 'alice' | 'bob';
  readonly state: RatchetState;
  readonly random: RandomSource;
  readonly route: V4Route;
  readonly peerRoute: V4Route;
  /** Every secret the steps handed back, wiped as the caller must. */
  readonly wiped: Secret[];
}

/** The DAKE's hand-over, as both sides hold it. */
export interface Handover {
  readonly k: Uint8Array;
  readonly aliceEcdh: EcdhKeyPair;
  readonly aliceDh: Dh3072KeyPair;
  readonly bobEcdh: EcdhKeyPair;
  readonly bobDh: Dh3072KeyPair;
}

export function makeHandover(seed: string): Handover {
  const random = deterministicRandom(`${seed}/dake`);
  return {
    k: random(64),
    aliceEcdh: generateEcdhKeyPair(random),
    aliceDh: generateDh3072KeyPair(random),
    bobEcdh: generateEcdhKeyPair(random),
    bobDh: generateDh3072KeyPair(random),
  };
}

/** Alice received Auth-I (she sends on the first chain); Bob sent it (he reads it). */
export function makePair(seed: string, handover = makeHandover(seed)): { alice: Party; bob: Party } {
  const copyDh = (pair: Dh3072KeyPair): Dh3072KeyPair => ({ publicKey: pair.publicKey, privateKey: pair.privateKey.clone() });
  const copyEcdh = (pair: EcdhKeyPair): EcdhKeyPair => ({ publicKey: pair.publicKey, secret: pair.secret.clone() });
  // The DAKE's hand-over (its first ratchet step from K and the first keys), as each side builds it.
  const handed = (purpose: 'sending' | 'receiving', ours: [EcdhKeyPair, Dh3072KeyPair], theirs: [EcdhKeyPair, Dh3072KeyPair]): InitialRatchetState => {
    const k = new Secret(Uint8Array.from(handover.k));
    const used: Secret[] = [k];
    const init = deriveInitialRatchetState(purpose, k, copyEcdh(ours[0]), copyDh(ours[1]), theirs[0].publicKey, theirs[1].publicKey, used);
    for (const secret of used) secret.wipe();
    if (!('firstChain' in init)) throw new Error('initialisation refused');
    return init;
  };
  const alice = initializeRatchet(handed('sending', [handover.aliceEcdh, handover.aliceDh], [handover.bobEcdh, handover.bobDh]));
  const bob = initializeRatchet(handed('receiving', [handover.bobEcdh, handover.bobDh], [handover.aliceEcdh, handover.aliceDh]));
  for (const secret of [...alice.consumed, ...bob.consumed]) secret.wipe();
  const aliceRoute = { senderTag: ALICE_TAG, receiverTag: BOB_TAG };
  const bobRoute = { senderTag: BOB_TAG, receiverTag: ALICE_TAG };
  return {
    alice: { name: 'alice', state: alice.state, random: deterministicRandom(`${seed}/alice`), route: aliceRoute, peerRoute: bobRoute, wiped: [] },
    bob: { name: 'bob', state: bob.state, random: deterministicRandom(`${seed}/bob`), route: bobRoute, peerRoute: aliceRoute, wiped: [] },
  };
}

/** A sent message as the network carries it (encoded and decoded by wire/v4). */
export interface Sent {
  readonly from: Party;
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly message: V4DataMessage;
}

export function decode(bytes: Uint8Array): V4DataMessage {
  const message = decodeV4DataMessage(bytes);
  if (message instanceof Error || 'code' in message) throw new Error('decode failed');
  return message;
}

export function sealRaw(from: Party, text: string, tlvs: readonly Tlv[] = [], wantExtraKey = false): SealResult {
  return sealDataMessage(from.state, { route: from.route, message: new TextEncoder().encode(text), tlvs, flags: 0, wantExtraKey }, from.random);
}

export function send(from: Party, text: string, tlvs: readonly Tlv[] = []): Sent {
  const sealed = sealRaw(from, text, tlvs);
  if (!sealed.ok) throw new Error(`seal refused: ${sealed.refused}`);
  for (const secret of sealed.consumed) secret.wipe();
  from.wiped.push(...sealed.consumed);
  const bytes = encodeV4DataMessage(sealed.body);
  return { from, text, bytes, message: decode(bytes) };
}

export function openRaw(to: Party, message: V4DataMessage): OpenResult {
  return openDataMessage(to.state, { route: to.peerRoute, message });
}

/** Delivers a message and expects it to be read with its text. */
export function deliver(to: Party, sent: Sent): OpenResult & { ok: true } {
  const opened = openRaw(to, sent.message);
  if (!opened.ok) throw new Error(`open refused: ${opened.refused}`);
  expect(new TextDecoder().decode(opened.payload.message)).toBe(sent.text);
  for (const secret of opened.consumed) secret.wipe();
  to.wiped.push(...opened.consumed);
  return opened;
}

/** Delivers a message and expects a refusal; the consumed provisional secrets are wiped. */
export function refused(to: Party, message: V4DataMessage): string {
  const opened = openRaw(to, message);
  for (const secret of opened.consumed) secret.wipe();
  if (opened.ok) throw new Error('a message that should be refused was read');
  return opened.refused;
}

/** A copy of a received message with some fields changed (the network as adversary). */
export function tamper(message: V4DataMessage, change: Partial<V4DataMessage>): V4DataMessage {
  return { ...message, ...change };
}

/** The public progress of a state, to check that a refusal changed nothing. */
export function progress(state: RatchetState): unknown {
  return {
    i: state.nextRatchetId,
    next: state.nextRotation,
    pn: state.previousChainLength,
    sending: state.sending && { id: state.sending.ratchetId, j: state.sending.nextMessageId, wiped: state.sending.chainKey.wiped },
    receiving: state.receiving && { id: state.receiving.ratchetId, k: state.receiving.nextMessageId, wiped: state.receiving.chainKey.wiped },
    skipped: state.skipped.positions(),
    reveal: state.macKeysToReveal.length,
    root: state.rootKey.wiped,
    ourEcdh: state.ourEcdhSecret?.wiped,
  };
}
