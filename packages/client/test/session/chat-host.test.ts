/**
 * The chat host over an in-memory link: user commands the conversation's
 * state makes pointless come back from the library as `refused` events, and
 * the host tells them as the driver contract wants, without asking status()
 * first and without writing into the library's outcomes.
 */
import { generateDsaKey } from '@sotto/otr';
import { describe, expect, it } from 'vitest';
import { ChatHost } from '../../src/session/chat-host.js';
import type { DriverEvent } from '../../src/session/driver-events.js';
import { memoryTrustBook, type HostSide } from '../helpers/memory-trust.js';

/** Two hosts, `a` and `b`, whose sends go onto one queue that `deliver()` empties. */
function pair(): { a: HostSide; b: HostSide; deliver: () => void } {
  const queue: { to: 'a' | 'b'; from: string; text: string }[] = [];
  const side = (name: 'a' | 'b', tag: number): HostSide => {
    const events: DriverEvent[] = [];
    const host = new ChatHost({
      privateKey: generateDsaKey(),
      instanceTag: tag,
      trust: memoryTrustBook(),
      policy: 'manual',
      versions: new Set([2, 3]),
      maxMessageSize: 0,
      emit: (event) => events.push(event),
      log: () => undefined,
    });
    host.attach((to, text) => queue.push({ to: to as 'a' | 'b', from: name, text }));
    return { host, events };
  };
  const a = side('a', 0x1111);
  const b = side('b', 0x2222);
  const deliver = (): void => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) (next.to === 'a' ? a : b).host.receive(next.from, next.text);
  };
  return { a, b, deliver };
}

describe('the client reports refusals through the outcome instead of checking status before each call', () => {
  it('commands without a private conversation give the same driver events as before', () => {
    const { a } = pair();
    a.host.end('b');
    a.host.smp('b', 'secret', undefined);
    a.host.smpAnswer('b', 'secret');
    a.host.smpAbort('b');
    a.host.symkey('b', 1, new Uint8Array(0));
    expect(a.events).toEqual([
      { event: 'error', peer: 'b', message: 'there is no private conversation with b to end' },
      { event: 'smp-aborted', peer: 'b' },
      { event: 'error', peer: 'b', message: 'b has not asked to authenticate; there is nothing to answer' },
      { event: 'smp-aborted', peer: 'b' },
      { event: 'error', peer: 'b', message: 'the extra symmetric key needs a private conversation' },
    ]);
    a.host.close();
  });

  it('abortSmp on an idle SMP reports smp-aborted once, from the library', () => {
    const { a, b, deliver } = pair();
    a.host.start('b');
    deliver();
    expect(a.events.map((event) => event.event)).toEqual(['secure']);
    a.host.smpAbort('b');
    deliver();
    expect(a.events.slice(1)).toEqual([{ event: 'smp-aborted', peer: 'b' }]);
    expect(b.events.filter((event) => event.event === 'smp-aborted')).toEqual([]);
    a.host.close();
    b.host.close();
  });

  it('end after the peer ended, and endAll on quit, are told through the outcome', () => {
    const { a, b, deliver } = pair();
    a.host.start('b');
    deliver();
    b.host.end('a');
    deliver();
    expect(a.events.at(-1)).toEqual({ event: 'finished', peer: 'b' });
    a.host.end('b');
    a.host.end('b');
    expect(a.events.slice(-2)).toEqual([
      { event: 'insecure', peer: 'b' },
      { event: 'error', peer: 'b', message: 'there is no private conversation with b to end' },
    ]);
    const before = a.events.length;
    a.host.endAll(['b', 'nobody']);
    expect(a.events.length).toBe(before);
    a.host.close();
    b.host.close();
  });
});
