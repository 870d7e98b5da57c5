/**
 * Idle and partial-frame timeouts (issue 13, the relay ignores backpressure):
 * a connection that sends nothing, or part of a header or frame and stalls,
 * or leaves what is sent to it unread, is closed after a timeout, so it cannot
 * hold a slot or memory for ever. Small timeouts here; the defaults are long.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/relay/framing.js';
import { client, closedPromise, rawSocket, registered, relayFixture, until } from './relay-clients.js';

const { start, logLines } = relayFixture();

describe('idle and partial-frame timeouts', () => {
  it('closes a connection that sends nothing once the idle timeout passes', { timeout: 5000 }, async () => {
    const server = await start({ idleTimeoutMs: 100 });
    const silent = await rawSocket(server);
    await closedPromise(silent);
    expect(logLines.some((line) => line.includes('idle'))).toBe(true);
  });

  it('closes a connection that sends part of a header and stalls', { timeout: 5000 }, async () => {
    const server = await start({ stallTimeoutMs: 100 });
    const stalled = await rawSocket(server);
    stalled.write(Buffer.from([0, 0, 0, 9, 0x31])); // 5 bytes of a header
    await closedPromise(stalled);
    expect(logLines.some((line) => line.includes('stalled'))).toBe(true);
  });

  it('closes a connection that sends part of a frame and stalls, while a client between frames stays', { timeout: 5000 }, async () => {
    const server = await start({ stallTimeoutMs: 100 });
    const alice = await client(server);
    const bob = await client(server);
    await registered(server, alice.address, bob.address);
    alice.socket.write(encodeFrame(bob.address, 'a whole frame'));
    expect((await bob.next()).content.toString('utf8')).toBe('a whole frame');
    const frame = encodeFrame(bob.address, 'x'.repeat(1000));
    const stalled = await rawSocket(server);
    stalled.write(frame.subarray(0, 500));
    await closedPromise(stalled);
    // Alice sat between frames longer than the stall timeout: still connected.
    alice.socket.write(encodeFrame(bob.address, 'still here'));
    expect((await bob.next()).content.toString('utf8')).toBe('still here');
  });

  it('closes a client that leaves what is sent to it unread', { timeout: 10_000 }, async () => {
    const server = await start({ stallTimeoutMs: 200, maxQueuedBytes: 256 * 1024 });
    const sink = await rawSocket(server);
    sink.pause();
    const sinkAddress = `${sink.localAddress ?? ''}:${sink.localPort ?? 0}`;
    const sender = await client(server);
    await registered(server, sinkAddress, sender.address);
    const frame = encodeFrame(sinkAddress, Buffer.alloc(64 * 1024, 0x61));
    for (let i = 0; i < 256; i++) sender.socket.write(frame);
    await until(() => !server.stats().connections.some((connection) => connection.address === sinkAddress));
    expect(logLines.some((line) => line.includes('not reading') && line.includes(sinkAddress))).toBe(true);
  });
});
