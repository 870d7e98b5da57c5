/** Whole-conversation tests of the AKE and its variants on a virtual clock. */
import { describe, expect, it } from 'vitest';
import { Policies } from '../../src/index.js';
import { WHITESPACE_BASE } from '../../src/wire/index.js';
import { establish, makePair } from './harness.js';

describe('AKE between two accounts', () => {
  it('a query message leads both sides to a v3 secure session with the same SSID', () => {
    const pair = makePair();
    establish(pair);
    const [a] = pair.alice.eventsOf('secure');
    const [b] = pair.bob.eventsOf('secure');
    expect(a?.version).toBe(3);
    expect(b?.version).toBe(3);
    expect(Buffer.from(a!.ssid).toString('hex')).toBe(Buffer.from(b!.ssid).toString('hex'));
    expect(a!.ssidHalf).not.toBe(b!.ssidHalf);
    expect(Buffer.from(a!.fingerprint)).toEqual(Buffer.from(pair.bob.account.ourFingerprint));
    expect(Buffer.from(b!.fingerprint)).toEqual(Buffer.from(pair.alice.account.ourFingerprint));
  });

  it('exchanges messages in both directions and across key rotations', () => {
    const pair = makePair();
    establish(pair);
    for (let i = 0; i < 6; i++) {
      pair.act(pair.alice, (account, now) => account.send('bob', `alice-says-${i}`, now));
      pair.deliverAll();
      pair.act(pair.bob, (account, now) => account.send('alice', `bob-says-${i}`, now));
      pair.deliverAll();
    }
    expect(pair.bob.texts()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `alice-says-${i}`));
    expect(pair.alice.texts()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `bob-says-${i}`));
    expect(pair.bob.shown.every((m) => m.encrypted)).toBe(true);
    for (const text of [...pair.alice.wire, ...pair.bob.wire]) expect(text).not.toMatch(/says/);
  });

  it('falls back to v2 when one side allows only v2', () => {
    const pair = makePair({ bob: { policy: { ...Policies.OPPORTUNISTIC, versions: new Set([2]) } } });
    establish(pair);
    expect(pair.alice.eventsOf('secure')[0]?.version).toBe(2);
    expect(pair.bob.eventsOf('secure')[0]?.version).toBe(2);
    pair.act(pair.alice, (account, now) => account.send('bob', 'over v2', now));
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual(['over v2']);
  });

  it('resolves simultaneous AKE starts to one secure session on each side', () => {
    const pair = makePair();
    pair.act(pair.alice, (account, now) => account.startOtr('bob', now));
    pair.act(pair.bob, (account, now) => account.startOtr('alice', now));
    pair.deliverAll();
    expect(pair.alice.eventsOf('secure').length).toBeGreaterThanOrEqual(1);
    expect(pair.bob.eventsOf('secure').length).toBeGreaterThanOrEqual(1);
    pair.act(pair.alice, (account, now) => account.send('bob', 'hi', now));
    pair.act(pair.bob, (account, now) => account.send('alice', 'ho', now));
    pair.deliverAll();
    expect(pair.bob.texts()).toContain('hi');
    expect(pair.alice.texts()).toContain('ho');
  });

  it('starts from a whitespace tag under the opportunistic policy', () => {
    const pair = makePair();
    pair.act(pair.alice, (account, now) => account.send('bob', 'hello there', now));
    expect(pair.alice.wire[0]?.startsWith('hello there' + WHITESPACE_BASE)).toBe(true);
    pair.deliverAll();
    expect(pair.bob.texts()).toEqual(['hello there']);
    expect(pair.alice.eventsOf('secure')).toHaveLength(1);
    expect(pair.bob.eventsOf('secure')).toHaveLength(1);
  });

  it('does not start from a whitespace tag under the manual policy', () => {
    const pair = makePair({ bob: { policy: Policies.MANUAL } });
    pair.act(pair.alice, (account, now) => account.send('bob', 'hello', now));
    pair.deliverAll();
    expect(pair.bob.eventsOf('secure')).toHaveLength(0);
    expect(pair.bob.texts()).toEqual(['hello']);
  });

  it('re-keys with a new SSID after one side restarts', () => {
    const pair = makePair();
    establish(pair);
    const first = pair.bob.eventsOf('secure')[0]!.ssid;
    // Alice restarts: a new account object with the same key and tag forgets the session.
    pair.alice.restart();
    pair.act(pair.alice, (account, now) => account.send('bob', 'after restart', now));
    pair.deliverAll();
    // Bob cannot read it (no session on Alice's side means plaintext with tag, which restarts the AKE).
    expect(pair.bob.texts()).toContain('after restart');
    const secures = pair.bob.eventsOf('secure');
    expect(secures.length).toBe(2);
    expect(Buffer.from(secures[1]!.ssid).equals(Buffer.from(first))).toBe(false);
    pair.act(pair.alice, (account, now) => account.send('bob', 'private again', now));
    pair.deliverAll();
    expect(pair.bob.shown.at(-1)).toMatchObject({ text: 'private again', encrypted: true });
  });

  it('abandons a stale AKE after the timeout', () => {
    const pair = makePair();
    pair.act(pair.alice, (account, now) => account.startOtr('bob', now));
    const [query] = pair.queue.splice(0);
    pair.absorb(pair.bob, pair.bob.account.receive('alice', query!.text, pair.now));
    pair.queue.splice(0); // the D-H Commit is lost
    expect(pair.bob.account.nextDeadline()).toBeDefined();
    pair.advance(61_000);
    expect(pair.bob.account.nextDeadline()).toBeUndefined();
  });
});
