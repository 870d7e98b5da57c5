/**
 * A hostile relay chooses sender names: every message from a new name made a
 * conversation that the account kept for ever. The account now remembers at
 * most MAX_CONVERSATIONS contacts (limits.ts says which it forgets first).
 * The cap is made small here so the test can fill it.
 */
import { describe, expect, it, vi } from 'vitest';
import { encodeQueryMessage } from '../../src/wire/index.js';
import { internalConversationOf } from '../../src/testing.js';
import { establish, makePair } from '../pair/harness.js';

const { CAP } = vi.hoisted(() => ({ CAP: 8 }));
vi.mock('../../src/limits.js', async (importOriginal) => ({ ...(await importOriginal<typeof import('../../src/limits.js')>()), MAX_CONVERSATIONS: CAP }));

/** How many of `names` the account still remembers. */
function remembered(account: Parameters<typeof internalConversationOf>[0], names: readonly string[]): number {
  return names.filter((name) => internalConversationOf(account, name) !== undefined).length;
}

describe("an account's conversations grow without bound", () => {
  it('plaintext from 1,000 new sender names leaves at most the cap of contacts, and every message is still shown', () => {
    const pair = makePair();
    establish(pair);
    const bob = pair.bob.account;
    const names = Array.from({ length: 1000 }, (_, i) => `spoofed-${i}`);
    let shown = 0;
    for (const name of names) shown += bob.receive(name, 'hi', pair.now).show.length;
    expect(shown).toBe(names.length);
    // alice holds a session and is never forgotten; the others share what is left.
    expect(remembered(bob, names)).toBe(CAP - 1);
    expect(internalConversationOf(bob, 'alice')).toBeDefined();
    expect(internalConversationOf(bob, names.at(-1)!)).toBeDefined();
    expect(internalConversationOf(bob, names[0]!)).toBeUndefined();
    // The session with alice still works.
    pair.act(pair.alice, (account, now) => account.send('bob', 'still private', now));
    pair.deliverAll();
    expect(pair.bob.shown.at(-1)).toMatchObject({ text: 'still private', encrypted: true });
  });

  it('contacts with AKEs in progress are forgotten, least recently used first, and reported; sessions never are', () => {
    const pair = makePair();
    establish(pair);
    const bob = pair.bob.account;
    const query = encodeQueryMessage([3]);
    const names = Array.from({ length: CAP + 3 }, (_, i) => `stalled-${i}`);
    const dropped = names.flatMap((name) => bob.receive(name, query, pair.now).events.flatMap((event) => (event.kind === 'dropped' ? [[event.peer, event.reason]] : [])));
    expect(dropped).toEqual(
      names.slice(0, 4).map((name) => [name, 'conversation-limit']),
    );
    expect(remembered(bob, names)).toBe(CAP - 1);
    expect(internalConversationOf(bob, 'alice')).toBeDefined();
  });

  it('when every contact holds a session or a host choice, a message from a new sender is dropped and reported', () => {
    const pair = makePair();
    establish(pair);
    const bob = pair.bob.account;
    for (let i = 0; i < CAP - 1; i++) bob.selectInstance(`selected-${i}`, 0x1234);
    const outcome = bob.receive('newcomer-1', 'hi', pair.now);
    expect(outcome.show).toEqual([]);
    expect(outcome.events).toEqual([expect.objectContaining({ kind: 'dropped', peer: 'newcomer-1', reason: 'conversation-limit' })]);
    // The host's own calls always get their conversation.
    bob.selectInstance('selected-extra', 0x1234);
    expect(internalConversationOf(bob, 'selected-extra')).toBeDefined();
  });
});
