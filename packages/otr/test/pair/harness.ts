/**
 * Two-party test harness: two accounts on a virtual clock joined by an
 * in-memory link that can cap message size and drop, duplicate or reorder
 * messages. Everything each side shows and every event is recorded.
 */
import { Account, Policies, generateDsaKey, type AccountOptions, type DsaPrivateKey, type OtrEvent, type Outcome, type ShownMessage } from '../../src/index.js';
import { deterministicRandom } from '../../src/testing.js';

/** Long-term keys are slow to make; tests share a few. */
const keyCache = new Map<string, DsaPrivateKey>();
export function testKey(name: string): DsaPrivateKey {
  let key = keyCache.get(name);
  if (key === undefined) {
    key = generateDsaKey();
    keyCache.set(name, key);
  }
  return key;
}

/** A message in flight. */
export interface InFlight {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

/** One side of the conversation. */
export class Party {
  readonly shown: ShownMessage[] = [];
  readonly events: OtrEvent[] = [];
  readonly wire: string[] = [];
  account: Account;

  constructor(
    readonly name: string,
    readonly options: AccountOptions,
  ) {
    this.account = new Account(options);
  }

  /** Simulates a restart of the client: same identity and tag, no sessions. */
  restart(): void {
    this.account.wipe();
    this.account = new Account(this.options);
  }

  /** Events of one kind, typed. */
  eventsOf<K extends OtrEvent['kind']>(kind: K): (OtrEvent & { kind: K })[] {
    return this.events.filter((event): event is OtrEvent & { kind: K } => event.kind === kind);
  }

  /** Texts shown to this user. */
  texts(): string[] {
    return this.shown.map((message) => message.text);
  }
}

/** Link behaviour. */
export interface LinkOptions {
  /** Probability to drop a message (needs `random`). */
  readonly drop?: number;
  /** Probability to deliver a message twice. */
  readonly duplicate?: number;
  /** Deliver in a random order within each batch. */
  readonly reorder?: boolean;
  /** Seeded randomness for the link. */
  readonly seed?: string;
}

/** The two-party world. */
export class Pair {
  now = 1_000_000;
  readonly queue: InFlight[] = [];
  readonly parties: Map<string, Party>;
  readonly #linkRandom: () => number;
  /** Called after each delivery with what was delivered, to whom, and the outcome. */
  onDelivered: ((message: InFlight, target: Party, outcome: Outcome) => void) | undefined;

  constructor(
    readonly alice: Party,
    readonly bob: Party,
    /** The link's faults; tests may change them mid-conversation (the seeded randomness stays). */
    public link: LinkOptions = {},
  ) {
    this.parties = new Map([
      [alice.name, alice],
      [bob.name, bob],
    ]);
    const bytes = deterministicRandom(link.seed ?? 'link');
    this.#linkRandom = () => {
      const b = bytes(4);
      return ((((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0) / 2 ** 32;
    };
  }

  /** Records an outcome of `party` and queues what it sends. */
  absorb(party: Party, outcome: Outcome): Outcome {
    party.shown.push(...outcome.show);
    party.events.push(...outcome.events);
    for (const message of outcome.send) {
      party.wire.push(message.text);
      this.queue.push({ from: party.name, to: message.to, text: message.text });
    }
    return outcome;
  }

  /** Runs `action` for `party` and absorbs its outcome. */
  act(party: Party, action: (account: Account, now: number) => Outcome): Outcome {
    return this.absorb(party, action(party.account, this.now));
  }

  /** Delivers queued messages until the link is quiet (bounded). */
  deliverAll(maxSteps = 10_000): number {
    let steps = 0;
    while (this.queue.length > 0) {
      if (++steps > maxSteps) throw new Error('link did not go quiet');
      this.#deliverOne();
    }
    return steps;
  }

  /** Takes up to `count` messages off the link (subject to its faults), leaving the rest in flight. */
  deliverSome(count: number): void {
    for (let i = 0; i < count && this.queue.length > 0; i++) this.#deliverOne();
  }

  /** Takes one message off the link: picks it (reorder), maybe drops or duplicates it, delivers it. */
  #deliverOne(): void {
    let index = 0;
    if (this.link.reorder === true && this.queue.length > 1) index = Math.floor(this.#random() * this.queue.length);
    const [message] = this.queue.splice(index, 1);
    if (message === undefined) return;
    if (this.link.drop !== undefined && this.#random() < this.link.drop) return;
    const copies = this.link.duplicate !== undefined && this.#random() < this.link.duplicate ? 2 : 1;
    const target = this.parties.get(message.to);
    if (target === undefined) return;
    for (let i = 0; i < copies; i++) {
      const outcome = this.absorb(target, target.account.receive(message.from, message.text, this.now));
      this.onDelivered?.(message, target, outcome);
    }
  }

  /** Advances the virtual clock, firing each party's deadlines in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: { party: Party; at: number } | undefined;
      for (const party of this.parties.values()) {
        const at = party.account.nextDeadline();
        if (at !== undefined && at <= end && (next === undefined || at < next.at)) next = { party, at };
      }
      if (next === undefined) break;
      this.now = Math.max(this.now, next.at);
      this.absorb(next.party, next.party.account.onDeadline(this.now));
      this.deliverAll();
    }
    this.now = end;
  }

  #random(): number {
    return this.#linkRandom();
  }
}

let tagCounter = 0x1000;

/** Builds a pair of fresh accounts with the given options. */
export function makePair(options: { alice?: Partial<AccountOptions>; bob?: Partial<AccountOptions>; link?: LinkOptions } = {}): Pair {
  const alice = new Party('alice', {
    privateKey: testKey('alice'),
    instanceTag: (tagCounter += 0x101),
    policy: Policies.OPPORTUNISTIC,
    random: deterministicRandom(`alice-${tagCounter}`),
    ...options.alice,
  });
  const bob = new Party('bob', {
    privateKey: testKey('bob'),
    instanceTag: (tagCounter += 0x101),
    policy: Policies.OPPORTUNISTIC,
    random: deterministicRandom(`bob-${tagCounter}`),
    ...options.bob,
  });
  return new Pair(alice, bob, options.link);
}

/** Alice asks for OTR and the link runs until quiet. */
export function establish(pair: Pair): void {
  pair.act(pair.alice, (account, now) => account.startOtr('bob', now));
  pair.deliverAll();
}
