/**
 * Two SMP state machines talking directly, for the SMP tests: each party
 * keeps its state, the events it reported and the data messages (TLV lists)
 * it sent; `deliver` hands the other side every TLV in order.
 */
import { deterministicRandom } from '../../../src/crypto/random.js';
import { SMP_IDLE, smpAbort, smpAnswer, smpReceive, smpStart, type SmpContext, type SmpEvent, type SmpState, type SmpStep } from '../../../src/v3/smp.js';
import { TLV_SMP1, TLV_SMP1Q, TLV_SMP2, TLV_SMP3, TLV_SMP4, type Tlv } from '../../../src/wire/tlv.js';

/** UTF-8 bytes of a text, as the session layer encodes secrets. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** Alice's and Bob's fingerprints. */
export const fpA = new Uint8Array(20).fill(0xa1);
export const fpB = new Uint8Array(20).fill(0xb2);
const ssid = Uint8Array.from([8, 7, 6, 5, 4, 3, 2, 1]);

/** One side: its SMP state, the events it reported, the data messages it sent. */
export interface Party {
  state: SmpState;
  readonly context: SmpContext;
  readonly events: SmpEvent[];
  readonly outbox: Tlv[][];
}

/** A party in idle with its own deterministic random source. */
export function party(name: string, ours: Uint8Array, theirs: Uint8Array): Party {
  return { state: SMP_IDLE, context: { ourFingerprint: ours, theirFingerprint: theirs, ssid, random: deterministicRandom(name) }, events: [], outbox: [] };
}

/** Alice and Bob, with random sources named after `seed`. */
export function pair(seed = 'pair') {
  return { alice: party(`${seed} alice`, fpA, fpB), bob: party(`${seed} bob`, fpB, fpA) };
}

/** Installs a step's next state, wipes what it consumed (as the secure channel's caller does) and records what it sent and reported. */
export function apply(p: Party, step: SmpStep): SmpStep {
  p.state = step.next;
  for (const secret of step.consumed) secret.wipe();
  if (step.send.length > 0) p.outbox.push(step.send);
  p.events.push(...step.events);
  return step;
}

/** User actions: start (optionally with a question), answer, abort. */
export const start = (p: Party, secret: string, question?: string) => apply(p, smpStart(p.state, utf8(secret), question, p.context));
export const answer = (p: Party, secret: string) => apply(p, smpAnswer(p.state, utf8(secret), p.context));
export const abort = (p: Party) => apply(p, smpAbort(p.state));

/** Hands `to` every TLV `from` sent (oldest data message first, TLVs in order). */
export function deliver(from: Party, to: Party): void {
  const messages = from.outbox.splice(0);
  for (const tlvs of messages) for (const tlv of tlvs) receive(to, tlv);
}

/** Hands one TLV to `p`; every SMP TLV must be handled. */
export function receive(p: Party, tlv: Tlv): SmpStep {
  const step = smpReceive(p.state, tlv, p.context);
  if (step === undefined) throw new Error(`TLV ${tlv.type} not handled`);
  return apply(p, step);
}

/** The TLV types of a data message, and of everything `p` sent. */
export const types = (tlvs: readonly Tlv[]): number[] => tlvs.map((tlv) => tlv.type);
export const sent = (p: Party): number[][] => p.outbox.map(types);

/** Runs a whole SMP; `until` stops after that many deliveries (1: Bob has message 1, ... 4: Alice has message 4). */
export function runTo(until: 0 | 1 | 2 | 3 | 4, secrets: [string, string] = ['s', 's'], seed = 'pair') {
  const { alice, bob } = pair(seed);
  start(alice, secrets[0]);
  if (until >= 1) {
    deliver(alice, bob);
    answer(bob, secrets[1]);
  }
  if (until >= 2) deliver(bob, alice);
  if (until >= 3) deliver(alice, bob);
  if (until >= 4) deliver(bob, alice);
  return { alice, bob };
}

/** A party in the given state. */
export function partyIn(kind: SmpState['kind']): Party {
  const { alice, bob } = runTo(kind === 'expect4' ? 2 : kind === 'idle' ? 0 : 1, ['s', 's'], `state ${kind}`);
  if (kind === 'idle') return bob;
  if (kind === 'awaiting-answer') {
    const fresh = pair(`state ${kind}`);
    start(fresh.alice, 's');
    deliver(fresh.alice, fresh.bob);
    return fresh.bob;
  }
  return kind === 'expect3' ? bob : alice;
}

/** A real TLV of each SMP type (2 to 5, and 7 with question "q?"), from a run of their own. */
export function sampleTlvs(): Record<number, Tlv> {
  const { alice, bob } = pair('samples');
  const out: Record<number, Tlv> = {};
  const take = (p: Party): Tlv => {
    const tlv = p.outbox.at(-1)?.at(-1);
    if (tlv === undefined) throw new Error('nothing sent');
    return tlv;
  };
  start(alice, 's', 'q?');
  out[TLV_SMP1Q] = take(alice);
  out[TLV_SMP1] = { type: TLV_SMP1, value: out[TLV_SMP1Q].value.subarray(3) };
  deliver(alice, bob);
  answer(bob, 's');
  out[TLV_SMP2] = take(bob);
  deliver(bob, alice);
  out[TLV_SMP3] = take(alice);
  deliver(alice, bob);
  out[TLV_SMP4] = take(bob);
  return out;
}
