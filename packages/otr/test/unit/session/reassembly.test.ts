/** Reassembly per the spec's "Receiving Fragments" rules, keyed per sender and instance, with every bound and expiry on a virtual clock. */
import { describe, expect, it } from 'vitest';
import {
  MAX_FRAGMENT_BYTES,
  MAX_INCOMPLETE_MESSAGES,
  MAX_MESSAGE_BYTES,
  MAX_REASSEMBLY_BYTES_PER_ACCOUNT,
  REASSEMBLY_TIMEOUT_MS,
} from '../../../src/limits.js';
import { Reassembler } from '../../../src/session/reassembly.js';
import type { Fragment } from '../../../src/wire/fragment.js';

const v3 = (index: number, count: number, piece: string, senderTag = 0x100): Fragment => ({ version: 3, senderTag, receiverTag: 0, index, count, piece });
const v2 = (index: number, count: number, piece: string): Fragment => ({ version: 2, senderTag: 0, receiverTag: 0, index, count, piece });
const v4 = (identifier: number, index: number, count: number, piece: string, senderTag = 0x100): Fragment => ({
  version: 4,
  identifier,
  senderTag,
  receiverTag: 0,
  index,
  count,
  piece,
});

describe('Reassembler: the spec rules', () => {
  it('k = 1..n in order gives the message', () => {
    const r = new Reassembler();
    expect(r.add('bob', v3(1, 3, 'a'), 0)).toEqual({ kind: 'pending' });
    expect(r.add('bob', v3(2, 3, 'b'), 1)).toEqual({ kind: 'pending' });
    expect(r.add('bob', v3(3, 3, 'c'), 2)).toEqual({ kind: 'complete', message: 'abc' });
    expect(r.size).toBe(0);
    expect(r.heldLength).toBe(0);
  });

  it('n = 1 completes at once', () => {
    expect(new Reassembler().add('bob', v2(1, 1, 'x'), 0)).toEqual({ kind: 'complete', message: 'x' });
  });

  it('k = 1 starts over, forgetting what was stored', () => {
    const r = new Reassembler();
    r.add('bob', v3(1, 3, 'old'), 0);
    r.add('bob', v3(2, 3, 'old'), 0);
    r.add('bob', v3(1, 2, 'new'), 0);
    expect(r.add('bob', v3(2, 2, '!'), 0)).toEqual({ kind: 'complete', message: 'new!' });
  });

  for (const [what, fragment] of [
    ['a gap', v3(3, 3, 'c')],
    ['a duplicate', v3(1, 3, 'a')],
    ['a changed n', v3(2, 4, 'b')],
  ] as const) {
    it(`${what} drops the stored message (spec: "Otherwise, forget")`, () => {
      const r = new Reassembler();
      r.add('bob', v3(1, 3, 'a'), 0);
      if (fragment.index === 1) {
        // A repeated k = 1 restarts, then k = 3 is out of sequence.
        r.add('bob', fragment, 0);
        expect(r.add('bob', v3(3, 3, 'c'), 0)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
      } else {
        expect(r.add('bob', fragment, 0)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
      }
      expect(r.size).toBe(0);
      expect(r.add('bob', v3(2, 3, 'b'), 0)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    });
  }

  it('keeps senders, instances and versions apart', () => {
    const r = new Reassembler();
    r.add('bob', v3(1, 2, 'b1-', 0x100), 0);
    r.add('bob', v3(1, 2, 'b2-', 0x200), 0);
    r.add('bob', v2(1, 2, 'v2-'), 0);
    r.add('carol', v3(1, 2, 'c-', 0x100), 0);
    r.add('bob|x', v3(1, 2, 'odd-', 0x100), 0);
    expect(r.size).toBe(5);
    expect(r.add('carol', v3(2, 2, 'done', 0x100), 1)).toEqual({ kind: 'complete', message: 'c-done' });
    expect(r.add('bob', v2(2, 2, 'done'), 1)).toEqual({ kind: 'complete', message: 'v2-done' });
    expect(r.add('bob', v3(2, 2, 'done', 0x200), 1)).toEqual({ kind: 'complete', message: 'b2-done' });
    expect(r.add('bob', v3(2, 2, 'done', 0x100), 1)).toEqual({ kind: 'complete', message: 'b1-done' });
    r.forgetSender('bob');
    expect(r.add('bob|x', v3(2, 2, 'done', 0x100), 1)).toEqual({ kind: 'complete', message: 'odd-done' });
  });

  it('forgetSender and forgetStream', () => {
    const r = new Reassembler();
    r.add('bob', v3(1, 2, 'a', 0x100), 0);
    r.add('bob', v3(1, 2, 'a', 0x200), 0);
    r.forgetStream({ sender: 'bob', version: 3, senderTag: 0x100 });
    expect(r.size).toBe(1);
    r.forgetSender('bob');
    expect(r.size).toBe(0);
  });
});

describe('Reassembler: bounds', () => {
  it('drops a piece longer than MAX_FRAGMENT_BYTES', () => {
    const r = new Reassembler();
    r.add('bob', v3(1, 2, 'a'), 0);
    expect(r.add('bob', v3(2, 2, 'x'.repeat(MAX_FRAGMENT_BYTES + 1)), 0)).toEqual({ kind: 'dropped', reason: 'fragment-too-large' });
    expect(r.size).toBe(0);
  });

  it('drops a message growing past MAX_MESSAGE_BYTES', () => {
    const r = new Reassembler();
    const piece = 'x'.repeat(MAX_FRAGMENT_BYTES);
    const needed = Math.floor(MAX_MESSAGE_BYTES / MAX_FRAGMENT_BYTES) + 1;
    let last: unknown;
    for (let k = 1; k <= needed; k++) last = r.add('bob', v3(k, 65535, piece), 0);
    expect(last).toEqual({ kind: 'dropped', reason: 'message-too-large' });
    expect(r.heldLength).toBe(0);
  });

  it('holds at most MAX_INCOMPLETE_MESSAGES, evicting the least recently extended', () => {
    const r = new Reassembler();
    for (let i = 0; i <= MAX_INCOMPLETE_MESSAGES; i++) r.add(`peer${i}`, v3(1, 2, 'a'), i);
    expect(r.size).toBe(MAX_INCOMPLETE_MESSAGES);
    expect(r.add('peer0', v3(2, 2, 'b'), 1000)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    expect(r.add(`peer${MAX_INCOMPLETE_MESSAGES}`, v3(2, 2, 'b'), 1000)).toEqual({ kind: 'complete', message: 'ab' });
  });

  it('extending a stream makes it the youngest', () => {
    const r = new Reassembler();
    for (let i = 0; i < MAX_INCOMPLETE_MESSAGES; i++) r.add(`peer${i}`, v3(1, 3, 'a'), i);
    r.add('peer0', v3(2, 3, 'b'), 500);
    r.add('newcomer', v3(1, 2, 'n'), 501);
    expect(r.add('peer0', v3(3, 3, 'c'), 502)).toEqual({ kind: 'complete', message: 'abc' });
    expect(r.add('peer1', v3(2, 3, 'b'), 502)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
  });

  it('keeps all held text within MAX_REASSEMBLY_BYTES_PER_ACCOUNT by evicting the oldest', () => {
    const r = new Reassembler();
    const piece = 'x'.repeat(MAX_FRAGMENT_BYTES);
    const perStream = 40;
    const streams = Math.ceil(MAX_REASSEMBLY_BYTES_PER_ACCOUNT / (perStream * MAX_FRAGMENT_BYTES)) + 1;
    for (let s = 0; s < streams; s++) {
      for (let k = 1; k <= perStream; k++) expect(r.add(`peer${s}`, v3(k, perStream + 1, piece), s)).toEqual({ kind: 'pending' });
    }
    expect(r.heldLength).toBeLessThanOrEqual(MAX_REASSEMBLY_BYTES_PER_ACCOUNT);
    expect(r.add('peer0', v3(perStream + 1, perStream + 1, 'end'), 99)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    const last = r.add(`peer${streams - 1}`, v3(perStream + 1, perStream + 1, 'end'), 99);
    expect(last.kind).toBe('complete');
  });
});

describe('Reassembler: expiry on the host clock', () => {
  it('reports the next deadline and drops streams idle for REASSEMBLY_TIMEOUT_MS', () => {
    const r = new Reassembler();
    expect(r.nextDeadline()).toBeUndefined();
    r.add('bob', v3(1, 3, 'a'), 1000);
    r.add('carol', v3(1, 3, 'a'), 5000);
    expect(r.nextDeadline()).toBe(1000 + REASSEMBLY_TIMEOUT_MS);
    r.add('bob', v3(2, 3, 'b'), 9000);
    expect(r.nextDeadline()).toBe(5000 + REASSEMBLY_TIMEOUT_MS);
    expect(r.expire(5000 + REASSEMBLY_TIMEOUT_MS - 1)).toEqual([]);
    expect(r.expire(5000 + REASSEMBLY_TIMEOUT_MS)).toEqual([{ sender: 'carol', version: 3, senderTag: 0x100 }]);
    expect(r.nextDeadline()).toBe(9000 + REASSEMBLY_TIMEOUT_MS);
  });

  it('a piece arriving after expiry does not join the stale stream', () => {
    const r = new Reassembler();
    r.add('bob', v3(1, 2, 'a'), 0);
    expect(r.add('bob', v3(2, 2, 'b'), REASSEMBLY_TIMEOUT_MS)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    r.add('bob', v3(1, 2, 'a'), 0);
    expect(r.add('bob', v3(2, 2, 'b'), REASSEMBLY_TIMEOUT_MS - 1)).toEqual({ kind: 'complete', message: 'ab' });
  });
});

describe('Reassembler: v4 fragments, keyed by their identifier', () => {
  it('interleaved v4 messages with different identifiers from one instance reassemble separately', () => {
    const r = new Reassembler();
    expect(r.add('bob', v4(7, 1, 3, 'a1'), 0)).toEqual({ kind: 'pending' });
    expect(r.add('bob', v4(9, 1, 2, 'b1'), 0)).toEqual({ kind: 'pending' });
    expect(r.add('bob', v4(7, 2, 3, 'a2'), 0)).toEqual({ kind: 'pending' });
    expect(r.add('bob', v4(9, 2, 2, 'b2'), 0)).toEqual({ kind: 'complete', message: 'b1b2' });
    expect(r.add('bob', v4(7, 3, 3, 'a3'), 0)).toEqual({ kind: 'complete', message: 'a1a2a3' });
    expect(r.size).toBe(0);
  });

  it('a new v4 message does not restart another one still arriving (v3: k = 1 starts over, as before)', () => {
    const r = new Reassembler();
    r.add('bob', v4(1, 1, 2, 'old-'), 0);
    r.add('bob', v4(2, 1, 2, 'new-'), 0);
    expect(r.add('bob', v4(1, 2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'old-done' });
    expect(r.add('bob', v4(2, 2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'new-done' });
    r.add('bob', v3(1, 2, 'old-'), 0);
    r.add('bob', v3(1, 2, 'new-'), 0);
    expect(r.add('bob', v3(2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'new-done' });
  });

  it('the spec rules apply per v4 message: k = 1 with the same identifier starts over; a gap drops only that message', () => {
    const r = new Reassembler();
    r.add('bob', v4(5, 1, 3, 'x'), 0);
    r.add('bob', v4(6, 1, 2, 'keep-'), 0);
    r.add('bob', v4(5, 1, 2, 'again-'), 0);
    expect(r.add('bob', v4(5, 2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'again-done' });
    r.add('bob', v4(5, 1, 3, 'x'), 0);
    expect(r.add('bob', v4(5, 3, 3, 'z'), 0)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    expect(r.add('bob', v4(6, 2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'keep-done' });
  });

  it('v4 streams never mix with v3 or v2 streams, other instances or other senders', () => {
    const r = new Reassembler();
    r.add('bob', v4(0, 1, 2, 'v4-'), 0);
    r.add('bob', v3(1, 2, 'v3-'), 0);
    r.add('bob', v2(1, 2, 'v2-'), 0);
    r.add('bob', v4(0, 1, 2, 'tag-', 0x200), 0);
    r.add('carol', v4(0, 1, 2, 'carol-'), 0);
    expect(r.size).toBe(5);
    expect(r.add('bob', v3(2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'v3-done' });
    expect(r.add('bob', v4(0, 2, 2, 'done', 0x200), 0)).toEqual({ kind: 'complete', message: 'tag-done' });
    expect(r.add('bob', v4(0, 2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'v4-done' });
    expect(r.add('bob', v2(2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'v2-done' });
    expect(r.add('carol', v4(0, 2, 2, 'done'), 0)).toEqual({ kind: 'complete', message: 'carol-done' });
  });

  it('forgetStream and expire name the v4 identifier; forgetSender drops every v4 message', () => {
    const r = new Reassembler();
    r.add('bob', v4(1, 1, 2, 'a'), 0);
    r.add('bob', v4(2, 1, 2, 'b'), 10);
    r.forgetStream({ sender: 'bob', version: 4, senderTag: 0x100 });
    expect(r.size).toBe(2);
    r.forgetStream({ sender: 'bob', version: 4, senderTag: 0x100, identifier: 1 });
    expect(r.size).toBe(1);
    expect(r.expire(10 + REASSEMBLY_TIMEOUT_MS)).toEqual([{ sender: 'bob', version: 4, senderTag: 0x100, identifier: 2 }]);
    r.add('bob', v4(3, 1, 2, 'c'), 0);
    r.add('bob', v4(4, 1, 2, 'd'), 0);
    r.forgetSender('bob');
    expect(r.size).toBe(0);
    expect(r.heldBytes).toBe(0);
  });

  it('a v4 stream is charged like a v3 one plus the identifier in its key (two bytes a character)', () => {
    const v3Only = new Reassembler();
    v3Only.add('bob', v3(1, 2, 'abcd'), 0);
    const v4Only = new Reassembler();
    v4Only.add('bob', v4(0xffffffff, 1, 2, 'abcd'), 0);
    // Key "[\"bob\",3,256]" against "[\"bob\",4,256,4294967295]": eleven more characters.
    expect(v4Only.heldBytes - v3Only.heldBytes).toBe(2 * ',4294967295'.length);
    expect(v4Only.heldLength).toBe(4);
  });

  it('fresh identifiers cannot grow the held messages past MAX_INCOMPLETE_MESSAGES or the bytes budget', () => {
    const r = new Reassembler();
    const piece = 'x'.repeat(MAX_FRAGMENT_BYTES);
    for (let id = 0; id <= MAX_INCOMPLETE_MESSAGES; id++) r.add('bob', v4(id, 1, 2, 'a'), id);
    expect(r.size).toBe(MAX_INCOMPLETE_MESSAGES);
    expect(r.add('bob', v4(0, 2, 2, 'b'), 1000)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    expect(r.add('bob', v4(MAX_INCOMPLETE_MESSAGES, 2, 2, 'b'), 1000)).toEqual({ kind: 'complete', message: 'ab' });
    const big = new Reassembler();
    const perStream = 40;
    const streams = Math.ceil(MAX_REASSEMBLY_BYTES_PER_ACCOUNT / (perStream * MAX_FRAGMENT_BYTES)) + 1;
    for (let id = 0; id < streams; id++) for (let k = 1; k <= perStream; k++) big.add('bob', v4(id, k, perStream + 1, piece), id);
    expect(big.heldBytes).toBeLessThanOrEqual(MAX_REASSEMBLY_BYTES_PER_ACCOUNT);
    expect(big.add('bob', v4(0, perStream + 1, perStream + 1, 'end'), 99)).toEqual({ kind: 'dropped', reason: 'out-of-sequence' });
    expect(big.add('bob', v4(streams - 1, perStream + 1, perStream + 1, 'end'), 99).kind).toBe('complete');
  });
});
