/** The library's newer events reach the user as clear sentences: collapsed error floods, unsupported keys, the instance cap. */
import { generateDsaKey } from '@sotto/otr';
import { describe, expect, it } from 'vitest';
import { ChatHost, problemText } from '../../src/session/chat-host.js';
import type { DriverEvent } from '../../src/session/driver-events.js';
import { memoryTrustBook } from '../helpers/memory-trust.js';

describe('peer-error repeated, unsupported-key and instance-limit are told to the user', () => {
  it('a flood of OTR error messages is told as one error with "(and N more like it)"', () => {
    const events: DriverEvent[] = [];
    let now = 0;
    const host = new ChatHost({
      privateKey: generateDsaKey(),
      instanceTag: 0x1111,
      trust: memoryTrustBook(),
      policy: 'manual',
      versions: new Set([2, 3]),
      maxMessageSize: 0,
      emit: (event) => events.push(event),
      log: () => undefined,
      clock: () => now,
    });
    for (let i = 0; i < 100; i += 1) host.receive('bob', `?OTR Error: boom ${i}`);
    now += 60_000;
    host.receive('bob', '?OTR Error: last');
    const errors = events.filter((event) => event.event === 'error').map((event) => (event as { message: string }).message);
    expect(errors).toEqual(['bob reported an OTR error: boom 0', 'bob reported an OTR error: last (and 99 more like it)']);
    host.close();
  });

  it('an unsupported peer key and the instance cap have their own sentences', () => {
    expect(problemText({ kind: 'protocol-error', peer: 'bob', reason: 'unsupported-key', detail: 'x' })).toBe(
      'bob uses an unsupported key type (not a 1024-bit DSA key); cannot start a private conversation',
    );
    expect(problemText({ kind: 'dropped', peer: 'bob', reason: 'instance-limit', detail: 'x' })).toMatch(/^bob is starting too many private conversations at once/);
    expect(problemText({ kind: 'dropped', peer: 'bob', reason: 'malformed', detail: 'x' })).toBeUndefined();
  });
});
