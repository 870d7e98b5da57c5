/** The lock-state rules of src/session/conversations.ts, event by event. */
import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/session/conversations.js';
import type { DriverEvent } from '../../src/session/driver-events.js';

const P = '127.0.0.1:4000';
const FP1 = '1'.repeat(40);
const FP2 = '2'.repeat(40);
const secure = (fingerprint: string, trusted: boolean): DriverEvent => ({ event: 'secure', peer: P, version: 3, fingerprint, ssid: 'ab'.repeat(8), trusted });

function run(events: DriverEvent[]): Conversations {
  const conversations = new Conversations();
  for (const event of events) conversations.apply(event);
  return conversations;
}

describe('lock states', () => {
  it('starts in plaintext and lists nobody', () => {
    const conversations = new Conversations();
    expect(conversations.get(P).lock).toBe('plaintext');
    expect(conversations.list()).toEqual([]);
  });

  it('secure: unverified or verified by the trusted flag; trust verifies the current fingerprint only', () => {
    expect(run([secure(FP1, false)]).get(P).lock).toBe('encrypted-unverified');
    expect(run([secure(FP1, true)]).get(P).lock).toBe('encrypted-verified');
    expect(run([secure(FP1, false), { event: 'trusted', peer: P, fingerprint: FP1 }]).get(P).lock).toBe('encrypted-verified');
    expect(run([secure(FP1, false), { event: 'trusted', peer: P, fingerprint: FP2 }]).get(P).lock).toBe('encrypted-unverified');
  });

  it('fingerprint changed: red until that fingerprint is verified, even across a re-AKE', () => {
    const changed: DriverEvent = { event: 'fingerprint-changed', peer: P, fingerprint: FP2 };
    const conversations = run([secure(FP1, true), changed, secure(FP2, false)]);
    expect(conversations.get(P).lock).toBe('fingerprint-changed');
    conversations.apply(secure(FP2, false));
    expect(conversations.get(P).lock).toBe('fingerprint-changed');
    conversations.apply({ event: 'smp-result', peer: P, success: false });
    expect(conversations.get(P).lock).toBe('fingerprint-changed');
    conversations.apply({ event: 'trusted', peer: P, fingerprint: FP2 });
    expect(conversations.get(P).lock).toBe('encrypted-verified');
    expect(conversations.get(P).changedFingerprint).toBeUndefined();
  });

  it('fingerprint changed, then the peer returns with a verified key: verified again', () => {
    expect(run([{ event: 'fingerprint-changed', peer: P, fingerprint: FP2 }, secure(FP2, false), secure(FP1, true)]).get(P).lock).toBe('encrypted-verified');
  });

  it('insecure unlocks; finished holds until the user acts', () => {
    expect(run([secure(FP1, true), { event: 'insecure', peer: P }]).get(P).lock).toBe('plaintext');
    expect(run([secure(FP1, true), { event: 'finished', peer: P }]).get(P).lock).toBe('finished');
    expect(run([secure(FP1, true), { event: 'finished', peer: P }, { event: 'insecure', peer: P }]).get(P).lock).toBe('plaintext');
    expect(run([secure(FP1, false), { event: 'finished', peer: P }, { event: 'trusted', peer: P, fingerprint: FP1 }]).get(P).lock).toBe('finished');
  });

  it('records who wrote, the fingerprint and SSID, in order of appearance', () => {
    const conversations = run([
      { event: 'message', from: '127.0.0.1:1', text: 'hi', encrypted: false },
      { event: 'not-sent', to: P, reason: 'encryption-required' },
    ]);
    conversations.touch(P);
    conversations.apply(secure(FP1, false));
    expect(conversations.list().map((view) => [view.peer, view.wrote])).toEqual([
      ['127.0.0.1:1', true],
      [P, true],
    ]);
    expect(conversations.get(P)).toMatchObject({ fingerprint: FP1, ssid: 'ab'.repeat(8), version: 3 });
  });
});
