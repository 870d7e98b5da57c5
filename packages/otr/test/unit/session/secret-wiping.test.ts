/**
 * Leaving a state wipes its secrets. The tests hold references to the very
 * bytes the library keeps (the random bytes it takes over as DH exponents
 * and r, the byte arrays behind the Secrets of the AKE and session keys, the
 * SMP states) and check they are all zero once the state is left: an AKE
 * restarting or completing, a key rotation forgetting an old key, SMP
 * completing or aborting, a session ending by us or the peer, and
 * account.wipe(). Internal state is reached through internalConversationOf.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Account, Policies, type OtrEvent, type Outcome, type RandomSource } from '../../../src/index.js';
import { deterministicRandom, internalConversationOf } from '../../../src/testing.js';
import type { Instance } from '../../../src/session/instance.js';
import type { Secret } from '../../../src/crypto/secret.js';
import type { V3Channel } from '../../../src/v3/index.js';
import { SMP_IDLE, type SmpState } from '../../../src/v3/smp.js';
import { testKey } from '../../pair/harness.js';

/** Sizes of the random draws: DH exponents (40 bytes) and the AKE's r (16 bytes). */
const DH_EXPONENT_BYTES = 40;
const REVEAL_KEY_BYTES = 16;

/** A random source that keeps a reference to every array it hands out. */
function recording(seed: string, draws: Uint8Array[]): RandomSource {
  const inner = deterministicRandom(seed);
  return (length) => {
    const bytes = inner(length);
    draws.push(bytes);
    return bytes;
  };
}

const isZero = (bytes: Uint8Array): boolean => bytes.every((byte) => byte === 0);

/** Two accounts wired together by hand: every call's sends are queued; `pump` delivers in order. */
class World {
  readonly aliceDraws: Uint8Array[] = [];
  readonly bobDraws: Uint8Array[] = [];
  readonly alice: Account;
  readonly bob: Account;
  readonly queue: { to: 'alice' | 'bob'; text: string }[] = [];
  readonly events: { alice: OtrEvent[]; bob: OtrEvent[] } = { alice: [], bob: [] };

  constructor() {
    this.alice = new Account({ privateKey: testKey('alice'), instanceTag: 0x1111, policy: Policies.OPPORTUNISTIC, random: recording('wipe-a', this.aliceDraws) });
    this.bob = new Account({ privateKey: testKey('bob'), instanceTag: 0x2222, policy: Policies.OPPORTUNISTIC, random: recording('wipe-b', this.bobDraws) });
  }

  take(from: 'alice' | 'bob', outcome: Outcome): Outcome {
    this.events[from].push(...outcome.events);
    for (const message of outcome.send) this.queue.push({ to: from === 'alice' ? 'bob' : 'alice', text: message.text });
    return outcome;
  }

  /** Delivers up to `limit` queued messages in order. */
  pump(limit = Infinity): void {
    for (let i = 0; i < limit && this.queue.length > 0; i++) {
      const next = this.queue.shift();
      if (next === undefined) return;
      const account = next.to === 'alice' ? this.alice : this.bob;
      this.take(next.to, account.receive(next.to === 'alice' ? 'bob' : 'alice', next.text, 0));
    }
  }

  establish(): void {
    this.take('alice', this.alice.startOtr('bob', 0));
    this.pump();
    expect(this.alice.status('bob').messageState).toBe('encrypted');
    expect(this.bob.status('alice').messageState).toBe('encrypted');
  }

  /** The instance of `account` that talks to the other side's tag. */
  instance(who: 'alice' | 'bob'): Instance {
    const conversation = internalConversationOf(who === 'alice' ? this.alice : this.bob, who === 'alice' ? 'bob' : 'alice');
    const instance = conversation?.instances().find((i) => i.theirTag === (who === 'alice' ? 0x2222 : 0x1111));
    if (instance === undefined) throw new Error('no instance');
    return instance;
  }

  master(who: 'alice' | 'bob'): Instance {
    const conversation = internalConversationOf(who === 'alice' ? this.alice : this.bob, who === 'alice' ? 'bob' : 'alice');
    if (conversation === undefined) throw new Error('no conversation');
    return conversation.master;
  }

  /** A round trip of user messages (each side reads the other's, so both rotate a key). */
  roundTrip(n: number): void {
    this.take('alice', this.alice.send('bob', `ping ${n}`, 0));
    this.pump();
    this.take('bob', this.bob.send('alice', `pong ${n}`, 0));
    this.pump();
  }
}

/** The bytes of every key of the pairing an instance sends with now (AES, MAC both ways, extra key). */
function sendingKeyBytes(instance: Instance): Uint8Array[] {
  const sending = (instance.encrypted?.channel as V3Channel | undefined)?.keys.sending();
  if (sending === undefined) throw new Error('not secure');
  const { keys, extraKey } = sending.session;
  return [keys.sendingAesKey, keys.sendingMacKey, keys.receivingAesKey, keys.receivingMacKey, extraKey].map((secret: Secret) => secret.expose());
}

/** The SMP state of an instance's v3 channel (idle without one). */
function smpOf(instance: Instance): SmpState {
  return (instance.encrypted?.channel as V3Channel | undefined)?.smp ?? SMP_IDLE;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the AKE wipes what it leaves behind', () => {
  it('restarting: a second query wipes the first D-H Commit’s r and x', () => {
    const world = new World();
    world.take('bob', world.bob.receive('alice', '?OTRv3?', 0));
    const first = world.bobDraws.slice();
    expect(first.map((d) => d.length)).toEqual([REVEAL_KEY_BYTES, DH_EXPONENT_BYTES]);
    expect(first.some(isZero)).toBe(false);
    world.take('bob', world.bob.receive('alice', '?OTRv3?', 0));
    expect(first.every(isZero)).toBe(true);
    expect(world.bobDraws.slice(first.length).some(isZero)).toBe(false);
  });

  it('completing: c, c′, m1, m2, m1′, m2′ and s are zero once the Signature is verified; r once revealed', () => {
    const world = new World();
    world.take('alice', world.alice.startOtr('bob', 0));
    world.pump(3); // query, D-H Commit, D-H Key: Bob sends his Reveal Signature.
    const waiting = world.instance('bob').exchange.auth;
    if (waiting.kind !== 'awaiting-sig') throw new Error(`unexpected state ${waiting.kind}`);
    const akeKeys = [waiting.keys.c, waiting.keys.cPrime, waiting.keys.m1, waiting.keys.m2, waiting.keys.m1Prime, waiting.keys.m2Prime].map((key) => key.expose());
    const shared = waiting.shared.expose();
    expect(akeKeys.some(isZero) || isZero(shared)).toBe(false);
    world.pump();
    expect(world.bob.status('alice').messageState).toBe('encrypted');
    expect(world.instance('bob').exchange.auth.kind).toBe('none');
    expect(akeKeys.every(isZero)).toBe(true);
    expect(isZero(shared)).toBe(true);
    // r and x as the master instance drew them for its broadcast D-H Commit:
    // the copy of x lives on in the session's key ring, the master's is gone.
    const [r, x] = world.bobDraws;
    expect(r !== undefined && isZero(r)).toBe(true);
    expect(x !== undefined && isZero(x)).toBe(true);
  });
});

describe('key rotation wipes forgotten keys', () => {
  it('the AKE’s DH exponents and the first pairing’s session keys are zero after a few round trips', () => {
    const world = new World();
    world.establish();
    const akeExponents = [...world.aliceDraws, ...world.bobDraws].filter((d) => d.length === DH_EXPONENT_BYTES);
    expect(akeExponents).toHaveLength(2);
    const firstKeys = [...sendingKeyBytes(world.instance('alice')), ...sendingKeyBytes(world.instance('bob'))];
    expect(firstKeys.some(isZero)).toBe(false);
    for (let n = 0; n < 4; n++) world.roundTrip(n);
    expect(akeExponents.every(isZero)).toBe(true);
    expect(firstKeys.every(isZero)).toBe(true);
    // The keys in use now are live, and messages still flow.
    expect(sendingKeyBytes(world.instance('alice')).some(isZero)).toBe(false);
    world.roundTrip(99);
    expect(world.events.alice.filter((e) => e.kind === 'protocol-error')).toEqual([]);
    // Exponents made since: only the two newest of each side are still live.
    for (const draws of [world.aliceDraws, world.bobDraws]) {
      const live = draws.filter((d) => d.length === DH_EXPONENT_BYTES && !isZero(d));
      expect(live.length).toBeLessThanOrEqual(2);
    }
  });
});

describe('SMP wipes its state when it completes or aborts', () => {
  it('completing: every state’s exponents and the encoded user secrets', () => {
    const encoded: Uint8Array[] = [];
    vi.spyOn(TextEncoder.prototype, 'encode').mockImplementation((input?: string) => {
      const bytes = Uint8Array.from(Buffer.from(input ?? '', 'utf8'));
      if (input === 'the napkin') encoded.push(bytes);
      return bytes;
    });
    const world = new World();
    world.establish();
    world.take('alice', world.alice.startSmp('bob', 'the napkin', 'Where?', 0));
    const aliceSmp = smpOf(world.instance('alice'));
    if (aliceSmp.kind !== 'expect2') throw new Error('not expect2');
    world.pump();
    const request = smpOf(world.instance('bob'));
    if (request.kind !== 'awaiting-answer') throw new Error('not awaiting-answer');
    world.take('bob', world.bob.answerSmp('alice', 'the napkin', 0));
    const bobSmp = smpOf(world.instance('bob'));
    if (bobSmp.kind !== 'expect3') throw new Error('not expect3');
    world.pump(1);
    const aliceExpect4 = smpOf(world.instance('alice'));
    if (aliceExpect4.kind !== 'expect4') throw new Error('not expect4');
    world.pump();
    expect(world.events.alice.filter((e) => e.kind === 'smp-result')).toEqual([expect.objectContaining({ success: true })]);
    expect([aliceSmp.secrets.wiped, request.request.wiped, bobSmp.secrets.wiped, aliceExpect4.secrets.wiped]).toEqual([true, true, true, true]);
    expect(smpOf(world.instance('alice')).kind).toBe('idle');
    expect(encoded).toHaveLength(2);
    expect(encoded.every(isZero)).toBe(true);
  });

  it('aborting, by us or by the peer', () => {
    const world = new World();
    world.establish();
    world.take('alice', world.alice.startSmp('bob', 'secret', undefined, 0));
    const started = smpOf(world.instance('alice'));
    world.pump();
    const request = smpOf(world.instance('bob'));
    if (started.kind !== 'expect2' || request.kind !== 'awaiting-answer') throw new Error('unexpected SMP states');
    world.take('bob', world.bob.abortSmp('alice', 0));
    expect(request.request.wiped).toBe(true);
    world.pump();
    expect(started.secrets.wiped).toBe(true);
    expect(world.events.alice.filter((e) => e.kind === 'smp-aborted')).toEqual([expect.objectContaining({ by: 'peer' })]);
  });

  it('ending the session wipes an SMP in progress', () => {
    const world = new World();
    world.establish();
    world.take('alice', world.alice.startSmp('bob', 'secret', undefined, 0));
    const started = smpOf(world.instance('alice'));
    if (started.kind !== 'expect2') throw new Error('not expect2');
    world.take('alice', world.alice.endOtr('bob', 0));
    expect(started.secrets.wiped).toBe(true);
  });
});

describe('ending a session wipes its keys', () => {
  it('endOtr on our side and the disconnect TLV on the peer’s: session keys, exponents, extra key', () => {
    const world = new World();
    world.establish();
    world.roundTrip(0);
    world.take('alice', world.alice.useExtraSymmetricKey('bob', 7, new Uint8Array(0), 0));
    world.pump();
    const aliceKeys = sendingKeyBytes(world.instance('alice'));
    const bobKeys = sendingKeyBytes(world.instance('bob'));
    const hostKeys = [...world.events.alice, ...world.events.bob].flatMap((e) => (e.kind === 'extra-key' ? [e.key.expose()] : []));
    expect(hostKeys).toHaveLength(2);
    world.take('alice', world.alice.endOtr('bob', 0));
    expect(aliceKeys.every(isZero)).toBe(true);
    expect(world.aliceDraws.filter((d) => d.length === DH_EXPONENT_BYTES || d.length === REVEAL_KEY_BYTES).every(isZero)).toBe(true);
    world.pump();
    expect(world.bob.status('alice').messageState).toBe('finished');
    expect(bobKeys.every(isZero)).toBe(true);
    expect(world.bobDraws.filter((d) => d.length === DH_EXPONENT_BYTES || d.length === REVEAL_KEY_BYTES).every(isZero)).toBe(true);
    // The extra keys handed to the host are the host's to wipe.
    expect(hostKeys.some(isZero)).toBe(false);
  });

  it('account.wipe() wipes every random byte the library kept, whatever the states', () => {
    const world = new World();
    world.establish();
    world.roundTrip(0);
    world.take('alice', world.alice.startSmp('bob', 'secret', 'q', 0));
    world.pump();
    // A second AKE half-way (Bob waits for a Signature) and an SMP request pending.
    world.take('bob', world.bob.receive('alice', '?OTRv3?', 0));
    world.pump(2);
    expect(world.instance('bob').exchange.auth.kind).toBe('awaiting-sig');
    const keys = [...sendingKeyBytes(world.instance('alice')), ...sendingKeyBytes(world.instance('bob'))];
    world.alice.wipe();
    world.bob.wipe();
    expect(keys.every(isZero)).toBe(true);
    const kept = [...world.aliceDraws, ...world.bobDraws].filter((d) => !isZero(d));
    expect(kept).toEqual([]);
  });
});
