/**
 * OTR error messages must never be answered with error messages
 * (Protocol-v3, "OTR Error Messages": shown to the user; with
 * ERROR_START_AKE a Query Message is sent, nothing else), so two sotto
 * accounts that each react to errors go quiet in a bounded number of steps.
 */
import { describe, expect, it } from 'vitest';
import { Account, Policies, generateDsaKey, type AccountOptions, type Policy } from '../../src/index.js';
import { deterministicRandom } from '../../src/testing.js';
import { Scene, UNREADABLE_ERROR } from './evil-peer.js';

const keys = { a: generateDsaKey(), b: generateDsaKey() };

/** Two real accounts on one clock, with a queue between them that counts every step. */
class Link {
  now = 1_000_000;
  queue: { to: 'a' | 'b'; text: string }[] = [];
  readonly sent: { from: 'a' | 'b'; text: string }[] = [];
  a: Account;
  b: Account;
  constructor(
    seed: string,
    readonly policies: { a?: Policy; b?: Policy } = {},
  ) {
    this.a = this.make('a', seed);
    this.b = this.make('b', seed);
  }

  make(side: 'a' | 'b', seed: string, extra: Partial<AccountOptions> = {}): Account {
    return new Account({
      privateKey: keys[side],
      instanceTag: side === 'a' ? 0x1111 : 0x2222,
      policy: this.policies[side] ?? Policies.OPPORTUNISTIC,
      random: deterministicRandom(`${seed}-${side}-${this.sent.length}`),
      ...extra,
    });
  }

  push(from: 'a' | 'b', outcome: { send: readonly { text: string }[] }): void {
    for (const { text } of outcome.send) {
      this.sent.push({ from, text });
      this.queue.push({ to: from === 'a' ? 'b' : 'a', text });
    }
  }

  /** Delivers until quiet; returns the number of deliveries (throws past `max`). */
  run(max = 100): number {
    let steps = 0;
    while (this.queue.length > 0) {
      if (++steps > max) throw new Error('the link did not go quiet');
      const { to, text } = this.queue.shift()!;
      const account = to === 'a' ? this.a : this.b;
      this.push(to, account.receive(to === 'a' ? 'b' : 'a', text, this.now));
    }
    return steps;
  }

  errorsFrom(side: 'a' | 'b'): string[] {
    return this.sent.filter((m) => m.from === side && m.text.startsWith('?OTR Error:')).map((m) => m.text);
  }
}

describe('error messages', () => {
  it('an error message is shown (peer-error) and answered with a query, never with an error', () => {
    const scene = new Scene('error-query');
    const outcome = scene.toVictim('?OTR Error: something went wrong');
    expect(outcome.events).toEqual([{ kind: 'peer-error', peer: 'mallory', text: 'something went wrong' }]);
    expect(outcome.send.map((m) => m.text.split('\n')[0])).toEqual(['?OTRv23?']);
    expect(outcome.send.some((m) => m.text.includes('?OTR Error:'))).toBe(false);
  });

  it('with a MANUAL policy an error message is only shown: nothing is sent', () => {
    const scene = new Scene('error-manual', { policy: Policies.MANUAL });
    const outcome = scene.toVictim('?OTR Error: again');
    expect(outcome.send).toEqual([]);
    expect(outcome.events).toEqual([{ kind: 'peer-error', peer: 'mallory', text: 'again' }]);
  });

  it('an error message while encrypted leaves the session as it was', () => {
    const scene = Scene.encrypted('error-encrypted', { policy: Policies.MANUAL });
    const before = scene.status();
    expect(scene.toVictim(UNREADABLE_ERROR).send).toEqual([]);
    scene.expectIntact(before);
  });

  it('two accounts fed each other\'s error messages go quiet in bounded steps, with no error sent', () => {
    const link = new Link('crossed');
    link.push('a', { send: [{ text: '?OTR Error: from a' }] });
    link.push('b', { send: [{ text: '?OTR Error: from b' }] });
    const steps = link.run();
    expect(steps).toBeLessThan(20);
    expect(link.errorsFrom('a')).toEqual(['?OTR Error: from a']);
    expect(link.errorsFrom('b')).toEqual(['?OTR Error: from b']);
    expect(link.a.status('b').messageState).toBe('encrypted');
    expect(link.b.status('a').messageState).toBe('encrypted');
  });

  it('a restarted account answers unreadable messages with one error; the other re-runs the AKE and both go quiet', () => {
    const link = new Link('restart');
    link.push('a', link.a.startOtr('b', link.now));
    link.run();
    expect(link.b.status('a').messageState).toBe('encrypted');
    // b loses its session; a keeps sending into it.
    link.b.wipe();
    link.b = link.make('b', 'restart-again');
    for (let i = 0; i < 5; i++) link.push('a', link.a.send('b', `lost ${i}`, link.now));
    const steps = link.run();
    expect(steps).toBeLessThan(40);
    expect(link.errorsFrom('b')).toEqual([UNREADABLE_ERROR]);
    expect(link.errorsFrom('a')).toEqual([]);
    expect(link.a.status('b').messageState).toBe('encrypted');
    expect(link.b.status('a').messageState).toBe('encrypted');
    // And the new session works.
    link.push('a', link.a.send('b', 'after the storm', link.now));
    const outcome = link.b.receive('a', link.queue.shift()!.text, link.now);
    expect(outcome.show.map((m) => m.text)).toEqual(['after the storm']);
  });

  it('both accounts restarted while the other still sends: errors do not bounce, the link goes quiet', () => {
    const link = new Link('both-restart');
    link.push('a', link.a.startOtr('b', link.now));
    link.run();
    const fromA = link.a.send('b', 'into the void', link.now).send;
    const fromB = link.b.send('a', 'into the void too', link.now).send;
    link.a = link.make('a', 'both-restart-a');
    link.b = link.make('b', 'both-restart-b');
    link.push('a', { send: fromA });
    link.push('b', { send: fromB });
    expect(link.run()).toBeLessThan(40);
    expect(link.errorsFrom('a')).toHaveLength(1);
    expect(link.errorsFrom('b')).toHaveLength(1);
  });
});
