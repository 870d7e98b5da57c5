/**
 * The relay's per-client outbox hands the socket one slice at a time, so that
 * a slow reader's progress is seen slice by slice (and it is not taken for a
 * client that does not read), and it counts what it holds.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Outbox, WRITE_SLICE_BYTES } from '../../src/relay/outbox.js';

/** A socket that records each batch of writes and completes it when told to. */
function fakeSocket(): { socket: Socket; batches: Buffer[][]; complete(): void } {
  const batches: Buffer[][] = [];
  let current: Buffer[] = [];
  let pending: ((error?: Error | null) => void) | undefined;
  const socket = {
    destroyed: false,
    cork: () => (current = []),
    uncork: () => batches.push(current),
    write: (piece: Buffer, done?: (error?: Error | null) => void) => {
      current.push(piece);
      if (done) pending = done;
      return true;
    },
  } as unknown as Socket;
  return {
    socket,
    batches,
    complete: () => {
      const done = pending;
      pending = undefined;
      done?.(null);
    },
  };
}

describe('Outbox', () => {
  it('writes one slice at a time, in order, and counts what it holds until each is handed over', () => {
    const fake = fakeSocket();
    let progress = 0;
    const outbox = new Outbox(fake.socket, () => progress++);
    const big = Buffer.alloc(WRITE_SLICE_BYTES * 2 + 10, 0x61);
    outbox.push(Buffer.from('head'), big, Buffer.from('tail'));
    expect(outbox.queuedBytes).toBe(4 + big.length + 4);
    expect(fake.batches).toHaveLength(1);
    const sizes = (): number[] => fake.batches.map((batch) => batch.reduce((sum, piece) => sum + piece.length, 0));
    expect(sizes()).toEqual([WRITE_SLICE_BYTES]);
    fake.complete();
    expect(progress).toBe(1);
    expect(outbox.queuedBytes).toBe(4 + big.length + 4 - WRITE_SLICE_BYTES);
    fake.complete();
    expect(sizes()).toEqual([WRITE_SLICE_BYTES, WRITE_SLICE_BYTES, 14 + 4]);
    expect(outbox.queuedBytes).toBe(14 + 4);
    fake.complete();
    expect(outbox.queuedBytes).toBe(0);
    expect(progress).toBe(3);
    expect(fake.batches).toHaveLength(3);
    expect(Buffer.concat(fake.batches.flat()).equals(Buffer.concat([Buffer.from('head'), big, Buffer.from('tail')]))).toBe(true);
  });
});
