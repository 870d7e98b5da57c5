/**
 * Listening for MSRP connections, for a callee without a relay that the
 * caller connects to (Blink's caller is `a=setup:active`). Bound to the
 * local address of the SIP connection, on a port of the system's choosing;
 * a connection is matched to its session by the session id of the first
 * To-Path URI of its first request (msrplib's "sessmatch"), then handed
 * over with the bytes read so far.
 *
 * Bounds: connections at once (MAX_CONNECTIONS), connections not yet
 * matched (MAX_PENDING_CONNECTIONS, each given PENDING_TIMEOUT_MS and
 * MAX_PENDING_BYTES to show its first request's To-Path; when all are
 * taken, the one waiting longest is closed for the newcomer, so idle
 * sockets cannot lock a session's own connection out); anything else is
 * closed without an answer, and no session is affected.
 *
 * With a TLS context (msrps, certificate.ts) every connection is wrapped in
 * a server-side TLS socket as it comes in: the handshake counts against the
 * same pending bounds and time as the wait for the To-Path.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { parsePath } from '@sotto/msrp';
import { MsrpNetError } from './errors.js';

/** Connections the listener holds at once (matched ones included). */
export const MAX_CONNECTIONS = 64;
/** Connections waiting to show which session they are for. */
export const MAX_PENDING_CONNECTIONS = 16;
/** How long a new connection may take to show its first request's To-Path. */
export const PENDING_TIMEOUT_MS = 10_000;
/** Bytes read from a new connection while looking for its To-Path (Kamailio caps MSRP headers at 4096). */
export const MAX_PENDING_BYTES = 8 * 1024;

/** Takes a matched connection: the socket and the bytes already read from it. */
export type ConnectionTaker = (socket: Socket, bytes: Uint8Array) => void;

const START_LINE = /^MSRP [A-Za-z0-9][A-Za-z0-9.+%=-]{3,31} [A-Z]+$/;

/**
 * The session id the first request of `bytes` is for: undefined while more
 * bytes are needed, null when they cannot be an MSRP request with a To-Path.
 */
export function sessionIdOfFirstRequest(bytes: Uint8Array): string | undefined | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const lines = text.split('\r\n');
  const complete = lines.slice(0, -1); // the last piece has no CRLF yet
  if (complete.length === 0) return /^[ -~]*$/.test(text) ? undefined : null;
  if (!START_LINE.test(complete[0] ?? '')) return null;
  for (const line of complete.slice(1)) {
    if (line === '' || line.startsWith('-------')) return null; // headers ended without a To-Path
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    if (line.slice(0, colon).toLowerCase() !== 'to-path') continue;
    const path = parsePath(line.slice(colon + 1).trim());
    return path?.[0]?.sessionId ?? null;
  }
  return undefined;
}

/** An MSRP listener on one address. */
export class MsrpListener {
  readonly #server: Server;
  readonly #takers = new Map<string, ConnectionTaker>();
  /** The connections waiting for a match, oldest first: each one's drop. */
  readonly #waiting = new Set<() => void>();
  readonly #tls: SecureContext | undefined;
  #port = 0;

  private constructor(server: Server, tls: SecureContext | undefined) {
    this.#server = server;
    this.#tls = tls;
  }

  /** Listens on `host` (a port of the system's choosing); with `tls`, for MSRP over TLS with that context. */
  static listen(host: string, tls?: SecureContext): Promise<MsrpListener> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true });
      const listener = new MsrpListener(server, tls);
      server.maxConnections = MAX_CONNECTIONS;
      server.on('connection', (socket) => listener.#incoming(socket));
      server.once('error', (error: NodeJS.ErrnoException) => reject(new MsrpNetError('cannot-listen', `cannot listen for MSRP on ${host} (${error.code ?? 'error'})`)));
      server.listen({ host, port: 0 }, () => {
        const address = server.address();
        listener.#port = typeof address === 'object' && address !== null ? address.port : 0;
        server.on('error', () => undefined);
        resolve(listener);
      });
    });
  }

  get port(): number {
    return this.#port;
  }

  /** Connections waiting to be matched now. */
  get pendingConnections(): number {
    return this.#waiting.size;
  }

  /** Expects connections for `sessionId`; returns a function that stops expecting them. */
  expect(sessionId: string, take: ConnectionTaker): () => void {
    this.#takers.set(sessionId, take);
    return () => {
      if (this.#takers.get(sessionId) === take) this.#takers.delete(sessionId);
    };
  }

  close(): Promise<void> {
    this.#takers.clear();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #incoming(raw: Socket): void {
    const socket = this.#tls === undefined ? raw : new TLSSocket(raw, { isServer: true, secureContext: this.#tls });
    if (socket !== raw) raw.on('error', () => undefined);
    if (this.#waiting.size >= MAX_PENDING_CONNECTIONS) {
      // the one waiting longest gives way (it had the most time to show its To-Path)
      const oldest = this.#waiting.values().next().value;
      oldest?.();
    }
    let held = new Uint8Array(0);
    let settled = false;
    const settle = (): void => {
      settled = true;
      this.#waiting.delete(drop);
      clearTimeout(timer);
      socket.removeListener('data', onData);
    };
    const drop = (): void => {
      if (settled) return;
      settle();
      socket.destroy();
    };
    this.#waiting.add(drop);
    const timer = setTimeout(drop, PENDING_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      const next = new Uint8Array(held.length + chunk.length);
      next.set(held);
      next.set(chunk, held.length);
      held = next;
      const sessionId = sessionIdOfFirstRequest(held.subarray(0, MAX_PENDING_BYTES));
      if (sessionId === undefined) {
        if (held.length >= MAX_PENDING_BYTES) drop();
        return;
      }
      const take = sessionId === null ? undefined : this.#takers.get(sessionId);
      if (take === undefined) {
        drop();
        return;
      }
      settle();
      take(socket, held);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.once('close', drop);
  }
}
