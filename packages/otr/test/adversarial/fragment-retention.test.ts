/**
 * Memory a hostile sender can make an account keep through fragments
 * (Protocol-v3, "Receiving Fragments"): only the pieces, counted as what is
 * really retained, never the texts that carried them. Measured with V8's
 * collector (enabled at run time as the fuzzers do) over the heap and the
 * array buffers.
 */
import { describe, expect, it } from 'vitest';
import { Account, Policies } from '../../src/index.js';
import { MAX_FRAGMENT_BYTES } from '../../src/limits.js';
import { Reassembler, STREAM_OVERHEAD_BYTES } from '../../src/session/reassembly.js';
import { testKey } from '../pair/harness.js';
import { findGc } from '../fuzz/engine.js';

const MiB = 1024 * 1024;

/** Heap and array-buffer bytes in use after a full collection. */
function retained(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** A text of about `size` characters whose end is the fragment k of a 65535-piece v3 message with a 16-character piece. */
function carrier(k: number, size: number): string {
  const marker = `?OTR|00000100|00000000,${k},65535,${'P'.repeat(15)}${k % 10},`;
  // A fresh filler each time, so that no two texts share memory.
  return `${k}:`.padEnd(size - marker.length, 'x') + marker;
}

describe('fragment pieces pin the whole received text', () => {
  it('texts of 1 MiB ending in fragment markers leave only their pieces behind', () => {
    const gc = findGc();
    expect(gc, 'the collector is needed to measure retained memory').toBeDefined();
    if (gc === undefined) return;
    const account = new Account({ privateKey: testKey('retention'), instanceTag: 0x1234, policy: Policies.OPPORTUNISTIC });
    const texts = 48;
    const before = retained(gc);
    for (let k = 1; k <= texts; k++) {
      const outcome = account.receive('mallory', carrier(k, MiB), 1000 + k);
      expect(outcome.events.filter((event) => event.kind === 'dropped')).toEqual([]);
    }
    // The stream is held (48 pieces of 16 characters), so its deadline is set.
    expect(account.nextDeadline()).toBeDefined();
    const growth = retained(gc) - before;
    // Pinned texts would be 48 MiB; the pieces and their stream are a few hundred bytes.
    expect(growth).toBeLessThan(4 * MiB);
    account.wipe();
  });

  it('the budget counts what a stream retains: its buffer capacity and overhead', () => {
    const reassembler = new Reassembler();
    const fragment = (index: number, piece: string) => ({ version: 3, senderTag: 0x100, receiverTag: 0, index, count: 65535, piece }) as const;
    reassembler.add('mallory', fragment(1, 'a'.repeat(16)), 0);
    expect(reassembler.heldLength).toBe(16);
    expect(reassembler.heldBytes).toBeGreaterThanOrEqual(16 + STREAM_OVERHEAD_BYTES);
    for (let k = 2; k <= 100; k++) reassembler.add('mallory', fragment(k, 'a'.repeat(16)), 0);
    expect(reassembler.heldLength).toBe(1600);
    // Doubling keeps the capacity within twice what was received.
    expect(reassembler.heldBytes).toBeGreaterThanOrEqual(1600 + STREAM_OVERHEAD_BYTES);
    expect(reassembler.heldBytes).toBeLessThanOrEqual(2 * 1600 + STREAM_OVERHEAD_BYTES + 200);
    // A piece is counted in the bytes it takes, not in characters.
    const wide = new Reassembler();
    wide.add('mallory', fragment(1, 'é'.repeat(MAX_FRAGMENT_BYTES / 2)), 0);
    expect(wide.heldLength).toBe(MAX_FRAGMENT_BYTES);
  });
});
