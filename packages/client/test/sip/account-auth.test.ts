import { describe, expect, it } from 'vitest';
import { KamailioStartError, startKamailio } from './kamailio/harness.js';
import { account, aliceAndBob, chatOffer, ended, established, nextIncoming } from './helpers.js';
import { SipRegistrationError } from '../../src/sip/account.js';

const rig = aliceAndBob({ sipAuth: true });

describe('SIP over TCP with digest authentication', () => {
  it('REGISTER answers the 401 challenge', () => {
    expect(rig.alice.registrationState).toBe('registered');
    expect(rig.bob.registrationState).toBe('registered');
  });

  it('a wrong password is refused and reported', async () => {
    const mallory = account(rig.kam, 'mallory', { password: 'wrong' });
    const failed = new Promise<{ statusCode?: number | undefined }>((resolve) => mallory.on('registration-failed', resolve));
    try {
      await expect(mallory.start()).rejects.toBeInstanceOf(SipRegistrationError);
      expect((await failed).statusCode).toBeGreaterThanOrEqual(400);
    } finally {
      await mallory.stop();
    }
  });

  it('INVITE answers the 407 challenge; accept and BYE from the callee', async () => {
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('a1'));
    const session = await incoming;
    const up = established(call);
    await session.accept(chatOffer('b1', 'passive'));
    expect((await up).remote.media.path).toEqual(['msrp://127.0.0.1:2855/b1;tcp']);
    const [x, y] = [ended(call), ended(session)];
    await session.hangup();
    expect(await x).toEqual({ by: 'remote', reason: 'hangup' });
    expect(await y).toEqual({ by: 'local', reason: 'hangup' });
  });

  it('INVITE the other way: bob calls alice, alice accepts and hangs up', async () => {
    const incoming = nextIncoming(rig.alice);
    const call = rig.bob.call(`sip:alice@${rig.kam.domain}`, chatOffer('b2'));
    const session = await incoming;
    expect(session.remoteUri).toBe(`sip:bob@${rig.kam.domain}`);
    const up = established(call);
    await session.accept(chatOffer('a2', 'passive'));
    await up;
    const [x, y] = [ended(call), ended(session)];
    await session.hangup();
    expect(await x).toEqual({ by: 'remote', reason: 'hangup' });
    expect(await y).toEqual({ by: 'local', reason: 'hangup' });
  });
});

describe('the Kamailio harness', () => {
  it('fails fast with the log when Kamailio cannot start', async () => {
    const start = startKamailio({ editConfig: (cfg) => cfg.replace('loadmodule "msrp.so"', 'loadmodule "no-such-module.so"') });
    const error = await start.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(KamailioStartError);
    expect((error as KamailioStartError).log).toContain('no-such-module');
  });
});

