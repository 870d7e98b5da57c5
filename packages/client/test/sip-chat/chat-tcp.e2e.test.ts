/**
 * End to end: two `sotto chat --json --account` clients through Kamailio
 * over TCP, no relay (the callee listens for MSRP): register, call, accept,
 * OTR at stream start, messages both ways with delivery, SMP, hang-up.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from '../sip/kamailio/harness.js';
import { bothSecure, connect, say, startSipClient, type SipClient } from './harness.js';

let kam: Kamailio;
let clients: SipClient[] = [];

beforeAll(async () => {
  kam = await startKamailio();
});
afterAll(async () => {
  await kam.stop();
});
afterEach(async () => {
  await Promise.allSettled(clients.map((client) => client.quit()));
  clients = [];
});

async function client(user: string, options: Parameters<typeof startSipClient>[2] = {}): Promise<SipClient> {
  const started = await startSipClient(kam, user, options);
  clients.push(started);
  return started;
}

describe('sotto chat --json --account over SIP/MSRP (TCP, no relay)', () => {
  it('registers, calls, goes secure at stream start, and delivers messages both ways', async () => {
    const alice = await client('alice1');
    const bob = await client('bob1');
    expect(alice.address).toBe(`sip:alice1@${kam.domain}`);
    expect(alice.events()[0]).toMatchObject({ event: 'ready', address: alice.address });
    const [sa, sb] = await connect(alice, bob);
    expect(sa).toMatchObject({ peer: bob.address, cpim: true });
    expect(sb).toMatchObject({ peer: alice.address, cpim: true });
    const [secA, secB] = await bothSecure(alice, bob);
    expect(secA).toMatchObject({ version: 4, fingerprint: bob.fingerprint, trusted: false });
    expect(secB).toMatchObject({ version: 4, fingerprint: alice.fingerprint, trusted: false });
    const [got, delivered] = await say(alice, bob, 'hello bob', 'm1');
    expect(got).toMatchObject({ text: 'hello bob', encrypted: true, content_type: 'text/plain' });
    expect(delivered).toEqual({ event: 'delivered', peer: bob.address, id: 'm1' });
    const [back] = await say(bob, alice, '<b>hi</b> alice', 'm2', { content_type: 'text/html' });
    expect(back).toMatchObject({ text: 'hi alice', encrypted: true, content_type: 'text/html' });
  });
});
