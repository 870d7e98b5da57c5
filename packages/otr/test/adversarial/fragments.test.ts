/**
 * Hostile fragments (Protocol-v3, "Fragmentation", "Receiving Fragments"):
 * "If k == 0 or n == 0 or k > n, discard this (illegal) fragment"; a
 * fragment for another receiver instance is discarded; a fragment that
 * does not continue the stored one makes the receiver forget it. Memory is
 * bounded by limits.ts: MAX_FRAGMENT_BYTES per piece, MAX_INCOMPLETE_MESSAGES
 * streams per account (the least recently extended is evicted).
 */
import { describe, expect, it } from 'vitest';
import { limits } from '../../src/index.js';
import { encodeFragment } from '../../src/wire/fragment.js';
import { expectDropped, EVIL, EVIL_TAG, OTHER_TAG, Scene, VICTIM_TAG } from './evil-peer.js';

const hex = (tag: number): string => tag.toString(16).padStart(8, '0');
/** A v3 fragment written by hand (numbers and tags exactly as given). */
const raw = (k: string, n: string, piece: string, sender = EVIL_TAG, receiver = VICTIM_TAG): string => `?OTR|${hex(sender)}|${hex(receiver)},${k},${n},${piece},`;

describe('illegal fragment numbers', () => {
  for (const [k, n, what] of [
    ['0', '2', 'k = 0'],
    ['00000', '00002', 'k = 0, zero-padded'],
    ['1', '0', 'n = 0'],
    ['3', '2', 'k > n'],
    ['1', '65536', 'n = 65536 (more than a SHORT)'],
    ['-1', '2', 'a negative k'],
    ['+1', '2', 'a signed k'],
    [' 1', '2', 'a space before k'],
    ['1', '0x2', 'n in hex'],
  ] as const) {
    it(`${what} is discarded as malformed`, () => {
      const scene = Scene.encrypted(`frag-${what}`);
      const before = scene.status();
      expectDropped(scene.toVictim(raw(k, n, 'piece')), 'malformed');
      scene.expectIntact(before);
    });
  }

  it('an empty piece is discarded as malformed', () => {
    const scene = Scene.encrypted('frag-empty');
    const before = scene.status();
    expectDropped(scene.toVictim(raw('1', '2', '')), 'malformed');
    scene.expectIntact(before);
  });

  it('a fragment without its final comma is discarded as malformed', () => {
    const scene = Scene.encrypted('frag-no-comma');
    const before = scene.status();
    expectDropped(scene.toVictim(raw('1', '2', 'piece').slice(0, -1)), 'malformed');
    scene.expectIntact(before);
  });
});

describe('fragment streams', () => {
  it('n changing in the middle of a message: the stream is forgotten (fragment-limit), nothing is shown', () => {
    const scene = Scene.encrypted('frag-n-change');
    const before = scene.status();
    const pieces = scene.fragments(scene.data('never assembled'), 80);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(scene.toVictim(pieces[0]!).events).toEqual([]);
    const [, , rest] = /^(\?OTR\|[0-9a-f]+\|[0-9a-f]+,)00002,\d+,(.*)$/.exec(pieces[1]!)!;
    const changed = raw('00002', String(pieces.length + 1).padStart(5, '0'), rest!.slice(0, -1));
    expect(expectDropped(scene.toVictim(changed), 'fragment-limit').detail).toBe('out-of-sequence');
    for (const piece of pieces.slice(2)) expect(scene.toVictim(piece).show).toEqual([]);
    scene.expectIntact(before);
  });

  it('n = 65535 is legal: the first piece is held, nothing happens, and a later message still arrives', () => {
    const scene = Scene.encrypted('frag-65535');
    const before = scene.status();
    const outcome = scene.toVictim(raw('1', '65535', 'held'));
    expect(outcome.events).toEqual([]);
    expect(outcome.show).toEqual([]);
    scene.expectIntact(before);
  });

  it('zero-padded numbers (libotr writes %05hu; wider padding too) reassemble the message once', () => {
    const scene = Scene.encrypted('frag-padded');
    const before = scene.status();
    const pieces = scene.fragments(scene.data('padded numbers'), 100);
    const padded = pieces.map((piece) => piece.replace(/,0*(\d+),0*(\d+),/, (_m, k: string, n: string) => `,${k.padStart(9, '0')},${n.padStart(9, '0')},`));
    const shown = padded.flatMap((piece) => scene.toVictim(piece).show);
    expect(shown).toEqual([{ from: EVIL, text: 'padded numbers', encrypted: true, instance: EVIL_TAG }]);
    scene.expectIntact(before);
  });

  it('fragments for another instance of the victim are discarded (wrong-instance)', () => {
    const scene = Scene.encrypted('frag-other-instance');
    const before = scene.status();
    for (const piece of scene.fragments(scene.data('not for you'), 100, OTHER_TAG)) {
      expectDropped(scene.toVictim(piece), 'wrong-instance');
    }
    scene.expectIntact(before);
  });

  it('v4 fragments for another instance of the victim are discarded (wrong-instance)', () => {
    const scene = Scene.encrypted('frag-v4-other-instance');
    const before = scene.status();
    for (const index of [1, 2]) {
      const text = encodeFragment({ version: 4, identifier: 0x1234, senderTag: EVIL_TAG, receiverTag: OTHER_TAG, index, count: 2, piece: 'not for you' });
      expectDropped(scene.toVictim(text), 'wrong-instance');
    }
    scene.expectIntact(before);
  });

  for (const [text, reason, what] of [
    [`?OTR|123456789|${hex(EVIL_TAG)}|${hex(VICTIM_TAG)},1,2,piece,`, 'malformed', 'a 9-digit identifier'],
    [`?OTR||${hex(EVIL_TAG)}|${hex(VICTIM_TAG)},1,2,piece,`, 'malformed', 'an empty identifier'],
    [`?OTR|1|${hex(EVIL_TAG)}|${hex(VICTIM_TAG)}|1,1,2,piece,`, 'malformed', 'four hex fields'],
    [`?OTR|1|${hex(EVIL_TAG)}|${hex(VICTIM_TAG)},0,2,piece,`, 'malformed', 'k = 0'],
    [`?OTR|1|${hex(EVIL_TAG)}|${hex(VICTIM_TAG)},3,2,piece,`, 'malformed', 'k > n'],
    [`?OTR|1|ff|${hex(VICTIM_TAG)},1,2,piece,`, 'wrong-instance', 'a sender tag below 0x100'],
  ] as const) {
    it(`a v4 fragment with ${what} is discarded (${reason}), as v3 ones are`, () => {
      const scene = Scene.encrypted(`frag-v4-${what}`);
      const before = scene.status();
      expectDropped(scene.toVictim(text), reason);
      scene.expectIntact(before);
    });
  }

  it('a piece from another sender instance does not join the stream of ours', () => {
    const scene = Scene.encrypted('frag-other-sender');
    const before = scene.status();
    const pieces = scene.fragments(scene.data('two streams'), 100);
    expect(pieces.length).toBeGreaterThan(2);
    scene.toVictim(pieces[0]!);
    // The same second piece, claimed by another sender instance: no stream there.
    const foreign = pieces[1]!.replace(hex(EVIL_TAG), hex(OTHER_TAG));
    expect(expectDropped(scene.toVictim(foreign), 'fragment-limit').detail).toBe('out-of-sequence');
    const shown = pieces.slice(1).flatMap((piece) => scene.toVictim(piece).show.map((m) => m.text));
    expect(shown).toEqual(['two streams']);
    scene.expectIntact(before);
  });

  it(`a 300 KiB fragment (over MAX_FRAGMENT_BYTES = ${limits.MAX_FRAGMENT_BYTES}) is discarded`, () => {
    const scene = Scene.encrypted('frag-huge');
    const before = scene.status();
    expect(300 * 1024).toBeGreaterThan(limits.MAX_FRAGMENT_BYTES);
    const dropped = expectDropped(scene.toVictim(raw('1', '2', 'A'.repeat(300 * 1024))), 'malformed');
    expect(dropped.detail).toMatch(/too long/);
    scene.expectIntact(before);
  });

  it(`${limits.MAX_INCOMPLETE_MESSAGES + 1} interleaved incomplete messages: the oldest is evicted, the other ${limits.MAX_INCOMPLETE_MESSAGES} complete`, () => {
    const scene = Scene.encrypted('frag-many');
    const before = scene.status();
    const streams = limits.MAX_INCOMPLETE_MESSAGES + 1;
    // Each stream comes from its own sender instance and reassembles to plain text.
    const tag = (i: number): number => 0x10000 + i;
    for (let i = 0; i < streams; i++) {
      expect(scene.toVictim(encodeFragment({ version: 3, senderTag: tag(i), receiverTag: VICTIM_TAG, index: 1, count: 2, piece: `stream ${i} ` })).events).toEqual([]);
    }
    const shown: string[] = [];
    const dropped: string[] = [];
    for (let i = 0; i < streams; i++) {
      const outcome = scene.toVictim(encodeFragment({ version: 3, senderTag: tag(i), receiverTag: VICTIM_TAG, index: 2, count: 2, piece: 'done' }));
      shown.push(...outcome.show.map((m) => m.text));
      for (const event of outcome.events) if (event.kind === 'dropped') dropped.push(`${i}:${event.reason}:${event.detail}`);
    }
    expect(dropped).toEqual(['0:fragment-limit:out-of-sequence']);
    expect(shown).toHaveLength(limits.MAX_INCOMPLETE_MESSAGES);
    expect(shown[0]).toBe('stream 1 done');
    scene.expectIntact(before);
  });

  it('a stale incomplete message expires after REASSEMBLY_TIMEOUT_MS and its last piece is then refused', () => {
    const scene = Scene.encrypted('frag-expire');
    const pieces = scene.fragments(scene.data('too slow'), 100);
    scene.toVictim(pieces[0]!);
    expect(scene.victim.nextDeadline()).toBeDefined();
    scene.tick(limits.REASSEMBLY_TIMEOUT_MS);
    scene.victim.onDeadline(scene.now);
    expect(expectDropped(scene.toVictim(pieces[1]!), 'fragment-limit').detail).toBe('out-of-sequence');
  });
});
