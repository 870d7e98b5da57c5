/**
 * End to end with MSRP over TLS (`msrps`, `TCP/TLS/MSRP`, Blink's default)
 * through Kamailio's TLS relay, its certificate checked against a CA made
 * at test time (--ca-file); SIP over TCP.
 */
import { describe, expect, it } from 'vitest';
import { bothSecure, connect, say, sipChatRig } from './harness.js';

const { client } = sipChatRig({ kamailio: { tls: true } });

describe('SIP chat with MSRP over TLS', () => {
  it('both behind the TLS relay: secure, messages both ways with delivery', async () => {
    const alice = await client('alice1', { relay: true, msrpTls: true });
    const bob = await client('bob1', { relay: true, msrpTls: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [got, delivered] = await say(alice, bob, 'over msrps', 't1');
    expect(got).toMatchObject({ text: 'over msrps', encrypted: true });
    expect(delivered).toMatchObject({ id: 't1' });
    const [back] = await say(bob, alice, 'back over msrps', 't2');
    expect(back).toMatchObject({ encrypted: true });
  });

  it('a caller without a relay connects over TLS to the callee\'s relay', async () => {
    const alice = await client('alice2', { msrpTls: true });
    const bob = await client('bob2', { relay: true, msrpTls: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [got] = await say(alice, bob, 'direct to the relay', 'd1');
    expect(got).toMatchObject({ encrypted: true });
    const [back] = await say(bob, alice, 'and back', 'd2');
    expect(back).toMatchObject({ encrypted: true });
  });

  it('hang-up of a secure session over msrps is not held up waiting for a TLS drain that never comes: finished, then session-ended on both', async () => {
    const alice = await client('alice3', { relay: true, msrpTls: true });
    const bob = await client('bob3', { relay: true, msrpTls: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [a, b] = [alice.mark(), bob.mark()];
    alice.command({ cmd: 'hangup', to: bob.address });
    expect(await alice.next('session-ended', a)).toMatchObject({ by: 'local' });
    expect(await bob.next('session-ended', b)).toMatchObject({ by: 'remote' });
    const names = bob.events().slice(b).map((event) => event.event);
    expect(names.indexOf('finished')).toBeLessThan(names.indexOf('session-ended'));
    expect(names.indexOf('finished')).toBeGreaterThanOrEqual(0);
  });
});
