/**
 * SIP over TCP and TLS for SIP.js 0.21.2 (its `Transport` interface): one
 * connection to the outbound proxy, Content-Length framing in bytes
 * (framing.ts), RFC 5626 CRLF keep-alives, bounded buffers, typed errors.
 *
 * TLS verifies the server against the system's CAs (plus an account's extra
 * CA file) and its name; `trustedFingerprint256` instead accepts exactly one
 * certificate, by SHA-256 fingerprint, for a self-hosted server.
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { Emitter, Transport } from 'sip.js';
import type { Logger } from 'sip.js/lib/core/index.js';
import { TransportState } from 'sip.js';
import { DEFAULT_SIP_FRAMING_LIMITS, SipFramingError, SipStreamDecoder, type SipFramingLimits } from './framing.js';

export type SipTransportKind = 'tcp' | 'tls';

export interface SipTlsOptions {
  /** A PEM file of extra CAs, trusted besides the system's. */
  readonly caFile?: string | undefined;
  /** Extra CAs as PEM text (besides caFile and the system's). */
  readonly caPem?: string | undefined;
  /**
   * Trust exactly the certificate with this SHA-256 fingerprint (hex, with or
   * without colons), whoever signed it and whatever name it carries. For a
   * self-hosted server with a self-signed certificate; off by default.
   */
  readonly trustedFingerprint256?: string | undefined;
  /** The name to verify (and send as SNI); default: the host. */
  readonly serverName?: string | undefined;
}

export interface SipTransportOptions {
  readonly kind: SipTransportKind;
  readonly host: string;
  readonly port: number;
  readonly tls?: SipTlsOptions | undefined;
  readonly limits?: SipFramingLimits | undefined;
  /** Interval of CRLFCRLF keep-alive pings; 0 turns them off. Default 30 s. */
  readonly keepAliveIntervalMs?: number | undefined;
  /** A message begun but not finished within this time is an error. Default 32 s (Timer F). */
  readonly incompleteMessageTimeoutMs?: number | undefined;
  /** Connecting (TCP and TLS handshake) may take this long. Default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
  /** Bytes queued for writing beyond which sending fails. Default 1 MiB. */
  readonly maxQueuedWriteBytes?: number | undefined;
  /** Every error of this transport, typed. */
  readonly onError?: ((error: SipTransportError) => void) | undefined;
}

export type SipTransportErrorCode =
  | 'connect-failed' // TCP connect refused/unreachable, or timed out
  | 'tls-untrusted' // the server's certificate did not verify (or did not match the pinned fingerprint)
  | 'ca-file' // the CA file could not be read
  | 'not-connected' // send() while not connected
  | 'write-overflow' // the peer does not read: too much queued
  | 'incomplete-message' // a message begun and not finished in time
  | 'truncated' // the connection closed in the middle of a message
  | 'message-rejected' // SIP.js could not take a framed message
  | 'connection-lost' // the connection closed or failed
  | `framing:${SipFramingError['code']}`;

/** A typed SIP transport error. Messages carry no peer bytes. */
export class SipTransportError extends Error {
  constructor(readonly code: SipTransportErrorCode, message: string) {
    super(message);
    this.name = 'SipTransportError';
  }
}

const DEFAULT_KEEPALIVE_MS = 30_000;
const DEFAULT_INCOMPLETE_MS = 32_000;
const DEFAULT_CONNECT_MS = 10_000;
const DEFAULT_MAX_QUEUED = 1024 * 1024;

/** The SHA-256 fingerprint as upper-case hex with colons (Node's `fingerprint256` form). */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new SipTransportError('tls-untrusted', 'a SHA-256 fingerprint is 64 hex digits');
  return hex.match(/../g)?.join(':') ?? '';
}

class SimpleEmitter<T> implements Emitter<T> {
  private readonly listeners = new Set<(data: T) => void>();
  addListener(listener: (data: T) => void, options?: { once?: boolean }): void {
    if (options?.once === true) {
      const once = (data: T) => {
        this.listeners.delete(once);
        listener(data);
      };
      this.listeners.add(once);
    } else {
      this.listeners.add(listener);
    }
  }
  removeListener(listener: (data: T) => void): void {
    this.listeners.delete(listener);
  }
  on(listener: (data: T) => void): void {
    this.addListener(listener);
  }
  off(listener: (data: T) => void): void {
    this.removeListener(listener);
  }
  once(listener: (data: T) => void): void {
    this.addListener(listener, { once: true });
  }
  emit(data: T): void {
    for (const listener of [...this.listeners]) listener(data);
  }
}

/** SIP.js `transportConstructor`: `new SipStreamTransport(logger, options)`. */
export class SipStreamTransport implements Transport {
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  readonly stateChange = new SimpleEmitter<TransportState>();
  private stateValue: TransportState = TransportState.Disconnected;
  private socket: Socket | TLSSocket | undefined;
  private decoder: SipStreamDecoder;
  private keepAlive: NodeJS.Timeout | undefined;
  private incompleteTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private disposed = false;
  /** The last error, for hosts that poll. */
  lastError: SipTransportError | undefined;

  constructor(_logger: Logger | undefined, readonly options: SipTransportOptions) {
    this.decoder = new SipStreamDecoder(options.limits ?? DEFAULT_SIP_FRAMING_LIMITS);
  }

  get protocol(): string {
    return this.options.kind === 'tls' ? 'TLS' : 'TCP';
  }

  /** The local IP address of the connection to the proxy (where an MSRP listener can be reached from the same network), while connected. */
  get localAddress(): string | undefined {
    return this.socket?.localAddress;
  }

  get state(): TransportState {
    return this.stateValue;
  }

  isConnected(): boolean {
    return this.stateValue === TransportState.Connected;
  }

  private setState(state: TransportState, error?: Error): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    if (state === TransportState.Connected) this.onConnect?.();
    if (state === TransportState.Disconnected) this.onDisconnect?.(error);
    this.stateChange.emit(state);
  }

  private report(error: SipTransportError): SipTransportError {
    this.lastError = error;
    this.options.onError?.(error);
    return error;
  }

  connect(): Promise<void> {
    if (this.disposed) return Promise.reject(new SipTransportError('not-connected', 'the transport was disposed'));
    if (this.stateValue === TransportState.Connected) return Promise.resolve();
    if (this.connecting !== undefined) return this.connecting;
    this.connecting = this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private tlsCa(): string[] | undefined {
    const tls = this.options.tls;
    const extra: string[] = [];
    if (tls?.caFile !== undefined) {
      try {
        extra.push(readFileSync(tls.caFile, 'utf8'));
      } catch {
        throw this.report(new SipTransportError('ca-file', 'cannot read the CA file'));
      }
    }
    if (tls?.caPem !== undefined) extra.push(tls.caPem);
    return extra.length === 0 ? undefined : [...rootCertificates, ...extra];
  }

  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const { kind, host, port } = this.options;
      let pinned: string | undefined;
      let ca: string[] | undefined;
      try {
        pinned = this.options.tls?.trustedFingerprint256 === undefined ? undefined : normalizeFingerprint(this.options.tls.trustedFingerprint256);
        ca = kind === 'tls' ? this.tlsCa() : undefined;
      } catch (error) {
        reject(error instanceof SipTransportError ? this.report(error) : new SipTransportError('connect-failed', 'cannot prepare the connection'));
        return;
      }
      this.decoder = new SipStreamDecoder(this.options.limits ?? DEFAULT_SIP_FRAMING_LIMITS);
      this.setState(TransportState.Connecting);
      let settled = false;
      const fail = (error: SipTransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        this.socket = undefined;
        this.setState(TransportState.Disconnected, this.report(error));
        reject(error);
      };
      const ready = () => {
        if (settled) return;
        if (pinned !== undefined) {
          const presented = (socket as TLSSocket).getPeerCertificate().fingerprint256;
          if (presented !== pinned) {
            fail(new SipTransportError('tls-untrusted', 'the server certificate is not the trusted one'));
            return;
          }
        }
        settled = true;
        clearTimeout(timer);
        this.startKeepAlive();
        this.setState(TransportState.Connected);
        resolve();
      };
      const serverName = this.options.tls?.serverName ?? host;
      const socket: Socket | TLSSocket = kind === 'tls'
        ? tlsConnect({
          host, port, ca,
          servername: isIP(serverName) === 0 ? serverName : undefined,
          rejectUnauthorized: pinned === undefined,
        }, ready)
        : tcpConnect({ host, port }, ready);
      this.socket = socket;
      const timer = setTimeout(() => fail(new SipTransportError('connect-failed', `no connection to ${host}:${port} in time`)),
        this.options.connectTimeoutMs ?? DEFAULT_CONNECT_MS);
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.receive(chunk));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (!settled) {
          const untrusted = kind === 'tls' && (error.code?.startsWith('ERR_TLS') === true || /CERT|SIGNATURE|ISSUER|SELF_SIGNED/.test(error.code ?? ''));
          fail(new SipTransportError(untrusted ? 'tls-untrusted' : 'connect-failed',
            untrusted ? `the server certificate did not verify (${error.code ?? 'TLS error'})` : `cannot connect to ${host}:${port} (${error.code ?? 'error'})`));
        }
        // after connecting, 'close' follows and reports the loss
      });
      socket.on('close', () => {
        if (!settled) {
          fail(new SipTransportError('connect-failed', `connection to ${host}:${port} closed while connecting`));
          return;
        }
        if (this.socket !== socket) return;
        this.closed(this.decoder.pendingBytes > 0
          ? new SipTransportError('truncated', 'the connection closed in the middle of a SIP message')
          : new SipTransportError('connection-lost', 'the SIP connection closed'));
      });
    });
  }

  private closed(error: SipTransportError | undefined): void {
    this.stopTimers();
    this.socket = undefined;
    this.setState(TransportState.Disconnected, error === undefined ? undefined : this.report(error));
  }

  private fatal(error: SipTransportError): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    this.closed(error);
  }

  private receive(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      if (error instanceof SipFramingError) {
        this.fatal(new SipTransportError(`framing:${error.code}`, error.message));
        return;
      }
      throw error;
    }
    for (const frame of frames) {
      if (this.socket === undefined) return;
      switch (frame.kind) {
        case 'ping':
          this.socket.write('\r\n');
          break;
        case 'pong':
          break;
        case 'message':
          try {
            this.onMessage?.(frame.text);
          } catch {
            this.report(new SipTransportError('message-rejected', 'a SIP message could not be handled'));
          }
          break;
      }
    }
    const error = this.decoder.error;
    if (error !== undefined && this.socket !== undefined) {
      this.fatal(new SipTransportError(`framing:${error.code}`, error.message));
      return;
    }
    this.watchIncomplete();
  }

  private watchIncomplete(): void {
    if (this.decoder.pendingBytes === 0) {
      clearTimeout(this.incompleteTimer);
      this.incompleteTimer = undefined;
      return;
    }
    if (this.incompleteTimer !== undefined) return;
    this.incompleteTimer = setTimeout(() => {
      this.incompleteTimer = undefined;
      if (this.decoder.pendingBytes > 0) this.fatal(new SipTransportError('incomplete-message', 'a SIP message was not finished in time'));
    }, this.options.incompleteMessageTimeoutMs ?? DEFAULT_INCOMPLETE_MS);
  }

  private startKeepAlive(): void {
    const interval = this.options.keepAliveIntervalMs ?? DEFAULT_KEEPALIVE_MS;
    if (interval <= 0) return;
    this.keepAlive = setInterval(() => {
      if (this.socket !== undefined && this.isConnected()) this.socket.write('\r\n\r\n');
    }, interval);
    this.keepAlive.unref();
  }

  private stopTimers(): void {
    clearInterval(this.keepAlive);
    clearTimeout(this.incompleteTimer);
    this.keepAlive = undefined;
    this.incompleteTimer = undefined;
  }

  send(message: string): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || !this.isConnected()) {
      return Promise.reject(this.report(new SipTransportError('not-connected', 'the SIP connection is not open')));
    }
    if (socket.writableLength > (this.options.maxQueuedWriteBytes ?? DEFAULT_MAX_QUEUED)) {
      const error = new SipTransportError('write-overflow', 'the SIP server does not read what we send');
      this.fatal(error);
      return Promise.reject(error);
    }
    socket.write(message);
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.resolve();
    this.socket = undefined;
    this.stopTimers();
    if (socket.destroyed) {
      this.setState(TransportState.Disconnected);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
      this.setState(TransportState.Disconnected);
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.disconnect();
  }
}
