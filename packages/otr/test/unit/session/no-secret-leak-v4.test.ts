/**
 * The v4 twin of no-secret-leak.test.ts: over a whole OTRv4 conversation
 * (DAKE, messages both ways across ratchet steps, SMP with a question, the
 * extra symmetric key, the end) no byte of a secret reaches an event, a
 * shown message, an error or an inspection, and nothing is logged. The
 * secrets searched for: every random byte handed to the library (identity,
 * forging and ephemeral keys), and the derived keys the ratchets hold at
 * each quiet moment (root, brace and chain keys, ECDH and DH secrets,
 * stored skipped message keys, MAC keys before they are revealed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inspect } from 'node:util';
import { Account, generateDsaKey, generateV4Identity, type Outcome, type RandomSource } from '../../../src/index.js';
import { deterministicRandom, internalConversationOf } from '../../../src/testing.js';
import { V4Channel } from '../../../src/v4/channel.js';
import { classifyIncoming } from '../../../src/wire/index.js';
import { byteArrays, holdsSecret, observedPair, secretWindows, textLeaks } from './leak-search.js';

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('no key byte of a v4 conversation reaches the host, the logs or an inspection', () => {
  it('DAKE, messages over ratchet steps, SMP with a question, the extra key and the end', () => {
    const logged = consoleMethods.map((method) => vi.spyOn(console, method));
    const secrets: Uint8Array[] = [];
    /** MAC keys: the protocol reveals them on the wire once used. */
    const macKeys: Uint8Array[] = [];
    const recordingCopy = (seed: string): RandomSource => {
      const inner = deterministicRandom(seed);
      return (length) => {
        const bytes = inner(length);
        secrets.push(Uint8Array.from(bytes));
        return bytes;
      };
    };
    const make = (name: string, tag: number): Account => {
      const privateKey = generateDsaKey();
      secrets.push(Uint8Array.from(privateKey.exposePrivate()));
      const random = recordingCopy(`leak-v4-${name}`);
      const id = generateV4Identity({ instanceTag: tag, privateKey, now: 0, random });
      return new Account({
        privateKey,
        instanceTag: tag,
        random,
        maxMessageSize: name === 'alice' ? 400 : 0,
        v4: { identityKey: id.identityKey, forgingKey: id.forgingKey, profile: id.profile, address: name },
      });
    };
    const alice = make('alice', 0x4321);
    const bob = make('bob', 0x8765);
    const channels = (): V4Channel[] =>
      (
        [
          [alice, 'bob'],
          [bob, 'alice'],
        ] as const
      ).flatMap(([account, peer]) => (internalConversationOf(account, peer)?.instances() ?? []).flatMap((i) => (i.encrypted?.channel instanceof V4Channel ? [i.encrypted.channel] : [])));
    /** The derived keys the ratchets hold now. */
    const harvest = (): void => {
      for (const channel of channels()) {
        const r = channel.ratchet;
        const keys = [r.rootKey, r.braceKey, r.sending?.chainKey, r.receiving?.chainKey, r.ourEcdhSecret, r.ourDh?.privateKey];
        for (const entry of r.skipped.entries()) keys.push(entry.encryptionKey, entry.extraKey);
        for (const key of keys) if (key !== undefined && !key.wiped) secrets.push(Uint8Array.from(key.expose()));
        for (const key of r.macKeysToReveal) if (!key.wiped) macKeys.push(Uint8Array.from(key.expose()));
      }
    };
    // What goes on the wire is checked apart: r and the old MAC keys are revealed there on purpose.
    const { observed, wire, queue, take, pump, snapshot, thrown } = observedPair(alice, bob, harvest);

    take('alice', alice.startOtr('bob', 0));
    pump();
    snapshot();
    expect(channels()).toHaveLength(2);
    for (let n = 0; n < 6; n++) {
      take('alice', alice.send('bob', `hello ${n}`, 0));
      take('alice', alice.send('bob', `hello again ${n}`, 0));
      // Bob reads the second first: the first's key is stored as skipped for a moment.
      queue.reverse();
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
    take('bob', bob.receive('alice', '?OTR:AAQDgarbage.', 0));
    snapshot();
    take('alice', alice.endOtr('bob', 0));
    pump();
    snapshot();

    const events = observed.flatMap((o) => (typeof o === 'object' && o !== null && 'events' in o ? (o as Outcome).events : []));
    expect(events.filter((e) => e.kind === 'secure').map((e) => (e as { version: number }).version)).toEqual([4, 4]);
    expect(events.filter((e) => e.kind === 'smp-result')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'extra-key')).toHaveLength(2);
    // The extra-key events carry the key on purpose, as a redacted Secret: keep it out of the search.
    const extraKeys = events.flatMap((e) => (e.kind === 'extra-key' ? [e.key.expose()] : []));
    const searched = [...secrets, ...macKeys].filter((secret) => !extraKeys.some((key) => Buffer.from(key).equals(Buffer.from(secret))));
    expect(searched.length).toBeGreaterThan(50);

    const dumps = [
      JSON.stringify(observed, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString(16) : value)),
      inspect(observed, { depth: Infinity, showHidden: true, maxArrayLength: Infinity, maxStringLength: Infinity }),
      inspect(alice, { depth: Infinity, showHidden: true }),
      inspect(bob, { depth: Infinity, showHidden: true }),
      JSON.stringify(alice),
    ].join('\n');
    const windows = secretWindows(searched);
    const probe = searched[3]!;
    for (const form of [inspect({ deep: { probe } }), JSON.stringify({ probe }), Buffer.from(probe).toString('hex'), Buffer.from(probe).toString('base64')]) {
      expect(textLeaks(form, searched, windows), form).toBeDefined();
    }
    expect(textLeaks(dumps, searched, windows)).toBeUndefined();
    expect(byteArrays(observed).filter((bytes) => holdsSecret(bytes, windows))).toEqual([]);

    // On the wire (whole v4 messages): no secret but the MAC keys, which the protocol reveals.
    const macSet = new Set(macKeys);
    const wireWindows = secretWindows(searched.filter((secret) => !macSet.has(secret)));
    const decoded = wire.flatMap((text) => {
      const incoming = classifyIncoming(text);
      return incoming.kind === 'encoded-v4' ? [incoming.bytes] : [];
    });
    expect(decoded.length).toBeGreaterThan(10);
    expect(decoded.filter((bytes) => holdsSecret(bytes, wireWindows))).toEqual([]);

    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
  });
});
