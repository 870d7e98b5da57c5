/**
 * Bounds of the OTRv4 double ratchet: ratchet and message ids far in the
 * future are refused before any key is derived (KDF and scalar
 * multiplications counted, no timings), one message derives at most MAX_SKIP
 * keys, and the skipped-key store keeps at most MAX_STORED_SKIPPED_KEYS,
 * evicting the oldest with an event and revealing their MAC keys.
 */
import { describe, expect, it, vi } from 'vitest';
import { ed448OperationCounts, resetEd448OperationCounts } from '../../../src/crypto/v4/ed448.js';
import { MAX_SKIP, MAX_STORED_SKIPPED_KEYS } from '../../../src/v4/ratchet/index.js';
import { deliver, makePair, openRaw, progress, refused, send, tamper } from './ratchet-pair.js';

const counter = vi.hoisted(() => ({ kdf: 0 }));
vi.mock('../../../src/crypto/v4/kdf.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/crypto/v4/kdf.js')>();
  return {
    ...original,
    kdf: (...args: Parameters<typeof original.kdf>) => {
      counter.kdf++;
      return original.kdf(...args);
    },
  };
});

function derivationsFor(run: () => unknown): { kdf: number; scalarMultiplications: number } {
  counter.kdf = 0;
  resetEd448OperationCounts();
  run();
  const counts = ed448OperationCounts();
  return { kdf: counter.kdf, scalarMultiplications: counts.baseMultiplications + counts.pointMultiplications + counts.subgroupChecks };
}

describe('ids far in the future are refused cheaply', () => {
  it('a message id far ahead in the current chain derives no key', () => {
    const { alice, bob } = makePair('far-message');
    const sent = send(alice, 'x');
    const before = progress(bob.state);
    const cost = derivationsFor(() => {
      expect(refused(bob, tamper(sent.message, { messageId: 0xffffffff }))).toBe('message-id-out-of-range');
      expect(refused(bob, tamper(sent.message, { messageId: MAX_SKIP + 1 }))).toBe('message-id-out-of-range');
    });
    expect(cost).toEqual({ kdf: 0, scalarMultiplications: 0 });
    expect(progress(bob.state)).toEqual(before);
    deliver(bob, sent);
  });

  it('a ratchet id far in the future derives nothing and does no scalar multiplication', () => {
    const { alice, bob } = makePair('far-ratchet');
    deliver(bob, send(alice, 'a'));
    const reply = send(bob, 'b');
    const cost = derivationsFor(() => {
      for (const ratchetId of [2, 3, 1000, 0xffffffff]) expect(refused(alice, tamper(reply.message, { ratchetId }))).toBe('ratchet-id-out-of-range');
      expect(refused(alice, tamper(reply.message, { messageId: MAX_SKIP + 1 }))).toBe('message-id-out-of-range');
    });
    expect(cost).toEqual({ kdf: 0, scalarMultiplications: 0 });
    deliver(alice, reply);
    const next = send(alice, 'c');
    const pnCost = derivationsFor(() => {
      expect(refused(bob, tamper(next.message, { previousChainLength: 0xffffffff }))).toBe('message-id-out-of-range');
      expect(refused(bob, tamper(next.message, { previousChainLength: MAX_SKIP, messageId: 2 }))).toBe('message-id-out-of-range');
    });
    expect(pnCost).toEqual({ kdf: 0, scalarMultiplications: 0 });
    deliver(bob, next);
  });

  it('a message that skips MAX_SKIP keys derives a bounded number of keys (three KDF calls per skipped key)', () => {
    const { alice, bob } = makePair('max-skip');
    const all = Array.from({ length: MAX_SKIP + 1 }, (_, n) => send(alice, `m${n}`));
    const last = all[MAX_SKIP];
    if (last === undefined) throw new Error('unreachable');
    const cost = derivationsFor(() => deliver(bob, last));
    // Per skipped key MKenc, extra key, next chain key; then MKenc, MKmac and the next chain key of the message itself.
    expect(cost.kdf).toBe(3 * MAX_SKIP + 3);
    expect(bob.state.skipped.size).toBe(MAX_SKIP);
  });
});

describe('the skipped-key store is bounded', () => {
  it('skipped-key bound and eviction: the oldest keys go first, reported, wiped and their MAC keys revealed', () => {
    expect(MAX_STORED_SKIPPED_KEYS).toBeGreaterThanOrEqual(1000);
    const { alice, bob } = makePair('eviction');
    const old = Array.from({ length: MAX_STORED_SKIPPED_KEYS + 1 }, (_, n) => send(alice, `old ${n}`));
    const lastOld = old[MAX_STORED_SKIPPED_KEYS];
    if (lastOld === undefined) throw new Error('unreachable');
    deliver(bob, lastOld);
    expect(bob.state.skipped.size).toBe(MAX_STORED_SKIPPED_KEYS);
    const doomed = [0, 1, 2].map((messageId) => bob.state.skipped.peek({ ratchetId: 0, messageId }));
    deliver(alice, send(bob, 'reply'));
    const fresh = [0, 1, 2, 3].map((n) => send(alice, `new ${n}`));
    const opened = deliver(bob, fresh[3] as (typeof fresh)[number]);
    expect(opened.events).toEqual([0, 1, 2].map((messageId) => ({ kind: 'skipped-key-evicted', ratchetId: 0, messageId })));
    expect(bob.state.skipped.size).toBe(MAX_STORED_SKIPPED_KEYS);
    for (const entry of doomed) {
      expect(entry?.encryptionKey.wiped).toBe(true);
      expect(entry?.extraKey.wiped).toBe(true);
    }
    expect(refused(bob, (old[0] as (typeof old)[number]).message)).toBe('no-key');
    deliver(bob, old[3] as (typeof old)[number]);
    // The evicted keys' MAC keys (3), and those of the messages read (3), go out with Bob's next chain.
    const reveal = send(bob, 'reveal');
    expect(reveal.message.revealedMacKeys.length).toBe(64 * 5);
    expect(openRaw(alice, reveal.message).ok).toBe(true);
  });
});
