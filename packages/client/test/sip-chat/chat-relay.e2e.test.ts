/**
 * End to end through Kamailio's MSRP relay (RFC 4976): a callee that AUTHs
 * at the relay and answers with its Use-Path, a caller behind NAT (its own
 * MSRP URI unreachable, everything over its relay connection), and a
 * 50 KiB message chunked through the relay (it drops bodies over 10 KiB).
 */
import { describe, expect, it } from 'vitest';
import { bothSecure, connect, say, sipChatRig } from './harness.js';

const { client } = sipChatRig();

describe('SIP chat through the MSRP relay', () => {
  it('a callee behind the relay: secure at stream start, messages both ways with delivery', async () => {
    const alice = await client('alice1');
    const bob = await client('bob1', { relay: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [got, delivered] = await say(alice, bob, 'through the relay', 'r1');
    expect(got).toMatchObject({ text: 'through the relay', encrypted: true });
    expect(delivered).toMatchObject({ id: 'r1' });
    const [back] = await say(bob, alice, 'and back', 'r2');
    expect(back).toMatchObject({ text: 'and back', encrypted: true });
  });

  it('the NAT case: a caller whose own MSRP URI is unreachable gets everything over its relay connection', async () => {
    const alice = await client('alice2', { relay: true, unreachable: true });
    const bob = await client('bob2');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [got] = await say(alice, bob, 'from behind NAT', 'n1');
    expect(got).toMatchObject({ encrypted: true });
    const [back, delivered] = await say(bob, alice, 'to behind NAT', 'n2');
    expect(back).toMatchObject({ text: 'to behind NAT', encrypted: true });
    expect(delivered).toMatchObject({ id: 'n2' });
  });

  it('both behind the relay, a 50 KiB message arrives whole (chunked under the relay\'s 10 KiB cap) and is delivered', async () => {
    const alice = await client('alice3', { relay: true, unreachable: true });
    const bob = await client('bob3', { relay: true, unreachable: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const text = Array.from({ length: 50 * 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const [got, delivered] = await say(alice, bob, text, 'big');
    expect(got.text).toBe(text);
    expect(got.encrypted).toBe(true);
    expect(delivered).toMatchObject({ id: 'big' });
  });

  it('hang-up through the relay ends OTR first', async () => {
    const alice = await client('alice4', { relay: true });
    const bob = await client('bob4', { relay: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const b = bob.mark();
    alice.command({ cmd: 'hangup', to: bob.address });
    await bob.next('session-ended', b);
    const names = bob.events().slice(b).map((event) => event.event);
    expect(names.indexOf('finished')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('finished')).toBeLessThan(names.indexOf('session-ended'));
  });
});
