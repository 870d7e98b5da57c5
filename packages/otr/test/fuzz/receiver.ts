/**
 * The long-lived receiver fuzz target: one account, kept for the whole run,
 * receives texts from a few peers: texts of the seed corpus with mutations,
 * clock advances, and "carriers", large texts whose end is the next
 * fragment of a peer's stream (the shape of a hostile relay frame: a
 * megabyte of anything, then `?OTR|...,k,65535,<piece>,`). Carriers come
 * from peers of their own, so that the corpus's unfragmented texts do not
 * keep restarting their streams (the conversation target mixes the two).
 *
 * Because the account outlives the cases, whatever the library keeps from a
 * received text accumulates across the run, and the engine's heap measure
 * (after a collection, with the account alive) sees it. The honest
 * retention is small by construction: each stream's pieces are 16
 * characters and a stream starts over after {@link MAX_PIECES_PER_STREAM}
 * pieces, so the bound is far below what carriers pinned whole would take.
 *
 * Invariants: no exception escapes `receive` or `onDeadline`, no `internal`
 * protocol-error, and a carrier's fragment is accepted (pending), never
 * dropped for a limit.
 */
import fc from 'fast-check';
import { Account, Policies, type Outcome } from '../../src/index.js';
import { testKey } from '../pair/harness.js';
import { loadCorpus } from './corpus.js';
import { FuzzFailure, type Stats, type Target } from './engine.js';
import { mutateText, mutationsArb, type Mutation } from './mutate.js';

/** One received text, or a clock advance. */
export type ReceiverInput =
  | { readonly k: 'carrier'; readonly peer: number; readonly tag: number; readonly size: number }
  | { readonly k: 'corpus'; readonly peer: number; readonly seed: number; readonly mutations: readonly Mutation[] }
  | { readonly k: 'advance'; readonly ms: number };

/** A case: a few inputs for the long-lived account. */
export interface ReceiverCase {
  readonly inputs: readonly ReceiverInput[];
}

const PEERS = 6;
const TAGS = [0x100, 0x1234, 0xabcdef, 0xffffffff] as const;
/** A stream starts over (k = 1) after this many pieces, which bounds what the account honestly holds. */
const MAX_PIECES_PER_STREAM = 200;
/** Carriers are this large at most: enough that pinning a few dozen of them exceeds the bound. */
const MAX_CARRIER_CHARS = 512 * 1024;
/**
 * Growth allowed over the run: the honest streams (at most 24 of 200 pieces
 * of 16 bytes, in buffers of twice that) and the instances and AKE state of
 * six peers come to well under 1 MiB; a few carriers pinned whole exceed it.
 */
const HEAP_BOUND = 4 * 1024 * 1024;
const OUR_TAG = 0x5050;
/** Reassembly drops that mean a limit was hit; the honest streams of this target never hit one. */
const LIMIT_DROPS = new Set(['fragment-too-large', 'message-too-large', 'account-limit']);

const inputArb: fc.Arbitrary<ReceiverInput> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('carrier' as const), peer: fc.nat(PEERS - 1), tag: fc.nat(TAGS.length - 1), size: fc.integer({ min: 64 * 1024, max: MAX_CARRIER_CHARS }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('corpus' as const), peer: fc.nat(PEERS - 1), seed: fc.nat(), mutations: mutationsArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('advance' as const), ms: fc.nat(60_000) }) },
);

const arbitrary: fc.Arbitrary<ReceiverCase> = fc.record({ inputs: fc.array(inputArb, { minLength: 8, maxLength: 24 }) });

/** The state kept for the whole run. */
class Receiver {
  readonly account = new Account({ privateKey: testKey('fuzz-receiver'), instanceTag: OUR_TAG, policy: Policies.OPPORTUNISTIC });
  now = 1_000_000;
  /** Next k per stream (peer and tag). */
  readonly nextIndex = new Map<string, number>();
  /** A different filler character per carrier, so no two carriers share memory. */
  carriers = 0;

  call(what: string, stats: Stats, body: () => Outcome): Outcome {
    stats.inputs++;
    let outcome: Outcome;
    try {
      outcome = body();
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
      throw new FuzzFailure('crash', `${what} threw ${message}`);
    }
    for (const event of outcome.events) {
      if (event.kind === 'protocol-error' && event.reason === 'internal') throw new FuzzFailure('crash', `${what}: internal error event: ${event.detail}`);
      stats.counters[event.kind] = (stats.counters[event.kind] ?? 0) + 1;
    }
    return outcome;
  }

  carrier(input: ReceiverInput & { k: 'carrier' }, stats: Stats): void {
    const tag = TAGS[input.tag] ?? 0x100;
    const stream = `${input.peer}/${tag}`;
    const k = this.nextIndex.get(stream) ?? 1;
    this.nextIndex.set(stream, k >= MAX_PIECES_PER_STREAM ? 1 : k + 1);
    const marker = `?OTR|${tag.toString(16).padStart(8, '0')}|00000000,${k},65535,${'piece-'.padEnd(15, '=')}${k % 10},`;
    const filler = String.fromCharCode(0x41 + (this.carriers++ % 26));
    const text = `${this.carriers}:`.padEnd(input.size - marker.length, filler) + marker;
    const outcome = this.call('receive(carrier)', stats, () => this.account.receive(`carrier${input.peer}`, text, this.now));
    // k > 1 of a stream that a corpus text or an expiry interrupted is out of
    // sequence (expected: the stream starts over with the next carrier); a limit is not.
    for (const event of outcome.events) {
      if (event.kind !== 'dropped') continue;
      if (LIMIT_DROPS.has(event.detail)) throw new FuzzFailure('invariant', `a carrier's fragment was dropped: ${event.reason} ${event.detail}`);
      this.nextIndex.set(stream, 1);
    }
    stats.counters.carriers = (stats.counters.carriers ?? 0) + 1;
  }

  run(input: ReceiverInput, stats: Stats): void {
    switch (input.k) {
      case 'carrier':
        this.carrier(input, stats);
        return;
      case 'corpus': {
        const texts = loadCorpus().texts;
        let text = texts[input.seed % texts.length] ?? '';
        for (const mutation of input.mutations) text = mutateText(text, mutation, texts);
        this.call('receive(corpus)', stats, () => this.account.receive(`peer${input.peer}`, text, this.now));
        return;
      }
      case 'advance': {
        this.now += input.ms;
        const deadline = this.account.nextDeadline();
        if (deadline !== undefined && deadline <= this.now) this.call('onDeadline', stats, () => this.account.onDeadline(this.now));
        return;
      }
    }
  }
}

let receiver: Receiver | undefined;

/** The long-lived receiver target. */
export const receiverTarget: Target<ReceiverCase> = {
  name: 'receiver',
  kind: 'conversation',
  arbitrary,
  start() {
    receiver = new Receiver();
  },
  stop() {
    receiver?.account.wipe();
    receiver = undefined;
  },
  check(testCase, stats) {
    // Outside a run (a direct call), a receiver of its own for this case.
    const state = receiver ?? new Receiver();
    for (const input of testCase.inputs) state.run(input, stats);
  },
  describe(testCase) {
    return JSON.stringify(testCase);
  },
  heapBoundBytes: HEAP_BOUND,
};
