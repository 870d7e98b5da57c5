/**
 * One MSRP connection: writes frames with a bounded write queue, hands
 * received bytes to whoever holds it now (bytes arriving while nobody does
 * wait, bounded), and reports its end once.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MsrpNetError } from './errors.js';

/** Bytes queued for writing beyond which the connection is closed (a peer that stops reading). */
export const MAX_QUEUED_WRITE_BYTES = 4 * 1024 * 1024;
/** Bytes that may arrive before the session takes the connection over. */
export const MAX_EARLY_BYTES = 64 * 1024;

/** A connection carrying one MSRP session (or a relay AUTH, then its session). */
export class MsrpLink {
  #onData: ((bytes: Uint8Array) => void) | undefined;
  #early: Uint8Array[] = [];
  #earlyBytes = 0;
  #closed = false;
  readonly #closeListeners = new Set<(error: MsrpNetError | undefined) => void>();

  constructor(readonly socket: Socket | TLSSocket, initial: readonly Uint8Array[] = []) {
    for (const bytes of initial) this.#take(bytes);
    socket.on('data', (chunk: Buffer) => this.#take(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.#end(this.#closed ? undefined : new MsrpNetError('connection-lost', 'the MSRP connection closed')));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Who gets the bytes from now on (what arrived before is handed over first). */
  receiveWith(onData: (bytes: Uint8Array) => void): void {
    this.#onData = onData;
    const early = this.#early;
    this.#early = [];
    this.#earlyBytes = 0;
    for (const bytes of early) onData(bytes);
  }

  /** Bytes wait (bounded) until the next `receiveWith`. */
  hold(): void {
    this.#onData = undefined;
  }

  /** Called once when the connection ends (with the error when it was not closed by us). */
  onClose(listener: (error: MsrpNetError | undefined) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Writes frames in order; false (and the connection closed) when the peer does not read them. */
  write(frames: readonly Uint8Array[]): boolean {
    if (this.#closed) return false;
    for (const frame of frames) this.socket.write(frame);
    if (this.socket.writableLength > MAX_QUEUED_WRITE_BYTES) {
      this.#end(new MsrpNetError('overflow', 'the MSRP peer does not read what we send'));
      return false;
    }
    return true;
  }

  /** Resolves once what was written has left (or the connection ended). */
  flushed(): Promise<void> {
    if (this.#closed || this.socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onClose(() => resolve());
      // An empty write's callback runs once everything queued before it was handed to the system ('drain' comes only after a refused write).
      this.socket.write(new Uint8Array(0), () => {
        off();
        resolve();
      });
    });
  }

  close(): void {
    this.#end(undefined);
  }

  #take(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (this.#onData !== undefined) {
      this.#onData(bytes);
      return;
    }
    this.#earlyBytes += bytes.length;
    if (this.#earlyBytes > MAX_EARLY_BYTES) {
      this.#end(new MsrpNetError('overflow', 'too many MSRP bytes before the session started'));
      return;
    }
    this.#early.push(Uint8Array.from(bytes));
  }

  #end(error: MsrpNetError | undefined): void {
    const first = !this.#closed;
    this.#closed = true;
    this.socket.destroy();
    if (!first && error === undefined) return;
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    for (const listener of listeners) listener(error);
  }
}
