/**
 * The interactive chat's address after rejoining the relay from a new port:
 * the OTRv4 DAKE binds both sides' addresses in its shared session state,
 * so an account that kept the old address would fail every DAKE with a peer
 * that names it by the new one.
 */
import { generateDsaKey, generateV4Identity } from '@sotto/otr';
import { describe, expect, it } from 'vitest';
import { ChatHost } from '../../src/session/chat-host.js';
import type { DriverEvent } from '../../src/session/driver-events.js';
import { memoryTrustBook, type HostSide } from '../helpers/memory-trust.js';

/** A v4 host that believes its address is `address`; what it sends goes to `queue` as coming from `from` (its name at the relay). */
function side(address: string, from: string, tag: number, queue: { to: string; from: string; text: string }[]): HostSide {
  const events: DriverEvent[] = [];
  const privateKey = generateDsaKey();
  const v4 = generateV4Identity({ instanceTag: tag, privateKey, now: Date.now() });
  const host = new ChatHost({
    privateKey,
    instanceTag: tag,
    v4: { identityKey: v4.identityKey, forgingKey: v4.forgingKey.publicKey, profile: v4.profile, address },
    trust: memoryTrustBook(),
    policy: 'manual',
    versions: new Set([3, 4]),
    maxMessageSize: 0,
    emit: (event) => events.push(event),
    log: () => undefined,
  });
  host.attach((to, text) => queue.push({ to, from, text }));
  return { host, events };
}

describe('the interactive chat keeps its v4 address current after rejoining the relay with a new one', () => {
  it('after setAddress, a v4 DAKE with a peer that names us by the new address succeeds', () => {
    const queue: { to: string; from: string; text: string }[] = [];
    // Alice joined as 127.0.0.1:1000 and, after the relay went away, rejoined as 127.0.0.1:2000.
    const alice = side('127.0.0.1:1000', '127.0.0.1:2000', 0x1111, queue);
    const bob = side('127.0.0.1:3000', '127.0.0.1:3000', 0x2222, queue);
    const deliver = (): void => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) (next.to === '127.0.0.1:2000' ? alice : bob).host.receive(next.from, next.text);
    };
    alice.host.setAddress('127.0.0.1:2000');
    bob.host.start('127.0.0.1:2000');
    deliver();
    expect(alice.events.filter((event) => event.event === 'secure')).toMatchObject([{ event: 'secure', peer: '127.0.0.1:3000', version: 4 }]);
    expect(bob.events.filter((event) => event.event === 'secure')).toMatchObject([{ event: 'secure', peer: '127.0.0.1:2000', version: 4 }]);
    alice.host.close();
    bob.host.close();
  });

  it('with the old address the DAKE does not complete (what the chat did before it learned the new one)', () => {
    const queue: { to: string; from: string; text: string }[] = [];
    const alice = side('127.0.0.1:1000', '127.0.0.1:2000', 0x1111, queue);
    const bob = side('127.0.0.1:3000', '127.0.0.1:3000', 0x2222, queue);
    bob.host.start('127.0.0.1:2000');
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) (next.to === '127.0.0.1:2000' ? alice : bob).host.receive(next.from, next.text);
    expect(alice.events.concat(bob.events).filter((event) => event.event === 'secure' && event.version === 4)).toEqual([]);
    alice.host.close();
    bob.host.close();
  });
});
