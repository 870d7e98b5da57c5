/** The SMP of a v4 session: the shared state machine over Ed448, returning its consumed secrets unwiped. */
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../src/crypto/random.js';
import { Secret } from '../../../src/crypto/secret.js';
import { createV4Smp, isV4SmpTlv, type V4SmpContext } from '../../../src/v4/channel-smp.js';
import { V4_TLV } from '../../../src/wire/v4/tlv.js';

const alice = new Uint8Array(56).fill(0xa1);
const bob = new Uint8Array(56).fill(0xb0);
const ssid = new Uint8Array(8).fill(7);
const aliceContext: V4SmpContext = { ourFingerprint: alice, theirFingerprint: bob, ssid, random: deterministicRandom('smp-plug-alice') };
const bobContext: V4SmpContext = { ourFingerprint: bob, theirFingerprint: alice, ssid, random: deterministicRandom('smp-plug-bob') };
const utf8 = (text: string) => new TextEncoder().encode(text);
const tlv = (type: number) => ({ type, value: new Uint8Array(3) });

/** True when every byte of every consumed secret is still there (nothing wiped inside SMP). */
function unwiped(consumed: readonly unknown[]): boolean {
  return consumed.every((item) => !(item instanceof Secret) || item.expose().some((byte) => byte !== 0));
}

describe('v4 SMP plugged into the session', () => {
  it('runs the whole protocol with a question to success, each step handing back its consumed secrets unwiped', () => {
    const a = createV4Smp();
    const b = createV4Smp();
    const one = a.start(utf8('the lake'), 'Where did we meet?', aliceContext);
    expect(a.status).toBe('in-progress');
    expect(one.send.map((t) => t.type)).toEqual([V4_TLV.SMP1]);
    expect(one.consumed.length).toBeGreaterThan(0);
    expect(unwiped(one.consumed)).toBe(true);
    const request = b.receive(one.send[0]!, bobContext);
    expect(request.events).toEqual([{ kind: 'smp-request', question: 'Where did we meet?' }]);
    expect(b.status).toBe('awaiting-answer');
    const two = b.answer(utf8('the lake'), bobContext);
    expect(unwiped(two.consumed)).toBe(true);
    const three = a.receive(two.send[0]!, aliceContext);
    const four = b.receive(three.send[0]!, bobContext);
    expect(four.events).toEqual([{ kind: 'smp-result', success: true }]);
    expect(four.consumed.length).toBeGreaterThan(0);
    const done = a.receive(four.send[0]!, aliceContext);
    expect(done.events).toEqual([{ kind: 'smp-result', success: true }]);
    expect(done.consumed.length).toBeGreaterThan(0);
    expect([a.status, b.status]).toEqual(['idle', 'idle']);
  });

  it('an SMP message out of order is answered with an SMP abort and reported as aborted', () => {
    for (const type of [V4_TLV.SMP2, V4_TLV.SMP3, V4_TLV.SMP4]) {
      const step = createV4Smp().receive(tlv(type), aliceContext);
      expect(step.send).toEqual([{ type: V4_TLV.SMP_ABORT, value: new Uint8Array(0) }]);
      expect(step.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }]);
    }
    const malformed = createV4Smp().receive(tlv(V4_TLV.SMP1), aliceContext);
    expect(malformed.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'malformed' }]);
  });

  it('a received SMP abort needs no answer; our abort sends one; other TLVs are not SMP', () => {
    const smp = createV4Smp();
    expect(smp.receive(tlv(V4_TLV.SMP_ABORT), aliceContext)).toEqual({ send: [], events: [], consumed: [] });
    expect(smp.abort().send).toEqual([{ type: V4_TLV.SMP_ABORT, value: new Uint8Array(0) }]);
    expect(smp.receive(tlv(V4_TLV.EXTRA_SYMMETRIC_KEY), aliceContext)).toEqual({ send: [], events: [], consumed: [] });
    expect([0, 1, 7].map(isV4SmpTlv)).toEqual([false, false, false]);
    expect([2, 3, 4, 5, 6].map(isV4SmpTlv)).toEqual([true, true, true, true, true]);
  });

  it('wipe drops a running SMP', () => {
    const smp = createV4Smp();
    smp.start(utf8('x'), undefined, aliceContext);
    smp.wipe();
    expect(smp.status).toBe('idle');
  });
});
