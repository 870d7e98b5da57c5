import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from './kamailio/harness.js';
import { account, chatOffer, ended, established, nextIncoming } from './helpers.js';
import type { SipAccount } from '../../src/sip/account.js';

let kam: Kamailio;
let alice: SipAccount;
let bob: SipAccount;

beforeAll(async () => {
  kam = await startKamailio();
  alice = account(kam, 'alice');
  bob = account(kam, 'bob');
  await Promise.all([alice.start(), bob.start()]);
});
afterAll(async () => {
  await Promise.allSettled([alice.stop(), bob.stop()]);
  await kam.stop();
});

describe('SIP over TCP through Kamailio, no digest', () => {
  it('registers both accounts', () => {
    expect(alice.registrationState).toBe('registered');
    expect(bob.registrationState).toBe('registered');
  });

  it('INVITE with a chat offer, accept with an answer, BYE from the caller', async () => {
    const incoming = nextIncoming(bob);
    const call = alice.call(`sip:bob@${kam.domain}`, chatOffer('alice1'));
    const session = await incoming;
    expect(session.remoteUri).toBe(`sip:alice@${kam.domain}`);
    expect(session.remote?.media.path).toEqual(['msrp://127.0.0.1:2855/alice1;tcp']);
    expect(session.focus).toBe(false);
    const [up, down] = [established(call), established(session)];
    await session.accept(chatOffer('bob1', 'passive'));
    const [a, b] = await Promise.all([up, down]);
    expect(a.remote.media.path).toEqual(['msrp://127.0.0.1:2855/bob1;tcp']);
    expect(a.remote.media.setup).toBe('passive');
    expect(a.focus).toBe(false);
    expect(b.remote.media.setup).toBe('active');
    const [x, y] = [ended(call), ended(session)];
    await call.hangup();
    expect(await x).toEqual({ by: 'local', reason: 'hangup' });
    expect(await y).toEqual({ by: 'remote', reason: 'hangup' });
  });
});
