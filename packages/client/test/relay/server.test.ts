/**
 * The echo-network relay (shared/interop/DRIVER.md, "Transport") over real
 * loopback sockets: delivery with the sender's address, silent drop for
 * unknown recipients, and the frame-size and client-count bounds.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, type Frame } from '../../src/relay/framing.js';
import { startRelay, type Relay } from '../../src/relay/server.js';

interface Client {
  readonly socket: Socket;
  readonly address: string;
  next(): Promise<Frame>;
  closed: Promise<void>;
}

let relay: Relay | undefined;
const sockets: Socket[] = [];
const logLines: string[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await relay?.close();
  relay = undefined;
  logLines.length = 0;
});

async function start(options: { maxFrameBytes?: number; maxClients?: number } = {}): Promise<Relay> {
  relay = await startRelay({ host: '127.0.0.1', port: 0, log: (line) => logLines.push(line), ...options });
  return relay;
}

async function client(server: Relay): Promise<Client> {
  const socket = connect({ host: server.host, port: server.port });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const decoder = new FrameDecoder(1 << 20);
  const queue: Frame[] = [];
  const waiting: ((frame: Frame) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      const wake = waiting.shift();
      if (wake) wake(frame);
      else queue.push(frame);
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    address: `${socket.localAddress ?? ''}:${socket.localPort ?? 0}`,
    next: () => {
      const ready = queue.shift();
      return ready ? Promise.resolve(ready) : new Promise<Frame>((resolve) => waiting.push(resolve));
    },
    closed,
  };
}

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
    relay = await startRelay({ host: '127.0.0.1', port: 0, log: (line) => logLines.push(line), onFrame: (_from, to) => seen.push(to) });
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
