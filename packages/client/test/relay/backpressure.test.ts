/**
 * The relay ignores backpressure (issue 13): a client that never reads made
 * the relay queue everything sent to it (1.5 GB in under a minute). The bytes
 * queued per recipient are bounded; frames beyond the bound are dropped (as
 * frames to an absent client are), and the sender keeps working.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/relay/framing.js';
import { client, rawSocket, registered, relayFixture } from './relay-clients.js';

const { start, logLines } = relayFixture();

describe('the relay ignores backpressure: a client that never reads makes the relay buffer everything sent to it', () => {
  it('keeps the bytes queued for a client that never reads under the cap, and the sender keeps talking to others', async () => {
    const cap = 256 * 1024;
    const relay = await start({ maxQueuedBytes: cap });
    const server = relay;
    const sink = await rawSocket(server);
    sink.pause(); // never reads
    const sinkAddress = `${sink.localAddress ?? ''}:${sink.localPort ?? 0}`;
    const sender = await client(server);
    const reader = await client(server);
    await registered(server, sinkAddress, sender.address, reader.address);

    let peak = 0;
    const sample = (): void => {
      for (const connection of server.stats().connections) if (connection.address === sinkAddress) peak = Math.max(peak, connection.queuedBytes);
    };
    const sampler = setInterval(sample, 1);
    // 32 MiB at the non-reader: far more than the kernel's socket buffers absorb.
    const frame = encodeFrame(sinkAddress, Buffer.alloc(64 * 1024, 0x61));
    for (let i = 0; i < 512; i++) sender.socket.write(frame);
    sender.socket.write(encodeFrame(reader.address, 'after the flood'));
    // Frames from one connection are handled in order: this one arriving means the flood was handled.
    expect((await reader.next()).content.toString('utf8')).toBe('after the flood');
    clearInterval(sampler);
    sample();

    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(cap);
    expect(server.stats().droppedFrames).toBeGreaterThan(0);
    expect(logLines.some((line) => line.includes('dropping') && line.includes(sinkAddress))).toBe(true);
    // The sender was never paused or cut off: it still talks both ways.
    reader.socket.write(encodeFrame(sender.address, 'still here'));
    expect((await sender.next()).content.toString('utf8')).toBe('still here');
  });

  it('delivers every frame to a client that reads, even frames larger than the cap', async () => {
    const relay = await start({ maxQueuedBytes: 64 * 1024, maxFrameBytes: 256 * 1024 });
    const alice = await client(relay);
    const bob = await client(relay);
    await registered(relay, alice.address, bob.address);
    // One frame at a time, as a chat does: each is delivered, however large.
    for (const size of [10, 200 * 1024, 256 * 1024]) {
      alice.socket.write(encodeFrame(bob.address, Buffer.alloc(size, 0x62)));
      expect((await bob.next()).content.length).toBe(size);
    }
    expect(relay.stats().droppedFrames).toBe(0);
  });
});
