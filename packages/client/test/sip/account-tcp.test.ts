import { describe, expect, it } from 'vitest';
import { aliceAndBob, chatOffer, ended, established, nextIncoming, registered } from './helpers.js';

const rig = aliceAndBob();

describe('SIP over TCP through Kamailio, no digest', () => {
  it('registers both accounts', () => {
    expect(rig.alice.registrationState).toBe('registered');
    expect(rig.bob.registrationState).toBe('registered');
  });

  it('INVITE with a chat offer, accept with an answer, BYE from the caller', async () => {
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('alice1'));
    const session = await incoming;
    expect(session.remoteUri).toBe(`sip:alice@${rig.kam.domain}`);
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

  it('BYE from the callee ends both sides', async () => {
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('alice2'));
    const session = await incoming;
    const up = established(call);
    await session.accept(chatOffer('bob2', 'passive'));
    await up;
    const [x, y] = [ended(call), ended(session)];
    await session.hangup();
    expect(await y).toEqual({ by: 'local', reason: 'hangup' });
    expect(await x).toEqual({ by: 'remote', reason: 'hangup' });
  });

  it('the final response is the reason a rejected call ended (SIP.js terminates before its delegate sees the response)', async () => {
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('alice3'));
    const session = await incoming;
    const [x, y] = [ended(call), ended(session)];
    await session.reject(603);
    expect(await y).toEqual({ by: 'local', reason: 'rejected', statusCode: 603 });
    expect(await x).toMatchObject({ by: 'remote', statusCode: 603 });
  });

  it('CANCEL before the answer ends the ringing session at the callee', async () => {
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('alice4'));
    const ringing = new Promise((resolve) => call.on('progress', resolve));
    const session = await incoming;
    await ringing;
    const [x, y] = [ended(call), ended(session)];
    await call.hangup();
    expect(await x).toEqual({ by: 'local', reason: 'cancelled' });
    expect(await y).toEqual({ by: 'remote', reason: 'cancelled' });
    await expect(session.accept(chatOffer('late', 'passive'))).rejects.toThrow(/ended/);
  });

  it('a call to an unregistered user ends with 404', async () => {
    const call = rig.alice.call(`sip:nobody@${rig.kam.domain}`, chatOffer('alice5'));
    expect(await ended(call)).toMatchObject({ by: 'remote', statusCode: 404 });
  });

  it('an offer that cannot be built ends the call with an error and reaches nobody', async () => {
    let rang = false;
    const off = rig.bob.on('incoming', () => { rang = true; });
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, () => { throw new Error('no MSRP path'); });
    expect(await ended(call)).toMatchObject({ by: 'error' });
    off();
    expect(rang).toBe(false);
  });

  it('re-registration after the registrar restarts is reported (SIP.js keeps its registerer Registered), and calls work again', async () => {
    const lost = new Promise((resolve) => rig.bob.on('registration', (r) => { if (r.state === 'unregistered') resolve(r); }));
    await rig.kam.restart();
    await lost;
    await Promise.all([registered(rig.alice), registered(rig.bob)]);
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('alice6'));
    const session = await incoming;
    const up = established(call);
    await session.accept(chatOffer('bob6', 'passive'));
    await up;
    await call.hangup();
  });
});

