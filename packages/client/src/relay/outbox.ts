/**
 * What the relay has accepted for one client and not yet handed to the
 * operating system. It gives the socket at most {@link WRITE_SLICE_BYTES} at a
 * time, so that the relay knows how much is queued and sees a slow reader's
 * progress slice by slice (a socket reports a batch of writes done only when
 * all of it is).
 */
import type { Socket } from 'node:net';

/** Most bytes handed to the socket at once. */
export const WRITE_SLICE_BYTES = 64 * 1024;

export class Outbox {
  readonly #queue: Buffer[] = [];
  #queuedBytes = 0;
  #writing = false;

  /** `onProgress` is called each time a slice has been handed over. */
  constructor(
    private readonly socket: Socket,
    private readonly onProgress: () => void,
  ) {}

  /** Bytes accepted and not yet handed over (the slice being written included). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Queues `pieces` (not copied: they must not change afterwards). */
  push(...pieces: Buffer[]): void {
    for (const piece of pieces) {
      if (piece.length === 0) continue;
      this.#queue.push(piece);
      this.#queuedBytes += piece.length;
    }
    this.#pump();
  }

  #pump(): void {
    if (this.#writing || this.#queue.length === 0 || this.socket.destroyed) return;
    const slice: Buffer[] = [];
    let size = 0;
    for (let piece = this.#queue[0]; piece !== undefined && size < WRITE_SLICE_BYTES; piece = this.#queue[0]) {
      const room = WRITE_SLICE_BYTES - size;
      if (piece.length <= room) {
        slice.push(piece);
        this.#queue.shift();
        size += piece.length;
      } else {
        slice.push(piece.subarray(0, room));
        this.#queue[0] = piece.subarray(room);
        size += room;
      }
    }
    this.#writing = true;
    this.socket.cork();
    slice.forEach((piece, i) => {
      this.socket.write(piece, i < slice.length - 1 ? undefined : (error) => this.#written(size, error));
    });
    this.socket.uncork();
  }

  #written(size: number, error: Error | null | undefined): void {
    this.#writing = false;
    if (error) return;
    this.#queuedBytes -= size;
    this.onProgress();
    this.#pump();
  }
}
