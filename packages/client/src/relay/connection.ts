/**
 * A client's connection to an echo-network relay: frames out, frames in.
 * Our address is our local socket address, as the relay sees it on loopback.
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from './framing.js';

/** An open relay connection. */
export interface RelayConnection {
  /** Our address on the echo network (IPv4:PORT). */
  readonly address: string;
  send(to: string, text: string): void;
  close(): void;
}

/** Connection settings. */
export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Connect from this local port (retrying while an old connection lingers). */
  readonly localPort?: number;
  readonly onMessage: (from: string, text: string) => void;
  readonly onClose: (reason: string) => void;
}

const MAX_FRAME_BYTES = 16 * 1024 * 1024;

function attempt(options: ConnectOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port, ...(options.localPort !== undefined ? { localPort: options.localPort, localAddress: options.host } : {}) });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Connects to the relay, retrying for a few seconds when the local port is still in use. */
export async function connectToRelay(options: ConnectOptions): Promise<RelayConnection> {
  const deadline = Date.now() + 10_000;
  let socket: Socket | undefined;
  for (;;) {
    try {
      socket = await attempt(options);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (options.localPort === undefined || (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL') || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const live = socket;
  const decoder = new FrameDecoder(MAX_FRAME_BYTES);
  live.on('data', (chunk: Buffer) => {
    try {
      for (const frame of decoder.push(chunk)) options.onMessage(frame.address, frame.content.toString('utf8'));
    } catch (error) {
      live.destroy();
      options.onClose(`bad frame from relay: ${(error as Error).message}`);
    }
  });
  live.on('error', () => undefined);
  live.on('close', () => options.onClose('relay connection closed'));
  return {
    address: `${(live.localAddress ?? '').replace(/^::ffff:/, '')}:${live.localPort ?? 0}`,
    send: (to, text) => live.write(encodeFrame(to, text)),
    close: () => live.destroy(),
  };
}
