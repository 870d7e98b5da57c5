/** The SMP plug point of a v4 session while SMP over Ed448 is not plugged in. */
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../src/crypto/random.js';
import { createV4Smp, isV4SmpTlv } from '../../../src/v4/channel-smp.js';
import { V4_TLV } from '../../../src/wire/v4/tlv.js';

const context = { ourFingerprint: new Uint8Array(56), theirFingerprint: new Uint8Array(56), ssid: new Uint8Array(8), random: deterministicRandom('smp-plug') };
const tlv = (type: number) => ({ type, value: new Uint8Array(3) });

describe('v4 SMP before SMP over Ed448 is plugged in', () => {
  it('is reported unavailable and idle', () => {
    const smp = createV4Smp();
    expect(smp.available).toBe(false);
    expect(smp.status).toBe('idle');
  });

  it('a received v4 SMP message (TLV 2 to 5) is answered with an SMP abort and reported as aborted', () => {
    for (const type of [V4_TLV.SMP1, V4_TLV.SMP2, V4_TLV.SMP3, V4_TLV.SMP4]) {
      const step = createV4Smp().receive(tlv(type), context);
      expect(step.send).toEqual([{ type: V4_TLV.SMP_ABORT, value: new Uint8Array(0) }]);
      expect(step.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }]);
    }
  });

  it('a received SMP abort needs no answer; our abort sends one', () => {
    const smp = createV4Smp();
    expect(smp.receive(tlv(V4_TLV.SMP_ABORT), context)).toEqual({ send: [], events: [] });
    expect(smp.abort().send).toEqual([{ type: V4_TLV.SMP_ABORT, value: new Uint8Array(0) }]);
    expect([0, 1, 7].map(isV4SmpTlv)).toEqual([false, false, false]);
    expect([2, 3, 4, 5, 6].map(isV4SmpTlv)).toEqual([true, true, true, true, true]);
  });
});
