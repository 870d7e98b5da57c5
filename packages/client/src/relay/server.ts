/**
 * The echo-network relay: clients send (recipient, content); the relay
 * delivers (sender, content) to the recipient if connected, else drops the
 * frame. Addresses are the IPv4:PORT of each connection. Bounded in frame
 * size, clients (in total and per remote address), bytes queued per client
 * and time (limits.ts); logs to the given logger (stderr by default), with
 * peer-controlled text escaped and repeated lines collapsed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeFrameHeader, FrameDecoder, MAX_FRAME_BYTES_LIMIT, type Frame } from './framing.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CLIENTS,
  DEFAULT_MAX_CLIENTS_PER_ADDRESS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_STALL_TIMEOUT_MS,
  MAX_SWEEP_INTERVAL_MS,
} from './limits.js';
import { escapeForLog, RateLimitedLog } from './log.js';
import { Outbox } from './outbox.js';

/** Relay settings (defaults and reasons in limits.ts). */
export interface RelayOptions {
  readonly host?: string;
  readonly port?: number;
  /** Largest content accepted (default 1 MiB, at most {@link MAX_FRAME_BYTES_LIMIT}). */
  readonly maxFrameBytes?: number;
  /** Largest number of connected clients (default 256). */
  readonly maxClients?: number;
  /** Largest number of clients from one remote address, an IPv6 one by its /64 (default 32). */
  readonly maxClientsPerAddress?: number;
  /** Bytes queued for a client beyond which frames to it are dropped (default 4 MiB). */
  readonly maxQueuedBytes?: number;
  /** A half-received frame, or a queue none of which is read, for this long closes the connection (default 30 s). */
  readonly stallTimeoutMs?: number;
  /** No traffic either way for this long closes the connection (default 1 hour). */
  readonly idleTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Sees every frame the relay forwards (tests inspect the wire with it). */
  readonly onFrame?: (from: string, to: string, content: Buffer) => void;
}

/** One connection as {@link Relay.stats} reports it. */
export interface ConnectionStats {
  readonly address: string;
  /** Bytes accepted for this client and not yet handed to the operating system (outbox.ts). */
  readonly queuedBytes: number;
  /** Bytes of a frame this client has begun to send. */
  readonly partialBytes: number;
}

/** What the relay holds right now (for tests and diagnostics). */
export interface RelayStats {
  readonly connections: readonly ConnectionStats[];
  /** Frames dropped so far because their recipient's queue was full. */
  readonly droppedFrames: number;
}

/** A running relay. */
export interface Relay {
  readonly host: string;
  readonly port: number;
  stats(): RelayStats;
  close(): Promise<void>;
}

interface Connection {
  readonly socket: Socket;
  readonly address: string;
  readonly group: string;
  readonly decoder: FrameDecoder;
  readonly outbox: Outbox;
  /** Last byte received from the client. */
  lastReceived: number;
  /** Last time queued bytes were handed to the operating system, or the queue began. */
  lastFlushed: number;
}

function addressOf(socket: Socket): string {
  const host = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return `${host}:${socket.remotePort ?? 0}`;
}

/**
 * The key that the per-address cap counts a client under: an IPv4 address
 * itself, an IPv6 address by its /64 (one host commonly holds a whole /64).
 */
export function addressGroup(remoteAddress: string): string {
  const ip = remoteAddress.replace(/^::ffff:(?=\d+\.)/i, '').replace(/%.*$/, '');
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::', 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0');
  const groups = [...headGroups, ...fill, ...tailGroups].slice(0, 4);
  return `${groups.map((group) => (Number.parseInt(group, 16) || 0).toString(16)).join(':')}::/64`;
}

function positive(value: number | undefined, fallback: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 1 || chosen > max) throw new RangeError(`relay: ${what} must be a whole number from 1 to ${max}, got ${chosen}`);
  return chosen;
}

/** Starts a relay; resolves once it listens. Rejects with a RangeError for a setting out of range. */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const host = options.host ?? '127.0.0.1';
  const maxFrameBytes = positive(options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES, 'the largest frame', MAX_FRAME_BYTES_LIMIT);
  const maxClients = positive(options.maxClients, DEFAULT_MAX_CLIENTS, 'the client limit');
  const maxPerAddress = positive(options.maxClientsPerAddress, DEFAULT_MAX_CLIENTS_PER_ADDRESS, 'the per-address client limit');
  const maxQueuedBytes = positive(options.maxQueuedBytes, DEFAULT_MAX_QUEUED_BYTES, 'the queue limit');
  const stallTimeoutMs = positive(options.stallTimeoutMs, DEFAULT_STALL_TIMEOUT_MS, 'the stall timeout');
  const idleTimeoutMs = positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'the idle timeout');
  const sink = options.log ?? ((line: string) => process.stderr.write(`relay: ${line}\n`));
  const log = new RateLimitedLog(sink);
  const clients = new Map<string, Connection>();
  const perGroup = new Map<string, number>();
  let droppedFrames = 0;

  const forward = (from: Connection, frame: Frame, now: number): void => {
    options.onFrame?.(from.address, frame.address, frame.content);
    const target = clients.get(frame.address);
    if (target === undefined) {
      log.line('unknown recipient', `dropping frame from ${from.address} to unknown ${escapeForLog(frame.address)}`);
      return;
    }
    const header = encodeFrameHeader(from.address, frame.content.length);
    const size = header.length + frame.content.length;
    const queued = target.outbox.queuedBytes;
    // An empty queue takes any frame, so a frame larger than the limit still reaches a client that reads.
    if (queued > 0 && queued + size > maxQueuedBytes) {
      droppedFrames++;
      log.line('queue full', `dropping frame from ${from.address} to ${target.address}: ${queued} bytes wait for it already (not reading?)`);
      return;
    }
    if (queued === 0) target.lastFlushed = now;
    target.outbox.push(header, frame.content);
  };

  const server: Server = createServer((socket) => {
    const address = addressOf(socket);
    const group = addressGroup(socket.remoteAddress ?? '');
    if (clients.size >= maxClients) {
      log.line('refused', `refusing ${address}: ${maxClients} clients connected`);
      socket.destroy();
      return;
    }
    const fromGroup = perGroup.get(group) ?? 0;
    if (fromGroup >= maxPerAddress) {
      log.line('refused', `refusing ${address}: ${maxPerAddress} clients connected from ${group}`);
      socket.destroy();
      return;
    }
    perGroup.set(group, fromGroup + 1);
    const now = Date.now();
    const connection: Connection = {
      socket,
      address,
      group,
      decoder: new FrameDecoder(maxFrameBytes),
      outbox: new Outbox(socket, () => (connection.lastFlushed = Date.now())),
      lastReceived: now,
      lastFlushed: now,
    };
    clients.set(address, connection);
    socket.setKeepAlive(true, 60_000);
    log.line('connected', `connected ${address}`);
    socket.on('data', (chunk: Buffer) => {
      const received = Date.now();
      connection.lastReceived = received;
      let frames: Frame[];
      try {
        frames = connection.decoder.push(chunk);
      } catch (error) {
        log.line('closing', `closing ${address}: ${escapeForLog((error as Error).message)}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) forward(connection, frame, received);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clients.delete(address);
      const left = (perGroup.get(group) ?? 1) - 1;
      if (left === 0) perGroup.delete(group);
      else perGroup.set(group, left);
      log.line('disconnected', `disconnected ${address}`);
    });
  });

  const sweep = (): void => {
    const now = Date.now();
    for (const connection of clients.values()) {
      const { socket, address, decoder, outbox } = connection;
      let reason: string | undefined;
      if (decoder.pendingBytes > 0 && now - connection.lastReceived >= stallTimeoutMs) reason = `stalled in the middle of a frame for ${stallTimeoutMs} ms`;
      else if (outbox.queuedBytes > 0 && now - connection.lastFlushed >= stallTimeoutMs) reason = `not reading: ${outbox.queuedBytes} bytes unread for ${stallTimeoutMs} ms`;
      else if (now - Math.max(connection.lastReceived, connection.lastFlushed) >= idleTimeoutMs) reason = `idle for ${idleTimeoutMs} ms`;
      if (reason === undefined) continue;
      log.line('timeout', `closing ${address}: ${reason}`);
      socket.destroy();
    }
    log.tick();
  };
  const sweepIntervalMs = Math.max(1, Math.min(MAX_SWEEP_INTERVAL_MS, Math.floor(Math.min(stallTimeoutMs, idleTimeoutMs) / 4)));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7878, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const timer = setInterval(sweep, sweepIntervalMs);
  timer.unref();
  const bound = server.address();
  return {
    host,
    port: typeof bound === 'object' && bound !== null ? bound.port : (options.port ?? 7878),
    stats: () => ({
      connections: [...clients.values()].map((connection) => ({
        address: connection.address,
        queuedBytes: connection.outbox.queuedBytes,
        partialBytes: connection.decoder.pendingBytes,
      })),
      droppedFrames,
    }),
    close: () =>
      new Promise<void>((done) => {
        clearInterval(timer);
        for (const connection of clients.values()) connection.socket.destroy();
        server.close(() => {
          log.flush();
          done();
        });
      }),
  };
}
