/** Loopback clients of a relay for the relay tests: a framing client, a raw socket, and polling on the relay's state. */
import { connect, type Socket } from 'node:net';
import { FrameDecoder, type Frame } from '../../src/relay/framing.js';
import { afterEach } from 'vitest';
import { startRelay, type Relay, type RelayOptions } from '../../src/relay/server.js';

export interface Client {
  readonly socket: Socket;
  readonly address: string;
  next(): Promise<Frame>;
  readonly closed: Promise<void>;
}

/** Every socket opened here, to destroy after each test. */
export const openSockets: Socket[] = [];

/** A raw connection (optionally from another loopback address), resolved once connected; it reads nothing unless told to. */
export async function rawSocket(server: Relay, localAddress?: string): Promise<Socket> {
  const socket = connect({ host: server.host, port: server.port, ...(localAddress === undefined ? {} : { localAddress }) });
  openSockets.push(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Resolves once `socket` is closed (by the relay). */
export function closedPromise(socket: Socket): Promise<void> {
  return socket.destroyed && socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/** A client that reads and decodes every frame the relay delivers. */
export async function client(server: Relay, localAddress?: string): Promise<Client> {
  const socket = await rawSocket(server, localAddress);
  const decoder = new FrameDecoder(1 << 24);
  const queue: Frame[] = [];
  const waiting: ((frame: Frame) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      const wake = waiting.shift();
      if (wake) wake(frame);
      else queue.push(frame);
    }
  });
  const closed = closedPromise(socket);
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

/** Polls until `condition` holds (the test's own timeout bounds the wait). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Resolves once the relay has registered `addresses` (each a client's own address). */
export function registered(server: Relay, ...addresses: string[]): Promise<void> {
  return until(() => {
    const known = new Set(server.stats().connections.map((connection) => connection.address));
    return addresses.every((address) => known.has(address));
  });
}

/** A relay on a free loopback port per test, its log lines collected; closed with every socket opened here after each test. */
export interface RelayFixture {
  /** Starts the test's relay with `options` over the loopback defaults. */
  readonly start: (options?: Partial<RelayOptions>) => Promise<Relay>;
  /** Closes the test's relay now (the fixture does it after the test otherwise). */
  readonly stop: () => Promise<void>;
  /** What the relay logged in this test. */
  readonly logLines: string[];
}

/** Registers the per-test cleanup; call once at the top of a test file. */
export function relayFixture(): RelayFixture {
  let relay: Relay | undefined;
  const logLines: string[] = [];
  const stop = async (): Promise<void> => {
    const running = relay;
    relay = undefined;
    await running?.close();
  };
  afterEach(async () => {
    for (const socket of openSockets.splice(0)) socket.destroy();
    await stop();
    logLines.length = 0;
  });
  return {
    logLines,
    stop,
    start: async (options = {}) => (relay = await startRelay({ host: '127.0.0.1', port: 0, log: (line) => logLines.push(line), ...options })),
  };
}
