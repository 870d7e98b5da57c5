/**
 * The whole-conversation fuzz target: two accounts built as in
 * test/pair/harness.ts (each with or without an OTRv4 identity, so cases
 * run v4, v3 and v2 sessions and the fallbacks between them), and a fast-check script of user actions (send,
 * start, end, SMP, restart), clock advances, and link actions on the
 * messages in flight: deliver any of them (interleaving), drop, duplicate,
 * mutate (the text mutations of mutate.ts: bit flips, byte insertion and
 * deletion, truncation, splicing of base64 payload bytes, fragment header
 * edits), re-fragment, and inject a libotr message from the seed corpus.
 * After the script the link is drained without faults.
 *
 * Invariants, checked on every call:
 * - no exception escapes the library (every call made is a legal one, so
 *   not even a UsageError), and no `internal` protocol-error (the receive
 *   path's catch-all, i.e. an exception that was swallowed);
 * - the library sends only OTR protocol messages on its own, and a user's
 *   text sent while the session is encrypted or finished goes out as
 *   encrypted data messages only (with REQUIRE_ENCRYPTION: never in
 *   plaintext at all);
 * - each text shown as encrypted is one the peer's user sent encrypted (or
 *   held for encryption), and is shown no more often than it was sent;
 * - bounded steps: each call sends a bounded number of messages, the clock's
 *   deadlines settle, the drained link goes quiet; bounded time per call.
 * The engine checks the heap over the run.
 */
import fc from 'fast-check';
import { classifyIncoming } from '../../src/wire/index.js';
import { Policies, type Outcome, type Policy } from '../../src/index.js';
import { makePair, type Pair, type Party } from '../pair/harness.js';
import { v4Options } from '../pair/v4-harness.js';
import { loadCorpus } from './corpus.js';
import { FuzzFailure, type Stats, type Target } from './engine.js';
import { mutateText, mutationsArb, type Mutation } from './mutate.js';

/** One step of the script. */
export type Action =
  | { readonly k: 'send'; readonly who: 0 | 1; readonly text: string }
  | { readonly k: 'start'; readonly who: 0 | 1 }
  | { readonly k: 'end'; readonly who: 0 | 1 }
  | { readonly k: 'smp'; readonly who: 0 | 1; readonly secret: string; readonly question: string | undefined }
  | { readonly k: 'answer'; readonly who: 0 | 1; readonly secret: string }
  | { readonly k: 'abort'; readonly who: 0 | 1 }
  | { readonly k: 'restart'; readonly who: 0 | 1 }
  | { readonly k: 'advance'; readonly ms: number }
  | { readonly k: 'deliver'; readonly pick: number; readonly count: number }
  | { readonly k: 'drop'; readonly pick: number }
  | { readonly k: 'duplicate'; readonly pick: number }
  | { readonly k: 'mutate'; readonly pick: number; readonly mutations: readonly Mutation[] }
  | { readonly k: 'refragment'; readonly pick: number; readonly size: number }
  | { readonly k: 'inject'; readonly to: 0 | 1; readonly seed: number; readonly mutations: readonly Mutation[] };

/** A case: each party's policy, transport size and whether it has a v4 identity, and the script. */
export interface ConversationCase {
  readonly policies: readonly [PolicyName, PolicyName];
  readonly v4: readonly [boolean, boolean];
  readonly maxSizes: readonly [number, number];
  readonly actions: readonly Action[];
}

const POLICIES = {
  opportunistic: Policies.OPPORTUNISTIC,
  always: Policies.ALWAYS,
  manual: Policies.MANUAL,
  v2: { ...Policies.OPPORTUNISTIC, versions: new Set([2]) },
  v4only: Policies.OTRV4_INTERACTIVE_ONLY,
} satisfies Record<string, Policy>;
type PolicyName = keyof typeof POLICIES;

/** A call taking longer than this is a hang (DH and DSA operations take milliseconds). */
const CALL_BOUND_MS = 10_000;
/** Messages one call may send (a long text at the smallest size makes a few hundred fragments). */
const MAX_SENT_PER_CALL = 2000;
/** Messages the faultless drain may deliver, beyond those in flight when it starts, before the link must be quiet. */
const MAX_DRAIN_STEPS = 5000;
/** Deadline firings one clock advance may cause. */
const MAX_DEADLINES_PER_ADVANCE = 1000;
const HEAP_BOUND = 128 * 1024 * 1024;

const who = fc.constantFrom(0 as const, 1 as const);
const userText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.nat(4000).map((n) => 'long '.repeat(n).slice(0, n)) },
  { weight: 1, arbitrary: fc.constantFrom('?OTRv3?', '?OTR:AAMC.', '?OTR Error: hi', 'tagged \t  \t\t\t\t \t \t \t    \t\t  \t\t', '', 'a,b.c') },
);
const secret = fc.constantFrom('s3cret', 'other', '');
const pick = fc.nat();

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('send' as const), who, text: userText }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('start' as const), who }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('end' as const), who }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('smp' as const), who, secret, question: fc.option(fc.string({ maxLength: 10 }).map((q) => q.replaceAll('\0', '')), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('answer' as const), who, secret }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('abort' as const), who }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('restart' as const), who }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('advance' as const), ms: fc.oneof(fc.nat(10_000), fc.constantFrom(60_000, 600_000, 3_600_000)) }) },
  { weight: 12, arbitrary: fc.record({ k: fc.constant('deliver' as const), pick, count: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('drop' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('duplicate' as const), pick }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('mutate' as const), pick, mutations: mutationsArb.filter((m) => m.length > 0) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('refragment' as const), pick, size: fc.integer({ min: 19, max: 600 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('inject' as const), to: who, seed: fc.nat(), mutations: mutationsArb }) },
);

const policyName = fc.constantFrom<PolicyName>('opportunistic', 'opportunistic', 'always', 'manual', 'v2', 'v4only');
const maxSize = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 64, max: 400 }));

const arbitrary: fc.Arbitrary<ConversationCase> = fc.record({
  policies: fc.tuple(policyName, policyName),
  v4: fc.tuple(fc.boolean(), fc.boolean()),
  maxSizes: fc.tuple(maxSize, maxSize),
  actions: fc.array(actionArb, { maxLength: 60, size: 'medium' }),
});

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
/** What the peer shows for a sent text: up to its first NUL, lone surrogates replaced. */
const asShown = (text: string): string => {
  const nul = text.indexOf('\0');
  return utf8Decoder.decode(utf8.encode(nul < 0 ? text : text.slice(0, nul)));
};

/** Kinds of received text that are OTR protocol messages. */
const PROTOCOL_KINDS = new Set(['encoded', 'encoded-v4', 'fragment', 'query', 'error']);

function fail(message: string): never {
  throw new FuzzFailure('invariant', message);
}

class World {
  readonly pair: Pair;
  readonly parties: readonly [Party, Party];
  /** Texts each side's user sent encrypted (or held), normalised as shown, with counts. */
  readonly sentEncrypted: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  readonly shownEncrypted: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  calls = 0;

  constructor(
    readonly testCase: ConversationCase,
    readonly stats: Stats,
  ) {
    const options = (index: 0 | 1, name: string) => {
      const base = { policy: POLICIES[testCase.policies[index]], maxMessageSize: testCase.maxSizes[index] };
      // The OTRv4-interactive-only mode needs a v4 identity (without one, starting OTR is a usage error).
      return testCase.v4[index] || testCase.policies[index] === 'v4only' ? v4Options(name, base) : base;
    };
    this.pair = makePair({ alice: options(0, 'alice'), bob: options(1, 'bob') });
    this.parties = [this.pair.alice, this.pair.bob];
  }

  other(index: 0 | 1): 0 | 1 {
    return index === 0 ? 1 : 0;
  }

  /** Runs one library call for party `index`, checks its outcome and queues what it sends. */
  call(index: 0 | 1, what: string, body: () => Outcome, sending?: { text: string; state: string }): Outcome {
    const party = this.parties[index];
    this.stats.inputs++;
    this.calls++;
    const start = performance.now();
    let outcome: Outcome;
    try {
      outcome = body();
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
      throw new FuzzFailure('crash', `${party.name}.${what} threw ${message}`);
    }
    const elapsed = performance.now() - start;
    if (elapsed > CALL_BOUND_MS) throw new FuzzFailure('hang', `${party.name}.${what} took ${Math.round(elapsed)} ms`);
    this.checkOutcome(index, what, outcome, sending);
    const counters = this.stats.counters;
    for (const event of outcome.events) {
      counters[event.kind] = (counters[event.kind] ?? 0) + 1;
    }
    for (const shown of outcome.show) if (shown.encrypted) counters['shown encrypted'] = (counters['shown encrypted'] ?? 0) + 1;
    this.pair.absorb(party, outcome);
    if (this.pair.queue.length > 20_000) fail('more than 20000 messages in flight');
    return outcome;
  }

  checkOutcome(index: 0 | 1, what: string, outcome: Outcome, sending: { text: string; state: string } | undefined): void {
    const name = this.parties[index].name;
    for (const event of outcome.events) {
      if (event.kind === 'protocol-error' && event.reason === 'internal') throw new FuzzFailure('crash', `${name}.${what}: internal error event (an exception was caught inside receive): ${event.detail}`);
    }
    if (outcome.send.length > MAX_SENT_PER_CALL) fail(`${name}.${what} sent ${outcome.send.length} messages`);
    const requireEncryption = POLICIES[this.testCase.policies[index]].requireEncryption;
    for (const message of outcome.send) {
      const kind = classifyIncoming(message.text).kind;
      const isProtocol = PROTOCOL_KINDS.has(kind);
      if (sending === undefined) {
        if (!isProtocol) fail(`${name}.${what} sent a non-OTR message on its own: ${JSON.stringify(message.text.slice(0, 200))}`);
        continue;
      }
      if (sending.state !== 'plaintext' && kind !== 'encoded' && kind !== 'encoded-v4' && kind !== 'fragment') {
        fail(`${name}.send in state ${sending.state} put a ${kind} message on the wire: ${JSON.stringify(message.text.slice(0, 200))}`);
      }
      if (requireEncryption && !isProtocol) fail(`${name}.send with REQUIRE_ENCRYPTION put plaintext on the wire`);
    }
    for (const shown of outcome.show) {
      if (!shown.encrypted) continue;
      const sent = this.sentEncrypted[this.other(index)].get(shown.text) ?? 0;
      const seen = (this.shownEncrypted[index].get(shown.text) ?? 0) + 1;
      this.shownEncrypted[index].set(shown.text, seen);
      if (sent === 0) fail(`${name} showed an encrypted text the peer never sent encrypted: ${JSON.stringify(shown.text.slice(0, 200))}`);
      if (seen > sent) fail(`${name} showed ${JSON.stringify(shown.text.slice(0, 200))} ${seen} times, sent ${sent}`);
    }
  }

  state(index: 0 | 1): ReturnType<Party['account']['status']> {
    return this.parties[index].account.status(this.parties[this.other(index)].name);
  }

  /** Delivers the message at `index` of the queue (removing it unless `keep`). */
  deliverAt(index: number, keep = false): void {
    const queue = this.pair.queue;
    const message = queue[index];
    if (message === undefined) return;
    if (!keep) queue.splice(index, 1);
    const to: 0 | 1 = message.to === this.parties[0].name ? 0 : 1;
    this.call(to, 'receive', () => this.parties[to].account.receive(message.from, message.text, this.pair.now));
  }

  /** Advances the clock by `ms`, firing deadlines in order (nothing is delivered). */
  advance(ms: number): void {
    const end = this.pair.now + ms;
    for (let fired = 0; ; fired++) {
      if (fired > MAX_DEADLINES_PER_ADVANCE) fail(`deadlines did not settle within ${MAX_DEADLINES_PER_ADVANCE} firings`);
      let next: { index: 0 | 1; at: number } | undefined;
      for (const index of [0, 1] as const) {
        const at = this.parties[index].account.nextDeadline();
        if (at !== undefined && at <= end && (next === undefined || at < next.at)) next = { index, at };
      }
      if (next === undefined) break;
      const { index, at } = next;
      this.pair.now = Math.max(this.pair.now, at);
      this.call(index, 'onDeadline', () => this.parties[index].account.onDeadline(this.pair.now));
    }
    this.pair.now = end;
  }

  run(action: Action): void {
    const queue = this.pair.queue;
    const peerOf = (index: 0 | 1): string => this.parties[this.other(index)].name;
    switch (action.k) {
      case 'send': {
        const state = this.state(action.who).messageState;
        const outcome = this.call(action.who, 'send', () => this.parties[action.who].account.send(peerOf(action.who), action.text, this.pair.now), { text: action.text, state });
        const held = outcome.events.some((e) => e.kind === 'not-sent' && e.reason === 'encryption-required');
        if (state === 'encrypted' || held) {
          const map = this.sentEncrypted[action.who];
          const shown = asShown(action.text);
          map.set(shown, (map.get(shown) ?? 0) + 1);
        }
        return;
      }
      case 'start':
        this.call(action.who, 'startOtr', () => this.parties[action.who].account.startOtr(peerOf(action.who), this.pair.now));
        return;
      case 'end':
        if (this.state(action.who).messageState === 'plaintext') return;
        this.call(action.who, 'endOtr', () => this.parties[action.who].account.endOtr(peerOf(action.who), this.pair.now));
        return;
      case 'smp':
        if (this.state(action.who).messageState !== 'encrypted') return;
        this.call(action.who, 'startSmp', () => this.parties[action.who].account.startSmp(peerOf(action.who), action.secret, action.question, this.pair.now));
        return;
      case 'answer':
        if (this.state(action.who).messageState !== 'encrypted' || this.state(action.who).smp !== 'awaiting-answer') return;
        this.call(action.who, 'answerSmp', () => this.parties[action.who].account.answerSmp(peerOf(action.who), action.secret, this.pair.now));
        return;
      case 'abort':
        if (this.state(action.who).messageState !== 'encrypted') return;
        this.call(action.who, 'abortSmp', () => this.parties[action.who].account.abortSmp(peerOf(action.who), this.pair.now));
        return;
      case 'restart':
        this.parties[action.who].restart();
        return;
      case 'advance':
        this.advance(action.ms);
        return;
      case 'deliver':
        for (let i = 0; i < action.count && queue.length > 0; i++) this.deliverAt(action.pick % queue.length);
        return;
      case 'drop':
        if (queue.length > 0) queue.splice(action.pick % queue.length, 1);
        return;
      case 'duplicate':
        if (queue.length > 0) this.deliverAt(action.pick % queue.length, true);
        return;
      case 'mutate': {
        if (queue.length === 0) return;
        const index = action.pick % queue.length;
        const message = queue[index];
        if (message === undefined) return;
        let text = message.text;
        const pool = [...queue.map((m) => m.text), ...loadCorpus().texts];
        for (const mutation of action.mutations) text = mutateText(text, mutation, pool);
        queue[index] = { ...message, text };
        return;
      }
      case 'refragment': {
        if (queue.length === 0) return;
        const index = action.pick % queue.length;
        const message = queue[index];
        if (message === undefined) return;
        const incoming = classifyIncoming(message.text);
        if (incoming.kind !== 'encoded' || !message.text.startsWith('?OTR:')) return;
        // Split at another size: the receiver must reassemble whatever size the sender chose.
        const fragments: string[] = [];
        const size = Math.max(1, action.size - 36);
        for (let at = 0; at < message.text.length; at += size) fragments.push(message.text.slice(at, at + size));
        if (fragments.length > 65535 || fragments.some((f) => f.includes(','))) return;
        const { version, senderTag, receiverTag } = incoming.header;
        const header = (k: number): string =>
          version === 3 ? `?OTR|${senderTag.toString(16)}|${receiverTag.toString(16)},${k},${fragments.length},` : `?OTR,${k},${fragments.length},`;
        queue.splice(index, 1, ...fragments.map((piece, k) => ({ ...message, text: `${header(k + 1)}${piece},` })));
        return;
      }
      case 'inject': {
        const texts = loadCorpus().texts;
        let text = texts[action.seed % texts.length] ?? '';
        for (const mutation of action.mutations) text = mutateText(text, mutation, texts);
        queue.push({ from: peerOf(action.to), to: this.parties[action.to].name, text });
        return;
      }
    }
  }

  /** Delivers everything in order, without faults, until the link is quiet. */
  drain(): void {
    // Each message already in flight is delivered once (a refragmented
    // message may be thousands); the bound is on what the deliveries cause.
    const bound = this.pair.queue.length + MAX_DRAIN_STEPS;
    for (let steps = 0; this.pair.queue.length > 0; steps++) {
      if (steps > bound) fail(`the link did not go quiet within ${MAX_DRAIN_STEPS} deliveries beyond the ${bound - MAX_DRAIN_STEPS} in flight`);
      this.deliverAt(0);
    }
  }
}

/** The whole-conversation target. */
export const conversationTarget: Target<ConversationCase> = {
  name: 'conversation',
  kind: 'conversation',
  arbitrary,
  check(testCase, stats) {
    const world = new World(testCase, stats);
    for (const action of testCase.actions) world.run(action);
    world.drain();
    // Heartbeats, AKE timeouts and stale fragments, then whatever they sent.
    world.advance(11 * 60 * 1000);
    world.drain();
    for (const party of world.parties) party.account.wipe();
  },
  describe(testCase) {
    return JSON.stringify(testCase);
  },
  heapBoundBytes: HEAP_BOUND,
};
