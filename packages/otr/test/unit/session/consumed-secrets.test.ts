/**
 * The secrets a state transition consumes (AKE steps, SMP steps, key
 * rotations) are returned by the transition and wiped in one place:
 * session/instance.ts's `wipeConsumed` (secure-channel.ts, "Wiping"). Wipes
 * are told apart by the call stack, and counted per Secret.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Secret } from '../../../src/crypto/secret.js';
import { trackSecrets } from '../../../src/testing.js';
import { establish, makePair, testKey } from '../../pair/harness.js';
import { v4Pair } from '../../pair/v4-harness.js';

interface Wipes {
  count: number;
  /** Wipes whose stack runs through the instance's wiping point. */
  atPoint: number;
  stacks: string[];
}

/** Records every Secret#wipe: how often, and from where. */
function recordWipes(): Map<Secret, Wipes> {
  const wipes = new Map<Secret, Wipes>();
  const original = Object.getOwnPropertyDescriptor(Secret.prototype, 'wipe')?.value as (this: Secret) => void;
  vi.spyOn(Secret.prototype, 'wipe').mockImplementation(function (this: Secret) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const entry = wipes.get(this) ?? { count: 0, atPoint: 0, stacks: [] };
    entry.count += 1;
    if (/\bat wipeConsumed\b/.test(stack)) entry.atPoint += 1;
    entry.stacks.push(stack);
    wipes.set(this, entry);
    original.call(this);
  });
  return wipes;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('consumed secrets', () => {
  it("a transition's consumed secrets are wiped exactly once, by the instance's one wiping point", () => {
    testKey('alice');
    testKey('bob');
    const tracking = trackSecrets();
    try {
      const wipes = recordWipes();
      const pair = makePair();
      const act = (who: 'alice' | 'bob', action: Parameters<typeof pair.act>[1]): void => {
        pair.act(pair[who], action);
        pair.deliverAll();
      };
      const atPoint = (): number => [...wipes.values()].filter((w) => w.atPoint > 0).length;
      const grew = (step: () => void): number => {
        const before = atPoint();
        step();
        return atPoint() - before;
      };
      // Each kind of transition hands what it consumed to the one point.
      expect(grew(() => establish(pair))).toBeGreaterThan(0); // AKE steps
      expect(
        grew(() => {
          for (let n = 0; n < 3; n++) {
            act('alice', (a, now) => a.send('bob', `ping ${n}`, now));
            act('bob', (b, now) => b.send('alice', `pong ${n}`, now));
          }
        }),
      ).toBeGreaterThan(0); // key rotations
      expect(
        grew(() => {
          act('alice', (a, now) => a.startSmp('bob', 'napkin', 'Where?', now));
          act('bob', (b, now) => b.answerSmp('alice', 'napkin', now));
        }),
      ).toBeGreaterThan(0); // SMP steps
      expect(
        grew(() => {
          act('alice', (a, now) => a.startSmp('bob', 'aborted', undefined, now));
          act('bob', (b, now) => b.abortSmp('alice', now));
        }),
      ).toBeGreaterThan(0); // SMP aborts
      expect(grew(() => act('bob', (b, now) => b.startOtr('alice', now)))).toBeGreaterThan(0); // a re-AKE of the secure session
      act('alice', (a, now) => a.send('bob', 'after the re-AKE', now));
      for (const event of [...pair.alice.events, ...pair.bob.events]) if (event.kind === 'extra-key') event.key.wipe();
      pair.alice.account.wipe();
      pair.bob.account.wipe();

      expect(atPoint()).toBeGreaterThan(50);
      // Exactly once: no Secret is wiped twice, by the point or by anything else.
      expect([...wipes.values()].filter((w) => w.count !== 1).map((w) => w.stacks)).toEqual([]);
      // No transition wipes: every other wipe is a teardown (a channel, a key exchange or an
      // instance wiped whole) or the key derivation's own s, which no state ever holds.
      const teardownOrDerivation = /\bat (V3Channel\.wipe|V3KeyExchange\.wipe|Instance\.wipe|deriveSessionKeys)\b/;
      const elsewhere = [...wipes.values()].filter((w) => w.atPoint === 0).flatMap((w) => w.stacks);
      expect(elsewhere.filter((stack) => !teardownOrDerivation.test(stack))).toEqual([]);
      expect([...tracking.secrets].filter((secret) => !secret.wiped)).toEqual([]);
    } finally {
      tracking.stop();
    }
  });

  it("v4 DAKE: the secrets initialising the ratchet used up are wiped by the one wiping point, not by the channel's constructor", () => {
    testKey('alice');
    testKey('bob');
    for (const starter of ['alice', 'bob'] as const) {
      const pair = v4Pair();
      const wipes = recordWipes();
      pair.act(pair[starter], (account, now) => account.startOtr(starter === 'alice' ? 'bob' : 'alice', now));
      pair.deliverAll();
      expect(pair.alice.eventsOf('secure').map((e) => e.version)).toEqual([4]);
      // Bob's first ECDH and DH secrets (done once the ratchet starts) among them: no DAKE or ratchet step, and no
      // channel, wipes anything itself. Only crypto/ wipes its own intermediates (made and used up in one call, never held).
      const byCaller = (stack: string): string => stack.split('\n').find((_line, i, lines) => i > 0 && /\bat Secret\.wipe\b/.test(lines[i - 1] ?? '')) ?? '';
      const outsideCrypto = [...wipes.values()]
        .filter((w) => w.atPoint === 0)
        .flatMap((w) => w.stacks)
        .filter((stack) => !/[\\/]src[\\/]crypto[\\/]/.test(byCaller(stack)));
      expect(outsideCrypto).toEqual([]);
      expect([...wipes.values()].filter((w) => w.count !== 1).map((w) => w.stacks)).toEqual([]);
      vi.restoreAllMocks();
      pair.alice.account.wipe();
      pair.bob.account.wipe();
    }
  });

  it('v4 ratchet: the chain key a received message used up is listed once, so it is wiped exactly once', () => {
    testKey('alice');
    testKey('bob');
    const pair = v4Pair();
    establish(pair);
    const wipes = recordWipes();
    for (let n = 0; n < 3; n++) {
      pair.act(pair.alice, (a, now) => a.send('bob', `ping ${n}`, now));
      pair.act(pair.alice, (a, now) => a.send('bob', `ping ${n} again`, now));
      pair.deliverAll();
      pair.act(pair.bob, (b, now) => b.send('alice', `pong ${n}`, now));
      pair.deliverAll();
    }
    expect(pair.bob.texts()).toHaveLength(6);
    expect([...wipes.values()].filter((w) => w.atPoint > 0).length).toBeGreaterThan(10);
    expect([...wipes.values()].filter((w) => w.count !== 1).map((w) => w.stacks)).toEqual([]);
    pair.alice.account.wipe();
    pair.bob.account.wipe();
  });

  it('v4 SMP steps hand their consumed secrets to the one wiping point, which wipes each exactly once', () => {
    testKey('alice');
    testKey('bob');
    const pair = v4Pair();
    establish(pair);
    const tracking = trackSecrets();
    try {
      const wipes = recordWipes();
      const act = (who: 'alice' | 'bob', action: Parameters<typeof pair.act>[1]): void => {
        pair.act(pair[who], action);
        pair.deliverAll();
      };
      act('alice', (a, now) => a.startSmp('bob', 'napkin', 'Where?', now));
      act('bob', (b, now) => b.answerSmp('alice', 'napkin', now));
      act('bob', (b, now) => b.startSmp('alice', 'aborted', undefined, now));
      act('alice', (a, now) => a.abortSmp('bob', now));
      expect(pair.alice.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
      // The SMP states' secret scalars (x, a2, a3, b3) and the compared values: wiped at the point only.
      const smpStateWipes = [...wipes.values()].flatMap((w) => w.stacks).filter((stack) => /\bat SmpV4\w+\.wipe\b/.test(stack));
      expect(smpStateWipes.length).toBeGreaterThanOrEqual(8);
      expect(smpStateWipes.filter((stack) => !/\bat wipeConsumed\b/.test(stack))).toEqual([]);
      expect([...wipes.values()].filter((w) => w.count !== 1).map((w) => w.stacks)).toEqual([]);
      // Every Secret made since (SMP's and the ratchet's) is wiped once both accounts are.
      pair.alice.account.wipe();
      pair.bob.account.wipe();
      expect([...tracking.secrets].filter((secret) => !secret.wiped).length).toBe(0);
    } finally {
      tracking.stop();
    }
  });
});
