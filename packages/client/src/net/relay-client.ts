/**
 * A client's connection to an echo-network relay (shared/interop/DRIVER.md,
 * "Transport"): frames (recipient, text) out, (sender, text) in. Our address
 * is our local socket address, which on loopback is what the relay sees.
 * With a fixed local port the connection is retried for a few seconds while
 * the previous run's socket lingers (Node binds with SO_REUSEADDR).
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES_LIMIT } from '../relay/framing.js';

/** An open relay connection. */
export interface RelayConnection {
  /** Our address on the echo network (IPv4:PORT). */
  readonly address: string;
  /** Sends `text` to `to` (dropped by the relay if `to` is not connected). */
  send(to: string, text: string): void;
  /** Sends what is queued, then closes; resolves once closed. */
  close(): Promise<void>;
}

/** Where and how to connect. */
export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Connect from this local port. */
  readonly localPort?: number;
  /** How long to keep retrying a busy local port (default 10 s). */
  readonly retryForMs?: number;
  readonly onMessage: (from: string, text: string) => void;
  /** The connection ended (`reason` is for the user); not called after `close()`. */
  readonly onClose: (reason: string) => void;
}

const RETRY_INTERVAL_MS = 200;
/** How long a closing connection may take to flush before it is cut. */
const CLOSE_GRACE_MS = 1000;

function attempt(options: ConnectOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port, ...(options.localPort === undefined ? {} : { localPort: options.localPort }) });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

const RETRYABLE = new Set(['EADDRINUSE', 'EADDRNOTAVAIL']);

/** Connects, retrying while a fixed local port is still busy. Rejects with the socket error otherwise. */
export async function connectToRelay(options: ConnectOptions): Promise<RelayConnection> {
  const giveUpAt = Date.now() + (options.retryForMs ?? 10_000);
  let socket: Socket;
  for (;;) {
    try {
      socket = await attempt(options);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (options.localPort === undefined || !RETRYABLE.has(code) || Date.now() >= giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    }
  }
  return wrap(socket, options);
}

function wrap(socket: Socket, options: ConnectOptions): RelayConnection {
  socket.setNoDelay(true);
  const decoder = new FrameDecoder(MAX_FRAME_BYTES_LIMIT);
  let closedByUs = false;
  let reason = 'the relay closed the connection';
  socket.on('data', (chunk: Buffer) => {
    let frames;
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      reason = `the relay sent a bad frame (${(error as Error).message})`;
      socket.destroy();
      return;
    }
    for (const frame of frames) options.onMessage(frame.address, frame.content.toString('utf8'));
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    reason = `lost the relay connection (${error.code ?? error.message})`;
  });
  socket.on('close', () => {
    if (!closedByUs) options.onClose(reason);
  });
  const host = (socket.localAddress ?? '').replace(/^::ffff:/, '');
  return {
    address: `${host}:${socket.localPort ?? 0}`,
    send: (to, text) => {
      if (!socket.destroyed) socket.write(encodeFrame(to, text));
    },
    close: () =>
      new Promise<void>((resolve) => {
        closedByUs = true;
        if (socket.destroyed) {
          resolve();
          return;
        }
        socket.once('close', () => resolve());
        // end() flushes what is queued (a disconnect TLV on quit) before closing.
        socket.end();
        setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      }),
  };
}
