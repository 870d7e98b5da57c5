/**
 * Two chat streams joined by an in-memory MSRP session: every payload one
 * side sends is received by the other, which answers with its status; a
 * 200 for a payload asking for reports comes back as a success REPORT.
 * Each side has its own @sotto/otr account and an in-memory trust book.
 * Everything sent and every event is recorded.
 */
import { Account, Policies, generateDsaKey, toHex, type DsaPrivateKey, type Policy } from '@sotto/otr';
import { deterministicRandom } from '@sotto/otr/testing';
import { CHAT_ACCEPT_TYPES, CHAT_ACCEPT_WRAPPED_TYPES, ChatStream, type ChatEvent, type ChatOutcome, type ChatPayload, type ChatStreamOptions, type TrustView } from '../../src/index.js';

const keys = new Map<string, DsaPrivateKey>();
/** Long-term keys are slow to make: one per name per test file. */
export function testKey(name: string): DsaPrivateKey {
  let key = keys.get(name);
  if (key === undefined) {
    key = generateDsaKey();
    keys.set(name, key);
  }
  return key;
}

/** A trust book in memory: peer address -> verified fingerprints. */
export class MemoryTrust implements TrustView {
  readonly verified = new Map<string, Set<string>>();
  isVerified(peer: string, fingerprint: string): boolean {
    return this.verified.get(peer)?.has(fingerprint) ?? false;
  }
  hasVerified(peer: string): boolean {
    return (this.verified.get(peer)?.size ?? 0) > 0;
  }
  verify(peer: string, fingerprint: string): void {
    const set = this.verified.get(peer) ?? new Set<string>();
    set.add(fingerprint);
    this.verified.set(peer, set);
  }
}

const dec = new TextDecoder();

/** One user's side. */
export class Side {
  readonly trust = new MemoryTrust();
  readonly events: ChatEvent[] = [];
  readonly sent: ChatPayload[] = [];
  readonly statuses: number[] = [];
  account: Account;
  stream!: ChatStream;
  peerSide!: Side;

  constructor(
    readonly name: string,
    key: DsaPrivateKey,
    instanceTag: number,
  ) {
    this.account = new Account({ privateKey: key, instanceTag, random: deterministicRandom(`${name}-otr`) });
  }

  get uri(): string {
    return `sip:${this.name}@127.0.0.1`;
  }

  /** This side's fingerprint as the peer sees it. */
  get fingerprint(): string {
    return toHex(this.account.ourFingerprint);
  }

  eventsOf<K extends ChatEvent['kind']>(kind: K): (ChatEvent & { kind: K })[] {
    return this.events.filter((event): event is ChatEvent & { kind: K } => event.kind === kind);
  }

  /** Texts of the messages shown here. */
  texts(): string[] {
    return this.eventsOf('message').map((event) => event.text);
  }

  /** Every payload body sent, as text. */
  wireTexts(): string[] {
    return this.sent.map((payload) => dec.decode(payload.body));
  }
}

/** How a pair is set up. */
export interface PairOptions {
  readonly cpim?: boolean;
  readonly alicePolicy?: Policy;
  readonly bobPolicy?: Policy;
  readonly aliceFocus?: boolean;
  readonly bobFocus?: boolean;
  readonly alice?: Partial<ChatStreamOptions>;
  readonly bob?: Partial<ChatStreamOptions>;
}

/** Two sides and the link between them, on a virtual clock. */
export class Pair {
  readonly alice = new Side('alice', testKey('alice'), 0x1000);
  readonly bob = new Side('bob', testKey('bob'), 0x2000);
  readonly queue: { to: Side; payload: ChatPayload }[] = [];
  now = Date.UTC(2026, 11, 6, 3, 43, 13);

  constructor(readonly options: PairOptions = {}) {
    this.alice.peerSide = this.bob;
    this.bob.peerSide = this.alice;
    this.openStreams();
  }

  /** New streams over the same accounts (a new call). */
  openStreams(): void {
    const options = this.options;
    const accept = options.cpim === false ? ['text/*', 'image/*', 'application/im-iscomposing+xml'] : [...CHAT_ACCEPT_TYPES];
    const wrapped = options.cpim === false ? [] : [...CHAT_ACCEPT_WRAPPED_TYPES];
    const make = (side: Side, policy: Policy | undefined, focus: boolean | undefined, extra: Partial<ChatStreamOptions> | undefined) =>
      new ChatStream({
        account: side.account,
        local: side.name === 'alice' ? { uri: side.uri, displayName: 'alice' } : { uri: side.uri },
        remote: side.peerSide.name === 'alice' ? { uri: side.peerSide.uri, displayName: 'alice' } : { uri: side.peerSide.uri },
        remoteAcceptTypes: accept,
        remoteAcceptWrappedTypes: wrapped,
        policy: policy ?? Policies.OPPORTUNISTIC,
        trust: side.trust,
        random: deterministicRandom(`${side.name}-ids-${this.now}`),
        ...(focus === undefined ? {} : { focus }),
        ...extra,
      });
    this.alice.stream = make(this.alice, options.alicePolicy, options.aliceFocus, options.alice);
    this.bob.stream = make(this.bob, options.bobPolicy, options.bobFocus, options.bob);
  }

  tick(): number {
    this.now += 7;
    return this.now;
  }

  /** Records an outcome of `side` and puts its payloads on the link. */
  apply<T extends ChatOutcome>(side: Side, outcome: T): T {
    side.events.push(...outcome.events);
    for (const payload of outcome.send) {
      side.sent.push(payload);
      this.queue.push({ to: side.peerSide, payload });
    }
    return outcome;
  }

  /** Delivers everything in flight (answers included), with REPORTs for payloads that ask. */
  deliver(limit = 200): void {
    for (let count = 0; count < limit; count++) {
      const next = this.queue.shift();
      if (next === undefined) return;
      const { to, payload } = next;
      const outcome = to.stream.receive({ contentType: payload.contentType, body: payload.body }, this.tick());
      to.statuses.push(outcome.status.code);
      this.apply(to, outcome);
      if (payload.reports && payload.id !== undefined) {
        const sender = to.peerSide;
        this.apply(sender, sender.stream.deliveryReport(payload.id, outcome.status.code, outcome.status.comment));
      }
    }
    throw new Error('the link did not settle');
  }

  /** Both streams start (both send their query at once, as Blink's do), then the link settles. */
  startBoth(): void {
    this.apply(this.alice, this.alice.stream.start(this.tick()));
    this.apply(this.bob, this.bob.stream.start(this.tick()));
    this.deliver();
  }
}
