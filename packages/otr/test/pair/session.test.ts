/** Whole-conversation tests of the session layer: end, policies, fragments, instances, clock. */
import { describe, expect, it } from 'vitest';
import { Account, Policies } from '../../src/index.js';
import { deterministicRandom } from '../../src/testing.js';
import { establish, makePair, Party, Pair, testKey } from './harness.js';

describe('ending a conversation', () => {
  it('the peer sees finished and no plaintext leaks afterwards', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.bob, (account, now) => account.endOtr('alice', now));
    expect(pair.bob.eventsOf('insecure')).toHaveLength(1);
    pair.deliverAll();
    expect(pair.alice.eventsOf('finished')).toHaveLength(1);
    const wireBefore = pair.alice.wire.length;
    const outcome = pair.act(pair.alice, (account, now) => account.send('bob', 'secret words', now));
    expect(outcome.send).toHaveLength(0);
    expect(pair.alice.eventsOf('not-sent')).toEqual([{ kind: 'not-sent', peer: 'bob', reason: 'finished' }]);
    expect(pair.alice.wire.length).toBe(wireBefore);
  });

  it('a new AKE after end gives a new SSID', () => {
    const pair = makePair();
    establish(pair);
    const first = Buffer.from(pair.alice.eventsOf('secure')[0]!.ssid);
    pair.act(pair.alice, (account, now) => account.endOtr('bob', now));
    pair.deliverAll();
    pair.act(pair.bob, (account, now) => account.endOtr('alice', now));
    establish(pair);
    const second = Buffer.from(pair.alice.eventsOf('secure')[1]!.ssid);
    expect(second.equals(first)).toBe(false);
  });
});

describe('REQUIRE_ENCRYPTION', () => {
  it('never puts the plaintext on the wire and sends it once secure', () => {
    const pair = makePair({ alice: { policy: Policies.ALWAYS } });
    pair.act(pair.alice, (account, now) => account.send('bob', 'only encrypted', now));
    expect(pair.alice.eventsOf('not-sent')).toEqual([{ kind: 'not-sent', peer: 'bob', reason: 'encryption-required' }]);
    pair.deliverAll();
    expect(pair.alice.wire.some((text) => text.includes('only encrypted'))).toBe(false);
    expect(pair.bob.shown).toEqual([expect.objectContaining({ text: 'only encrypted', encrypted: true })]);
  });
});

describe('fragmentation', () => {
  it('carries every message, AKE included, in fragments of at most 140 characters', () => {
    const pair = makePair({ alice: { maxMessageSize: 140 }, bob: { maxMessageSize: 140 } });
    establish(pair);
    const long = 'x'.repeat(5000);
    pair.act(pair.alice, (account, now) => account.send('bob', long, now));
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual([long]);
    for (const text of [...pair.alice.wire, ...pair.bob.wire]) {
      if (text.startsWith('?OTR')) expect(text.length).toBeLessThanOrEqual(140);
    }
    expect(pair.alice.wire.filter((text) => text.startsWith('?OTR|')).length).toBeGreaterThan(30);
  });
});

describe('instances', () => {
  it('talks to two instances of one contact as separate sessions', () => {
    const aliceKey = testKey('alice');
    const pair = makePair();
    const bob2 = new Party('bob', { privateKey: testKey('bob'), instanceTag: 0x7777, random: deterministicRandom('bob2') });
    establish(pair);
    // Bob's second device starts its own AKE with Alice.
    const second = new Pair(pair.alice, bob2);
    second.act(bob2, (account, now) => account.startOtr('alice', now));
    second.deliverAll();
    const status = pair.alice.account.status('bob');
    expect(status.instances).toContain(0x7777);
    expect(pair.alice.eventsOf('secure').map((e) => e.instance)).toContain(0x7777);
    // Alice sends to the second instance explicitly; the first cannot read it.
    const outcome = second.act(pair.alice, (account, now) => account.send('bob', 'to device 2', now, { instance: 0x7777 }));
    second.deliverAll();
    expect(bob2.texts()).toEqual(['to device 2']);
    const dropped = pair.bob.account.receive('alice', outcome.send[0]!.text, pair.now);
    expect(dropped.show).toHaveLength(0);
    expect(dropped.events).toEqual([expect.objectContaining({ kind: 'dropped', reason: 'wrong-instance' })]);
    expect(aliceKey).toBeDefined();
  });
});

describe('policy changes mid-conversation', () => {
  it('a contact policy of NEVER sends plaintext; back to opportunistic resumes OTR', () => {
    const pair = makePair();
    pair.alice.account.setContactPolicy('bob', Policies.NEVER);
    pair.act(pair.alice, (account, now) => account.send('bob', 'plain', now));
    expect(pair.alice.wire).toEqual(['plain']);
    pair.deliverAll();
    pair.alice.account.setContactPolicy('bob', undefined);
    establish(pair);
    expect(pair.alice.eventsOf('secure')).toHaveLength(1);
  });
});

describe('the clock', () => {
  it('sends a heartbeat after 60 s without sending, and rotates keys with it', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.send('bob', 'one-way', now));
    pair.deliverAll();
    const bobWire = pair.bob.wire.length;
    expect(pair.bob.account.nextDeadline()).toBeDefined();
    pair.advance(59_000);
    expect(pair.bob.wire.length).toBe(bobWire);
    pair.advance(2_000);
    expect(pair.bob.wire.length).toBe(bobWire + 1);
    expect(pair.alice.shown).toHaveLength(0);
  });

  it('expires an idle session when the host sets an expiry', () => {
    const pair = makePair({ alice: { sessionExpiryMs: 5 * 60_000 } });
    establish(pair);
    pair.advance(6 * 60_000);
    expect(pair.alice.eventsOf('insecure')).toHaveLength(1);
    expect(pair.bob.eventsOf('finished')).toHaveLength(1);
    expect(pair.alice.account.status('bob').messageState).toBe('plaintext');
  });
});

describe('extra symmetric key', () => {
  it('both sides get the same key with use and use-data', () => {
    const pair = makePair();
    establish(pair);
    pair.act(pair.alice, (account, now) => account.useExtraSymmetricKey('bob', 42, Uint8Array.of(1, 2, 3), now));
    pair.deliverAll();
    const [sent] = pair.alice.eventsOf('extra-key');
    const [received] = pair.bob.eventsOf('extra-key');
    expect(sent?.direction).toBe('sent');
    expect(received?.direction).toBe('received');
    expect(received?.use).toBe(42);
    expect([...received!.useData]).toEqual([1, 2, 3]);
    expect(Buffer.from(received!.key.expose()).equals(Buffer.from(sent!.key.expose()))).toBe(true);
    expect(sent!.key.length).toBe(32);
  });
});

describe('construction', () => {
  it('rejects instance tags below 0x100 and bad sizes', () => {
    expect(() => new Account({ privateKey: testKey('alice'), instanceTag: 0xff })).toThrow(/instance tag/);
    expect(() => new Account({ privateKey: testKey('alice'), instanceTag: 0x100, maxMessageSize: 10 })).toThrow(/maxMessageSize/);
    expect(new Account({ privateKey: testKey('alice'), instanceTag: 0xffffffff }).instanceTag).toBe(0xffffffff);
  });
});
