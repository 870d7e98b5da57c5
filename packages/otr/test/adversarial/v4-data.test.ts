/**
 * Adversarial v4 data messages in an established session: ratchet and
 * message ids far in the future (refused before any key is derived, no
 * key stored), replays, bad TLVs, and SMP messages with bad values. Each
 * gets a typed event, shows nothing, and the session keeps working.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SKIP } from '../../src/v4/ratchet/index.js';
import { encodeSmpMessage1, encodeSmpMessage2 } from '../../src/wire/v4/smp-messages.js';
import { V4_TLV } from '../../src/wire/v4/tlv.js';
import { BAD_POINTS, BAD_SCALARS, problems, V4Scene } from './v4-evil-peer.js';

function established(): V4Scene {
  const scene = new V4Scene();
  scene.establish();
  return scene;
}

/** A genuine message of the evil peer, held back. */
function genuineData(scene: V4Scene, text: string): string {
  scene.pair.act(scene.evil, (account, now) => account.send(scene.victim.name, text, now));
  return scene.takeFromEvil();
}

const reasons = (events: readonly { kind: string }[]) => problems(events as never).map((e) => ('reason' in e ? e.reason : e.kind));

describe('v4 adversarial: ids far in the future', () => {
  const cases: [string, (body: { ratchetId: number; messageId: number; previousChainLength: number }) => object][] = [
    ['a message id 2^32 - 1 in the current chain', (b) => ({ ...b, messageId: 0xffffffff })],
    [`a message id MAX_SKIP + 2 (${MAX_SKIP + 2}) in the current chain`, (b) => ({ ...b, messageId: MAX_SKIP + 2 })],
    ['a ratchet id 2^32 - 1', (b) => ({ ...b, ratchetId: 0xffffffff })],
    ['a ratchet id a million ahead', (b) => ({ ...b, ratchetId: b.ratchetId + 1_000_000 })],
  ];
  for (const [name, alter] of cases) {
    it(`${name} is refused as bad-key-id, no key derived or stored, nothing shown`, () => {
      const scene = established();
      const ssid = scene.ssid();
      const genuine = genuineData(scene, 'the real one');
      const ratchet = scene.channelOf(scene.victim).ratchet;
      const storedBefore = ratchet.skipped.size;
      const outcome = scene.toVictim(scene.alter(genuine, 'data', (body) => alter(body)));
      expect(reasons(outcome.events)).toEqual(['bad-key-id']);
      expect(outcome.show).toEqual([]);
      expect(ratchet.skipped.size).toBe(storedBefore);
      expect(scene.toVictim(genuine).show.map((m) => m.text)).toEqual(['the real one']);
      scene.expectIntact(ssid);
    });
  }

  it('a message id just within MAX_SKIP but with a forged Authenticator stores no skipped key', () => {
    const scene = established();
    const genuine = genuineData(scene, 'the real one');
    const ratchet = scene.channelOf(scene.victim).ratchet;
    const outcome = scene.toVictim(scene.alter(genuine, 'data', (body) => ({ ...body, messageId: body.messageId + MAX_SKIP - 1 })));
    expect(reasons(outcome.events)).toEqual(['bad-mac']);
    expect(ratchet.skipped.size).toBe(0);
    expect(scene.toVictim(genuine).show.map((m) => m.text)).toEqual(['the real one']);
    scene.expectIntact();
  });
});

describe('v4 adversarial: replays and tampering', () => {
  it('a replayed data message is dropped as replayed-counter and never shown twice', () => {
    const scene = established();
    const genuine = genuineData(scene, 'once only');
    expect(scene.toVictim(genuine).show.map((m) => m.text)).toEqual(['once only']);
    for (let i = 0; i < 3; i++) {
      const again = scene.toVictim(genuine);
      expect(again.show).toEqual([]);
      expect(reasons(again.events)).toEqual(['replayed-counter']);
      expect(again.send).toEqual([]);
    }
    scene.expectIntact();
  });

  it('a replay after the ratchet moved on (old chain) is dropped, never shown', () => {
    const scene = established();
    const genuine = genuineData(scene, 'old chain');
    scene.toVictim(genuine);
    scene.expectIntact();
    scene.expectIntact();
    const again = scene.toVictim(genuine);
    expect(again.show).toEqual([]);
    expect(reasons(again.events)).toEqual(['replayed-counter']);
    scene.expectIntact();
  });

  it('a data message with one bit of its ciphertext flipped is refused as bad-mac, and the genuine one is still read', () => {
    const scene = established();
    const genuine = genuineData(scene, 'intact text');
    const outcome = scene.toVictim(
      scene.alter(genuine, 'data', (body) => {
        const encryptedMessage = Uint8Array.from(body.encryptedMessage);
        encryptedMessage[0]! ^= 1;
        return { ...body, encryptedMessage };
      }),
    );
    expect(reasons(outcome.events)).toEqual(['bad-mac']);
    expect(outcome.show).toEqual([]);
    expect(scene.toVictim(genuine).show.map((m) => m.text)).toEqual(['intact text']);
    scene.expectIntact();
  });

  for (const [name, point] of Object.entries(BAD_POINTS)) {
    it(`a data message of a new ratchet whose ECDH key is ${name} is refused with a typed event`, () => {
      const scene = established();
      scene.expectIntact();
      const genuine = genuineData(scene, 'next chain');
      const outcome = scene.toVictim(scene.alter(genuine, 'data', (body) => ({ ...body, ecdh: point })));
      expect(reasons(outcome.events)).toEqual([expect.stringMatching(/^(bad-group-element|bad-key-id|bad-mac)$/)]);
      expect(outcome.show).toEqual([]);
      expect(scene.toVictim(genuine).show.map((m) => m.text)).toEqual(['next chain']);
      scene.expectIntact();
    });
  }
});

describe('v4 adversarial: bad TLVs with a valid Authenticator', () => {
  const tlv = (type: number, value: number[] | Uint8Array) => ({ type, value: Uint8Array.from(value) });
  const cases: [string, ReturnType<typeof tlv>[]][] = [
    ['an unknown TLV type', [tlv(0x99, [1, 2, 3])]],
    ['an extra symmetric key TLV shorter than its 4-byte context', [tlv(V4_TLV.EXTRA_SYMMETRIC_KEY, [1, 2])]],
    ['a padding TLV of 4000 bytes', [tlv(V4_TLV.PADDING, new Uint8Array(4000))]],
    ['an SMP abort with no SMP running', [tlv(V4_TLV.SMP_ABORT, [9, 9])]],
  ];
  for (const [name, tlvs] of cases) {
    it(`${name} is ignored: nothing shown, no event, the session goes on`, () => {
      const scene = established();
      const outcome = scene.toVictim(scene.sealed('', tlvs, 1));
      expect(outcome.show).toEqual([]);
      expect(outcome.events).toEqual([]);
      scene.expectIntact();
    });
  }

  it('text followed by bad TLVs shows the text only', () => {
    const scene = established();
    const outcome = scene.toVictim(scene.sealed('visible', [tlv(0x4242, [0]), tlv(V4_TLV.EXTRA_SYMMETRIC_KEY, [])]));
    expect(outcome.show.map((m) => m.text)).toEqual(['visible']);
    expect(problems(outcome.events)).toEqual([]);
    scene.expectIntact();
  });

  for (const [type, name] of [
    [V4_TLV.SMP1, 'SMP message 1'],
    [V4_TLV.SMP2, 'SMP message 2'],
    [V4_TLV.SMP3, 'SMP message 3'],
    [V4_TLV.SMP4, 'SMP message 4'],
  ] as const) {
    it(`a truncated ${name} aborts SMP with a typed reason and the peer is sent an abort`, () => {
      const scene = established();
      const outcome = scene.toVictim(scene.sealed('', [tlv(type, [0, 0, 0, 1])], 1));
      expect(outcome.events.filter((e) => e.kind === 'smp-aborted').map((e) => ('reason' in e ? e.reason : e.by))).toEqual([type === V4_TLV.SMP1 ? 'malformed' : 'unexpected']);
      expect(outcome.send).toHaveLength(1);
      expect(outcome.show).toEqual([]);
      scene.expectIntact();
    });
  }
});

describe('v4 adversarial: SMP with bad values', () => {
  const good = { question: new Uint8Array(0), c2: new Uint8Array(57).fill(1), d2: new Uint8Array(57).fill(1), c3: new Uint8Array(57).fill(1), d3: new Uint8Array(57).fill(1) };

  for (const [name, point] of Object.entries(BAD_POINTS)) {
    it(`SMP message 1 whose G2a is ${name} aborts SMP as bad-group-element; a later SMP succeeds`, () => {
      const scene = established();
      const value = encodeSmpMessage1({ ...good, g2a: point, g3a: point });
      const outcome = scene.toVictim(scene.sealed('', [{ type: V4_TLV.SMP1, value }], 1));
      const aborted = outcome.events.filter((e) => e.kind === 'smp-aborted');
      expect(aborted.map((e) => ('reason' in e ? e.reason : e.by))).toEqual(['bad-group-element']);
      expect(outcome.events.filter((e) => e.kind === 'smp-request')).toEqual([]);
      expect(outcome.show).toEqual([]);
      scene.pair.queue.length = 0;
      scene.expectIntact();
    });
  }

  for (const [name, scalar] of Object.entries(BAD_SCALARS)) {
    it(`SMP message 1 with a proof scalar >= q (${name}) aborts SMP with a typed reason`, () => {
      const scene = established();
      // Genuine points (a real message 1 of the evil peer) with D2 replaced.
      scene.pair.act(scene.evil, (account, now) => account.startSmp(scene.victim.name, 'x', undefined, now));
      const real = scene.takeFromEvil();
      scene.toVictim(real);
      scene.pair.act(scene.victim, (account, now) => account.abortSmp(scene.evil.name, now));
      scene.pair.deliverAll();
      const request = scene.victim.eventsOf('smp-request').length;
      const value = encodeSmpMessage1({ ...good, g2a: scene.evil.options.v4!.identityKey.publicKey.encode(), g3a: scene.forgingKey().encode(), d2: scalar });
      const outcome = scene.toVictim(scene.sealed('', [{ type: V4_TLV.SMP1, value }], 1));
      const aborted = outcome.events.filter((e) => e.kind === 'smp-aborted');
      expect(aborted.map((e) => ('reason' in e ? e.reason : e.by))).toEqual([expect.stringMatching(/^(bad-exponent|bad-proof|malformed)$/)]);
      expect(scene.victim.eventsOf('smp-request').length).toBe(request);
      scene.pair.queue.length = 0;
      scene.expectIntact();
    });
  }

  it('SMP message 2 with small-order points, sent to a victim that started SMP, aborts it; a genuine SMP then succeeds', () => {
    const scene = established();
    scene.pair.act(scene.victim, (account, now) => account.startSmp(scene.evil.name, 'secret', undefined, now));
    scene.pair.queue.length = 0;
    const p = BAD_POINTS['small order 2']!;
    const s = new Uint8Array(57).fill(1);
    const value = encodeSmpMessage2({ g2b: p, c2: s, d2: s, g3b: p, c3: s, d3: s, pb: p, qb: p, cp: s, d5: s, d6: s });
    const outcome = scene.toVictim(scene.sealed('', [{ type: V4_TLV.SMP2, value }], 1));
    expect(outcome.events.filter((e) => e.kind === 'smp-aborted').map((e) => ('reason' in e ? e.reason : e.by))).toEqual(['bad-group-element']);
    expect(scene.victim.account.status(scene.evil.name).smp).toBe('idle');
    scene.pair.queue.length = 0;
    scene.expectIntact();
    scene.pair.act(scene.victim, (account, now) => account.startSmp(scene.evil.name, 'secret', 'Q', now));
    scene.pair.deliverAll();
    scene.pair.act(scene.evil, (account, now) => account.answerSmp(scene.victim.name, 'secret', now));
    scene.pair.deliverAll();
    expect(scene.victim.eventsOf('smp-result').map((e) => e.success)).toEqual([true]);
  });
});
