/**
 * The echo-network relay: clients send (recipient, content); the relay
 * delivers (sender, content) to the recipient if connected, else drops the
 * frame. Addresses are the IPv4:PORT of each connection. Bounded in frame
 * size and client count; logs to the given logger (stderr by default).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder, type Frame } from './framing.js';

/** Relay settings. */
export interface RelayOptions {
  readonly host?: string;
  readonly port?: number;
  /** Largest content accepted (default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** Largest number of connected clients (default 256). */
  readonly maxClients?: number;
  readonly log?: (line: string) => void;
  /** Sees every frame the relay forwards (tests inspect the wire with it). */
  readonly onFrame?: (from: string, to: string, content: Buffer) => void;
}

/** One connection as {@link Relay.stats} reports it. */
export interface ConnectionStats {
  readonly address: string;
  /** Bytes accepted for this client and not yet handed to the operating system. */
  readonly queuedBytes: number;
}

/** What the relay holds right now (for tests and diagnostics). */
export interface RelayStats {
  readonly connections: readonly ConnectionStats[];
}

/** A running relay. */
export interface Relay {
  readonly host: string;
  readonly port: number;
  stats(): RelayStats;
  close(): Promise<void>;
}

function addressOf(socket: Socket): string {
  const host = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return `${host}:${socket.remotePort ?? 0}`;
}

/** Starts a relay; resolves once it listens. */
export function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const host = options.host ?? '127.0.0.1';
  const maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
  const maxClients = options.maxClients ?? 256;
  const log = options.log ?? ((line: string) => process.stderr.write(`relay: ${line}\n`));
  const clients = new Map<string, Socket>();
  const server: Server = createServer((socket) => {
    const address = addressOf(socket);
    if (clients.size >= maxClients) {
      log(`refusing ${address}: ${maxClients} clients connected`);
      socket.destroy();
      return;
    }
    clients.set(address, socket);
    log(`connected ${address}`);
    const decoder = new FrameDecoder(maxFrameBytes);
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        log(`closing ${address}: ${(error as Error).message}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        const target = clients.get(frame.address);
        options.onFrame?.(address, frame.address, frame.content);
        if (target === undefined) {
          log(`dropping frame from ${address} to unknown ${frame.address}`);
          continue;
        }
        target.write(encodeFrame(address, frame.content));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clients.delete(address);
      log(`disconnected ${address}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7878, host, () => {
      server.off('error', reject);
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : (options.port ?? 7878);
      resolve({
        host,
        port,
        stats: () => ({ connections: [...clients].map(([address, socket]) => ({ address, queuedBytes: socket.writableLength })) }),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of clients.values()) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
