/**
 * The echo-network relay (shared/interop/DRIVER.md, "Transport") over real
 * loopback sockets: delivery with the sender's address, silent drop for
 * unknown recipients, and the frame-size and client-count bounds.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/relay/framing.js';
import { client, relayFixture } from './relay-clients.js';

const { start, logLines } = relayFixture();

/** Resolves once the relay has registered `count` clients (it logs each connection). */
async function connected(count: number): Promise<void> {
  while (logLines.filter((line) => line.startsWith('connected')).length < count) await new Promise((r) => setTimeout(r, 10));
}

describe('relay', () => {
  it('delivers (sender address, content) both ways between two clients', async () => {
    const server = await start();
    const alice = await client(server);
    const bob = await client(server);
    await connected(2);
    alice.socket.write(encodeFrame(bob.address, 'hello bob ✓'));
    const atBob = await bob.next();
    expect(atBob.address).toBe(alice.address);
    expect(atBob.content.toString('utf8')).toBe('hello bob ✓');
    bob.socket.write(encodeFrame(alice.address, Buffer.from([0, 1, 2, 0xff])));
    const atAlice = await alice.next();
    expect(atAlice.address).toBe(bob.address);
    expect([...atAlice.content]).toEqual([0, 1, 2, 0xff]);
  });

  it('reassembles frames the client writes in pieces', async () => {
    const server = await start();
    const alice = await client(server);
    const bob = await client(server);
    await connected(2);
    const frame = encodeFrame(bob.address, 'x'.repeat(5000));
    for (let i = 0; i < frame.length; i += 777) alice.socket.write(frame.subarray(i, i + 777));
    expect((await bob.next()).content.toString('utf8')).toBe('x'.repeat(5000));
  });

  it('silently drops a frame for an unknown recipient and keeps the sender connected', async () => {
    const seen: string[] = [];
    const relay = await start({ onFrame: (_from, to) => seen.push(to) });
    const alice = await client(relay);
    const bob = await client(relay);
    await connected(2);
    alice.socket.write(encodeFrame('127.0.0.1:1', 'into the void'));
    alice.socket.write(encodeFrame(bob.address, 'after the drop'));
    // Frames from one connection are handled in order: the second arriving proves the first was dropped.
    expect((await bob.next()).content.toString('utf8')).toBe('after the drop');
    expect(seen).toEqual(['127.0.0.1:1', bob.address]);
    bob.socket.write(encodeFrame(alice.address, 'still here'));
    expect((await alice.next()).content.toString('utf8')).toBe('still here');
  });

  it('closes a connection that announces an oversize frame; others carry on', async () => {
    const server = await start({ maxFrameBytes: 64 });
    const alice = await client(server);
    const bob = await client(server);
    await connected(2);
    alice.socket.write(encodeFrame(bob.address, 'y'.repeat(65)));
    await alice.closed;
    expect(logLines.some((line) => line.includes('closing'))).toBe(true);
    const carol = await client(server);
    await connected(3);
    carol.socket.write(encodeFrame(bob.address, 'y'.repeat(64)));
    expect((await bob.next()).content.length).toBe(64);
  });

  it('refuses clients beyond the bound', async () => {
    const server = await start({ maxClients: 2 });
    const alice = await client(server);
    const bob = await client(server);
    await connected(2);
    const third = await client(server);
    await third.closed;
    alice.socket.write(encodeFrame(bob.address, 'two is company'));
    expect((await bob.next()).address).toBe(alice.address);
  });
});
