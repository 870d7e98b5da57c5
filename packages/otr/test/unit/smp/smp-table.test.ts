/**
 * Every SMP TLV in every SMP state (Protocol-v3, "The SMP state machine",
 * "State Transitions"): the expected message goes on (or fails its checks
 * when it belongs to another run), a malformed one aborts, any other
 * aborts as unexpected and consumes the state left (the caller wipes it); TLV 6 always returns to
 * idle; non-SMP TLVs are not handled.
 */
import { describe, expect, it } from 'vitest';
import { SMP_IDLE, smpReceive, smpStateSecrets, type SmpState } from '../../../src/v3/smp.js';
import { TLV_SMP1, TLV_SMP1Q, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT } from '../../../src/wire/tlv.js';
import { partyIn, receive, sampleTlvs, types } from './smp-pair.js';

describe('every SMP TLV in every state', () => {
  const samples = sampleTlvs();
  const accepts: Record<SmpState['kind'], number[]> = {
    idle: [TLV_SMP1, TLV_SMP1Q],
    'awaiting-answer': [TLV_SMP1, TLV_SMP1Q],
    expect2: [TLV_SMP2],
    expect3: [TLV_SMP3],
    expect4: [TLV_SMP4],
  };
  for (const kind of Object.keys(accepts) as SmpState['kind'][]) {
    for (const type of [TLV_SMP1, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP1Q]) {
      const tlv = samples[type];
      if (tlv === undefined) throw new Error('sample missing');
      if (accepts[kind].includes(type)) {
        if (type === TLV_SMP1 || type === TLV_SMP1Q) {
          it(`${kind} + TLV ${type}: a new request`, () => {
            const p = partyIn(kind);
            const old = p.state;
            const step = receive(p, tlv);
            expect(step.send).toEqual([]);
            expect(step.events).toEqual([{ kind: 'smp-request', question: type === TLV_SMP1Q ? 'q?' : null }]);
            expect(step.next.kind).toBe('awaiting-answer');
            if (old.kind === 'awaiting-answer') expect(old.request.wiped).toBe(true);
          });
        } else {
          it(`${kind} + TLV ${type} from another run: its proofs fail, abort`, () => {
            const p = partyIn(kind);
            const step = receive(p, tlv);
            expect(step).toEqual({ next: SMP_IDLE, send: [{ type: TLV_SMP_ABORT, value: new Uint8Array(0) }], events: [{ kind: 'smp-aborted', by: 'protocol', reason: 'bad-proof' }], consumed: expect.any(Array) });
          });
        }
        it(`${kind} + TLV ${type} with a malformed value: abort`, () => {
          const p = partyIn(kind);
          const step = receive(p, { type, value: tlv.value.subarray(0, tlv.value.length - 1) });
          expect(types(step.send)).toEqual([TLV_SMP_ABORT]);
          expect(step.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'malformed' }]);
          expect(step.next).toBe(SMP_IDLE);
        });
      } else {
        it(`${kind} + TLV ${type}: unexpected, abort and start over; left secrets wiped`, () => {
          const p = partyIn(kind);
          const old = p.state;
          const step = receive(p, tlv);
          expect(step).toEqual({ next: SMP_IDLE, send: [{ type: TLV_SMP_ABORT, value: new Uint8Array(0) }], events: [{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected' }], consumed: smpStateSecrets(old) });
          if (old.kind === 'expect2' || old.kind === 'expect3' || old.kind === 'expect4') expect(old.secrets.wiped).toBe(true);
          if (old.kind === 'awaiting-answer') expect(old.request.wiped).toBe(true);
        });
      }
    }
    it(`${kind} + TLV 6: idle, nothing sent`, () => {
      const p = partyIn(kind);
      const step = receive(p, { type: TLV_SMP_ABORT, value: new Uint8Array(0) });
      expect(step).toEqual({ next: SMP_IDLE, send: [], events: kind === 'idle' ? [] : [{ kind: 'smp-aborted', by: 'peer' }], consumed: expect.any(Array) });
    });
    it(`${kind}: TLVs 0, 1, 8 and unknown types are not SMP's`, () => {
      const p = partyIn(kind);
      for (const type of [0, 1, 8, 9, 0xffff]) expect(smpReceive(p.state, { type, value: new Uint8Array(0) }, p.context)).toBeUndefined();
    });
  }
});
