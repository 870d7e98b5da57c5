/**
 * No secret byte appears in any event, shown message, error or inspection of
 * an account: every random byte handed to the library (private exponents, r,
 * SMP exponents) and both long-term private keys are collected and searched for.
 * The second test adds the derived keys (AES, MAC and extra keys of every
 * pairing used), reaches into the sessions' own objects, walks every value
 * a host could see for byte arrays, and checks the library never logs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inspect } from 'node:util';
import { Account, generateDsaKey, UsageError, type Outcome, type RandomSource } from '../../../src/index.js';
import { deterministicRandom, internalConversationOf } from '../../../src/testing.js';
import { classifyIncoming } from '../../../src/wire/index.js';
import type { V3Channel } from '../../../src/v3/index.js';
import { byteArrays, holdsSecret, observedPair, secretWindows, textLeaks } from './leak-search.js';

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

describe('no key byte reaches the host, the logs or an inspection, across a whole conversation', () => {
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('AKE, messages both ways with key rotations, SMP with a question, the extra key, a re-AKE and the end', () => {
    const logged = consoleMethods.map((method) => vi.spyOn(console, method));
    const secrets: Uint8Array[] = [];
    /** The MAC keys among the secrets: the protocol reveals them once their keys are retired. */
    const macKeys: Uint8Array[] = [];
    const revealKeys: Uint8Array[] = [];
    const aliceKey = generateDsaKey();
    const bobKey = generateDsaKey();
    secrets.push(Uint8Array.from(aliceKey.exposePrivate()), Uint8Array.from(bobKey.exposePrivate()));
    const recordingCopy = (seed: string): RandomSource => {
      const inner = deterministicRandom(seed);
      return (length) => {
        const bytes = inner(length);
        const copy = Uint8Array.from(bytes);
        secrets.push(copy);
        // 16 random bytes are an AKE's r, revealed in its Reveal Signature.
        if (length === 16) revealKeys.push(copy);
        return bytes;
      };
    };
    const alice = new Account({ privateKey: aliceKey, instanceTag: 0x4321, random: recordingCopy('leak-a'), maxMessageSize: 400 });
    const bob = new Account({ privateKey: bobKey, instanceTag: 0x8765, random: recordingCopy('leak-b') });
    /** The derived keys of the pairing each side sends with now (both MAC keys are still unrevealed here). */
    const harvest = (): void => {
      for (const [account, peer] of [
        [alice, 'bob'],
        [bob, 'alice'],
      ] as const) {
        for (const instance of internalConversationOf(account, peer)?.instances() ?? []) {
          const sending = (instance.encrypted?.channel as V3Channel | undefined)?.keys.sending();
          if (sending === undefined) continue;
          const { keys, extraKey } = sending.session;
          for (const key of [keys.sendingAesKey, keys.receivingAesKey, extraKey]) secrets.push(Uint8Array.from(key.expose()));
          for (const key of [keys.sendingMacKey, keys.receivingMacKey]) {
            const copy = Uint8Array.from(key.expose());
            secrets.push(copy);
            macKeys.push(copy);
          }
        }
      }
    };
    // What goes on the wire is checked apart: r and the old MAC keys are revealed there on purpose.
    const { observed, wire, take, pump, snapshot, thrown } = observedPair(alice, bob, harvest);

    take('alice', alice.endOtr('bob', 0));
    thrown(() => alice.startSmp('bob', 'shared secret', 'a\0b', 0));
    take('alice', alice.startOtr('bob', 0));
    pump();
    snapshot();
    for (let n = 0; n < 6; n++) {
      take('alice', alice.send('bob', `hello ${n}`, 0));
      pump();
      take('bob', bob.send('alice', `hi ${n} ${'y'.repeat(n * 100)}`, 0));
      pump();
    }
    snapshot();
    take('alice', alice.startSmp('bob', 'shared secret', 'The colour of the door?', 0));
    pump();
    snapshot();
    thrown(() => alice.startSmp('bob', 'x', 'bad\0question', 0));
    take('bob', bob.answerSmp('alice', 'shared secret', 0));
    pump();
    take('bob', bob.answerSmp('alice', 'nothing to answer', 0));
    take('alice', alice.useExtraSymmetricKey('bob', 1, Uint8Array.of(9, 9), 0));
    pump();
    // A re-AKE inside the secure session, then garbage and an unreadable message.
    take('bob', bob.startOtr('alice', 0));
    pump();
    take('bob', bob.receive('alice', '?OTR:AAMDgarbage.', 0));
    take('bob', bob.receive('alice', '?OTR Error: something odd', 0));
    pump();
    take('alice', alice.send('bob', 'after the re-AKE', 0));
    pump();
    snapshot();
    take('alice', alice.endOtr('bob', 0));
    pump();
    snapshot();
    take('alice', alice.useExtraSymmetricKey('bob', 1, new Uint8Array(0), 0));

    const events = observed.flatMap((o) => (typeof o === 'object' && o !== null && 'events' in o ? (o as Outcome).events : []));
    expect(events.filter((e) => e.kind === 'smp-result')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'extra-key')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'secure' && e.refreshed).length).toBeGreaterThanOrEqual(2);
    // The extra-key events carry the key on purpose, as a redacted Secret: keep it out of the search.
    const extraKeys = events.flatMap((e) => (e.kind === 'extra-key' ? [e.key.expose()] : []));
    const searched = secrets.filter((secret) => !extraKeys.some((key) => Buffer.from(key).equals(Buffer.from(secret))));
    expect(searched.length).toBeGreaterThan(50);

    const dumps = [
      JSON.stringify(observed, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString(16) : value)),
      inspect(observed, { depth: Infinity, showHidden: true, maxArrayLength: Infinity, maxStringLength: Infinity }),
      inspect(alice, { depth: Infinity, showHidden: true }),
      inspect(bob, { depth: Infinity, showHidden: true }),
      JSON.stringify(alice),
    ].join('\n');
    const windows = secretWindows(searched);
    // The search itself works: a dump holding part of a secret is caught, in each form.
    const probe = searched[3]!;
    for (const form of [inspect({ deep: { probe } }), JSON.stringify({ probe }), JSON.stringify([...probe]), Buffer.from(probe).toString('hex'), Buffer.from(probe).toString('base64')]) {
      expect(textLeaks(form, searched, windows), form).toBeDefined();
    }
    expect(textLeaks(dumps, searched, windows)).toBeUndefined();
    // And no byte array a host can reach holds one.
    expect(byteArrays({ deep: [new Map([['k', { probe: probe.subarray(1, 10) }]])] }).filter((bytes) => holdsSecret(bytes, windows))).toHaveLength(1);
    expect(byteArrays(observed).filter((bytes) => holdsSecret(bytes, windows))).toEqual([]);

    // On the wire (unfragmented messages, decoded): no secret but r and the MAC keys, which the protocol reveals.
    const revealed = new Set([...revealKeys, ...macKeys]);
    expect(revealKeys.length).toBeGreaterThanOrEqual(2);
    const wireWindows = secretWindows(searched.filter((secret) => !revealed.has(secret)));
    const decoded = wire.flatMap((text) => {
      const incoming = classifyIncoming(text);
      return incoming.kind === 'encoded' ? [incoming.bytes] : [];
    });
    expect(decoded.length).toBeGreaterThan(20);
    expect(decoded.filter((bytes) => holdsSecret(bytes, wireWindows))).toEqual([]);

    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
  });
});
