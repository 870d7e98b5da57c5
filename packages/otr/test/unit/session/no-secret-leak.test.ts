/**
 * No secret byte appears in any event, shown message, error or inspection of
 * an account: every random byte handed to the library (private exponents, r,
 * SMP exponents) and both long-term private keys are collected and searched for.
 */
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { Account, deterministicRandom, generateDsaKey, UsageError, type Outcome, type RandomSource } from '../../../src/index.js';

function recording(seed: string, sink: Uint8Array[]): RandomSource {
  const inner = deterministicRandom(seed);
  return (length) => {
    const bytes = inner(length);
    sink.push(Uint8Array.from(bytes));
    return bytes;
  };
}

describe('secrets stay out of events, errors and inspection', () => {
  it('across a whole conversation with SMP and the extra key', () => {
    const secrets: Uint8Array[] = [];
    const aliceKey = generateDsaKey();
    const bobKey = generateDsaKey();
    secrets.push(aliceKey.exposePrivate(), bobKey.exposePrivate());
    const alice = new Account({ privateKey: aliceKey, instanceTag: 0x1234, random: recording('a', secrets) });
    const bob = new Account({ privateKey: bobKey, instanceTag: 0x5678, random: recording('b', secrets) });
    const observed: unknown[] = [];
    const queue: { to: Account; from: string; text: string }[] = [];
    const take = (from: string, outcome: Outcome): void => {
      observed.push(outcome.events, outcome.show);
      for (const message of outcome.send) queue.push({ to: message.to === 'bob' ? bob : alice, from, text: message.text });
    };
    const pump = (): void => {
      while (queue.length > 0) {
        const next = queue.shift()!;
        take(next.to === bob ? 'bob' : 'alice', next.to.receive(next.from, next.text, 0));
      }
    };
    take('alice', alice.startOtr('bob', 0));
    pump();
    take('alice', alice.send('bob', 'hello', 0));
    take('bob', bob.send('alice', 'hi', 0));
    pump();
    take('alice', alice.startSmp('bob', 'shared secret', 'q?', 0));
    pump();
    take('bob', bob.answerSmp('alice', 'shared secret', 0));
    pump();
    take('alice', alice.useExtraSymmetricKey('bob', 1, new Uint8Array(0), 0));
    pump();
    try {
      bob.answerSmp('alice', 'nothing to answer', 0);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      observed.push(String(error), inspect(error));
    }
    take('bob', bob.receive('alice', '?OTR:AAMDgarbage.', 0));
    const dumps = [JSON.stringify(observed), inspect(observed, { depth: Infinity }), inspect(alice, { depth: Infinity, showHidden: true }), inspect(bob, { depth: Infinity, showHidden: true })].join('\n');
    expect(observed.length).toBeGreaterThan(10);
    const leaks = (dump: string): boolean =>
      secrets
        .filter((secret) => secret.length >= 8)
        .some((secret) => {
          const hex = Buffer.from(secret).toString('hex');
          for (let i = 0; i + 16 <= hex.length; i += 16) if (dump.includes(hex.slice(i, i + 16))) return true;
          return dump.includes(Buffer.from(secret).toString('base64').slice(0, 12));
        });
    // The check itself can fail: a dump holding a secret is caught.
    expect(leaks(inspect({ leaked: Buffer.from(secrets[3]!).toString('hex') }))).toBe(true);
    expect(leaks(dumps)).toBe(false);
  });
});
