/**
 * Hostile SMP messages inside a secure session (Protocol-v3, "The SMP state
 * machine"). The spec's checks on receiving each message: every group
 * element ">= 2 and <= modulus-2", then the zero-knowledge proofs. libotr
 * adds, and sotto follows, that every D is an exponent in [1, q)
 * (check_expon); sotto also requires group elements to lie in the order-q
 * subgroup that g1 generates (crypto/v3/smp-math.ts: "D values are calculated
 * modulo q", so only elements of that subgroup have proofs; -g1^a would leak
 * the parity of our secret). A failed check means "start over": the victim
 * sends SMP abort (TLV 6), returns to SMPSTATE_EXPECT1 and reports
 * smp-aborted with the failed check; the secure session is untouched.
 * A TLV the state does not expect gets the same treatment ("If smpstate is
 * not SMPSTATE_EXPECTn: Set smpstate to SMPSTATE_EXPECT1 and send a type 6
 * TLV").
 */
import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint } from '../../src/crypto/bigint.js';
import { checkKnowLog, SMP_HASH } from '../../src/crypto/v3/smp-proofs.js';
import { SMP_IDLE, smpAnswer, smpStart } from '../../src/v3/smp.js';
import { decodeSmpPayload, SMP_MPI_COUNTS } from '../../src/wire/smp-payload.js';
import { TLV_SMP1, TLV_SMP1Q, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP_ABORT, type Tlv } from '../../src/wire/tlv.js';
import type { ConversationStatus, Outcome } from '../../src/index.js';
import { bytesOf, eventsOf, EVIL, EVIL_TAG, forgeKnowLog, mpiBody, P, Q, Scene, TWO_1536 } from './evil-peer.js';

type Step = 1 | 2 | 3 | 4;
const TLV_OF: Record<Step, number> = { 1: TLV_SMP1, 2: TLV_SMP2, 3: TLV_SMP3, 4: TLV_SMP4 };
const SECRET = 'the same secret';

/** A secure scene whose victim is in the state that expects SMP message `n`, and the honest message n's MPIs. */
function expecting(n: Step, seed: string): { scene: Scene; values: Uint8Array[] } {
  const scene = Scene.encrypted(seed);
  const payloadOf = (tlvs: readonly Tlv[], type: number): Uint8Array[] => {
    const tlv = tlvs.find((t) => t.type === type);
    const values = decodeSmpPayload(tlv!.value, SMP_MPI_COUNTS[n]);
    if (!Array.isArray(values)) throw new Error('bad honest payload');
    return values.map((v) => Uint8Array.from(v));
  };
  if (n === 1) {
    const step = smpStart(SMP_IDLE, bytesOf(SECRET), undefined, scene.smpContext);
    return { scene, values: payloadOf(scene.smpApply(step), TLV_SMP1) };
  }
  if (n === 2 || n === 4) {
    // The victim starts; the evil peer answers.
    scene.smpAbsorb(scene.read(victimOutcome(scene, (now) => scene.victim.startSmp(EVIL, SECRET, undefined, now, { instance: EVIL_TAG }))));
    const answer = scene.smpApply(smpAnswer(scene.smp, bytesOf(SECRET), scene.smpContext));
    if (n === 2) return { scene, values: payloadOf(answer, TLV_SMP2) };
    const [step] = scene.smpAbsorb(scene.read(scene.toVictim(scene.tlvMessage(answer))));
    return { scene, values: payloadOf(step!.send, TLV_SMP4) };
  }
  // n === 3: the evil peer starts; the victim answers.
  const start = scene.smpApply(smpStart(SMP_IDLE, bytesOf(SECRET), undefined, scene.smpContext));
  expect(eventsOf(scene.toVictim(scene.tlvMessage(start)), 'smp-request')).toHaveLength(1);
  const [step] = scene.smpAbsorb(scene.read(victimOutcome(scene, (now) => scene.victim.answerSmp(EVIL, SECRET, now, { instance: EVIL_TAG }))));
  return { scene, values: payloadOf(step!.send, TLV_SMP3) };
}

function victimOutcome(scene: Scene, action: (now: number) => Outcome): Outcome {
  const outcome = action(scene.now);
  scene.outcomes.push(outcome);
  return outcome;
}

/** Sends SMP message `n` with `values`; asserts the victim aborted for `reason` and the session is intact. */
function expectAbort(scene: Scene, n: Step, values: readonly Uint8Array[], reason: string): void {
  const before: ConversationStatus = { ...scene.status(), smp: 'idle' };
  const outcome = scene.toVictim(scene.smpTlv(TLV_OF[n], values));
  expect(outcome.show).toEqual([]);
  expect(outcome.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason, peer: EVIL, instance: EVIL_TAG }]);
  expect(scene.read(outcome).tlvs).toEqual([[{ type: TLV_SMP_ABORT, value: new Uint8Array(0) }]]);
  scene.smp = SMP_IDLE;
  scene.expectIntact(before);
}

/** The victim accepted message `n`: it replied (or asked its user) and nothing was aborted. */
function expectAccepted(scene: Scene, n: Step, values: readonly Uint8Array[]): Outcome {
  const outcome = scene.toVictim(scene.smpTlv(TLV_OF[n], values));
  expect(eventsOf(outcome, 'smp-aborted')).toEqual([]);
  if (n === 1) expect(eventsOf(outcome, 'smp-request')).toHaveLength(1);
  else if (n === 2) expect(scene.read(outcome).tlvs.map((tlvs) => tlvs.map((t) => t.type))).toEqual([[TLV_SMP3]]);
  else expect(eventsOf(outcome, 'smp-result')).toEqual([expect.objectContaining({ success: true })]);
  return outcome;
}

/** The group elements of each message, by index, and the knowledge proof (c, D index and hash version) that covers each, if any. */
const ELEMENTS: Record<Step, [name: string, index: number, proof?: { c: number; d: number; version: number }][]> = {
  1: [
    ['g2a', 0, { c: 1, d: 2, version: SMP_HASH.alice2 }],
    ['g3a', 3, { c: 4, d: 5, version: SMP_HASH.alice3 }],
  ],
  2: [
    ['g2b', 0, { c: 1, d: 2, version: SMP_HASH.bob2 }],
    ['g3b', 3, { c: 4, d: 5, version: SMP_HASH.bob3 }],
    ['Pb', 6],
    ['Qb', 7],
  ],
  3: [
    ['Pa', 0],
    ['Qa', 1],
    ['Ra', 5],
  ],
  4: [['Rb', 0]],
};
/** The exponents (D values) of each message, by index. */
const EXPONENTS: Record<Step, [string, number][]> = {
  1: [['D2', 2], ['D3', 5]],
  2: [['D2', 2], ['D3', 5], ['D5', 9], ['D6', 10]],
  3: [['D5', 3], ['D6', 4], ['D7', 7]],
  4: [['D7', 2]],
};
/** The hash values (c) of each message, by index. */
const HASHES: Record<Step, [string, number][]> = {
  1: [['c2', 1], ['c3', 4]],
  2: [['c2', 1], ['c3', 4], ['cP', 8]],
  3: [['cP', 2], ['cR', 6]],
  4: [['cR', 1]],
};

/** Values refused as group elements, with log_g1 of +-element when known (for a verifying forged proof). */
const BAD_ELEMENTS: [string, bigint, bigint | undefined][] = [
  ['0', 0n, undefined],
  ['1', 1n, undefined],
  ['p-2 (in range, outside the order-q subgroup)', P - 2n, 1n],
  ['p-1', P - 1n, undefined],
  ['p', P, undefined],
  ['p+1', P + 1n, undefined],
  ['2^1536-1', TWO_1536 - 1n, undefined],
];

const replace = (values: readonly Uint8Array[], changes: Record<number, bigint>): Uint8Array[] =>
  values.map((v, i) => (changes[i] === undefined ? v : bigintToBytes(changes[i])));

for (const n of [1, 2, 3, 4] as const) {
  describe(`SMP message ${n}`, () => {
    it(`control: the honest message ${n} is accepted`, () => {
      const { scene, values } = expecting(n, `smp${n}-control`);
      expectAccepted(scene, n, values);
    });

    for (const [name, index, proof] of ELEMENTS[n]) {
      for (const [valueName, value, log] of BAD_ELEMENTS) {
        it(`${name} = ${valueName} is refused as bad-group-element${proof === undefined ? '' : ' (with a verifying proof where one exists)'}`, () => {
          const { scene, values } = expecting(n, `smp${n}-${name}-${valueName}`);
          const changes: Record<number, bigint> = { [index]: value };
          const forged = proof === undefined ? undefined : forgeKnowLog(proof.version, value, log, scene.random);
          if (proof !== undefined && forged !== undefined) {
            // The forged proof verifies: only the element check can refuse the message.
            expect(checkKnowLog(proof.version, value, forged.c, forged.d)).toBe(true);
            Object.assign(changes, { [proof.c]: forged.c, [proof.d]: forged.d });
          }
          expectAbort(scene, n, replace(values, changes), 'bad-group-element');
        });
      }

      it(`${name} = 2^1536 (193 bytes) does not decode: aborted as malformed`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-wide`);
        expectAbort(scene, n, replace(values, { [index]: TWO_1536 }), 'malformed');
      });

      if (n === 1) {
        it(`${name} = 2 (= g1, legal) with a verifying proof is accepted`, () => {
          const { scene, values } = expecting(n, `smp${n}-${name}-two`);
          const forged = forgeKnowLog(proof!.version, 2n, 1n, scene.random)!;
          expectAccepted(scene, n, replace(values, { [index]: 2n, [proof!.c]: forged.c, [proof!.d]: forged.d }));
        });
      } else {
        it(`${name} = 2 passes the range check (spec: >= 2) and fails only its proof: bad-proof`, () => {
          const { scene, values } = expecting(n, `smp${n}-${name}-two`);
          expectAbort(scene, n, replace(values, { [index]: 2n }), 'bad-proof');
        });
      }
    }

    for (const [name, index] of EXPONENTS[n]) {
      it(`${name} = 0 is refused as bad-exponent`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-zero`);
        expectAbort(scene, n, replace(values, { [index]: 0n }), 'bad-exponent');
      });

      it(`${name} = q is refused as bad-exponent`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-q`);
        expectAbort(scene, n, replace(values, { [index]: Q }), 'bad-exponent');
      });

      it(`${name} + q (the proof still verifies modulo q) is refused as bad-exponent`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-plus-q`);
        expectAbort(scene, n, replace(values, { [index]: bytesToBigint(values[index]!) + Q }), 'bad-exponent');
      });

      it(`${name} = q-1 is in range and fails the proof: bad-proof`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-q-1`);
        expectAbort(scene, n, replace(values, { [index]: Q - 1n }), 'bad-proof');
      });

      it(`${name} changed by one (in range) fails the proof: bad-proof`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-tampered`);
        const d = bytesToBigint(values[index]!);
        expectAbort(scene, n, replace(values, { [index]: d === Q - 1n ? 1n : d + 1n }), 'bad-proof');
      });
    }

    for (const [name, index] of HASHES[n]) {
      it(`${name} changed by one fails the proof: bad-proof`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-tampered`);
        expectAbort(scene, n, replace(values, { [index]: bytesToBigint(values[index]!) + 1n }), 'bad-proof');
      });

      it(`${name} = 0 fails the proof: bad-proof`, () => {
        const { scene, values } = expecting(n, `smp${n}-${name}-zero`);
        expectAbort(scene, n, replace(values, { [index]: 0n }), 'bad-proof');
      });
    }

    it(`a message ${n} with one MPI too few is aborted as malformed`, () => {
      const { scene, values } = expecting(n, `smp${n}-short`);
      expectAbort(scene, n, values.slice(0, -1), 'malformed');
    });

    it(`a message ${n} with one MPI too many is aborted as malformed`, () => {
      const { scene, values } = expecting(n, `smp${n}-long`);
      expectAbort(scene, n, [...values, mpiBody(2n)], 'malformed');
    });
  });
}

describe('SMP TLVs in the wrong state', () => {
  type VictimState = 'idle' | 'awaiting-answer' | 'expect2' | 'expect3' | 'expect4';
  /** Puts the victim in `state` (the evil peer plays along honestly). */
  function victimIn(state: VictimState, seed: string): Scene {
    if (state === 'idle') return Scene.encrypted(seed);
    if (state === 'expect2') {
      const scene = Scene.encrypted(seed);
      victimOutcome(scene, (now) => scene.victim.startSmp(EVIL, SECRET, undefined, now, { instance: EVIL_TAG }));
      return scene;
    }
    if (state === 'awaiting-answer') {
      const { scene, values } = expecting(1, seed);
      scene.toVictim(scene.smpTlv(TLV_SMP1, values));
      return scene;
    }
    // expect3: the victim answered message 1; expect4: the victim sent message 3.
    const { scene } = expecting(state === 'expect3' ? 3 : 4, seed);
    return scene;
  }
  const expected: Record<VictimState, number[]> = {
    idle: [TLV_SMP1, TLV_SMP1Q],
    'awaiting-answer': [TLV_SMP1, TLV_SMP1Q],
    expect2: [TLV_SMP2],
    expect3: [TLV_SMP3],
    expect4: [TLV_SMP4],
  };
  const counts: Record<number, number> = { [TLV_SMP1]: 6, [TLV_SMP1Q]: 6, [TLV_SMP2]: 11, [TLV_SMP3]: 8, [TLV_SMP4]: 3 };
  for (const state of Object.keys(expected) as VictimState[]) {
    for (const type of [TLV_SMP1, TLV_SMP2, TLV_SMP3, TLV_SMP4, TLV_SMP1Q]) {
      if (expected[state].includes(type)) continue;
      it(`TLV ${type} while the victim is ${state}: abort (TLV 6), back to idle, session intact`, () => {
        const scene = victimIn(state, `wrong-${state}-${type}`);
        // A well-formed payload (every MPI 2), so only the state check can refuse it.
        const values = Array.from({ length: counts[type]! }, () => mpiBody(2n));
        const tlv: Tlv = { type, value: type === TLV_SMP1Q ? Uint8Array.from([...bytesOf('question?'), 0, ...encode(values)]) : encode(values) };
        const before: ConversationStatus = { ...scene.status(), smp: 'idle' };
        const outcome = scene.toVictim(scene.tlvMessage([tlv]));
        expect(outcome.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected', peer: EVIL, instance: EVIL_TAG }]);
        expect(scene.read(outcome).tlvs).toEqual([[{ type: TLV_SMP_ABORT, value: new Uint8Array(0) }]]);
        scene.smp = SMP_IDLE;
        scene.expectIntact(before);
      });
    }
    it(`SMP abort (TLV 6) while the victim is ${state}: back to idle, nothing sent back`, () => {
      const scene = victimIn(state, `abort-${state}`);
      const outcome = scene.toVictim(scene.tlvMessage([{ type: TLV_SMP_ABORT, value: new Uint8Array(0) }]));
      expect(outcome.send).toEqual([]);
      expect(outcome.events).toEqual(state === 'idle' ? [] : [{ kind: 'smp-aborted', by: 'peer', peer: EVIL, instance: EVIL_TAG }]);
      scene.smp = SMP_IDLE;
      scene.expectIntact({ ...scene.status(), smp: 'idle' });
    });
  }
});

describe('SMP replays', () => {
  it('SMP message 1 after the victim sent message 3 aborts (unexpected) and no result is ever reported', () => {
    const { scene, values: message4 } = expecting(4, 'replay-after-3');
    const { values: message1 } = expecting(1, 'replay-after-3-m1');
    const outcome = scene.toVictim(scene.smpTlv(TLV_SMP1, message1));
    expect(outcome.events).toEqual([{ kind: 'smp-aborted', by: 'protocol', reason: 'unexpected', peer: EVIL, instance: EVIL_TAG }]);
    expect(scene.status().smp).toBe('idle');
    // The honest message 4 now arrives in idle: unexpected again, never a result.
    const late = scene.toVictim(scene.smpTlv(TLV_SMP4, message4));
    expect(eventsOf(late, 'smp-result')).toEqual([]);
    expect(eventsOf(late, 'smp-aborted')).toEqual([expect.objectContaining({ reason: 'unexpected' })]);
    scene.expectIntact({ ...scene.status(), smp: 'idle' });
  });

  it('the data message that carried SMP message 1, replayed after message 3, is refused and starts nothing', () => {
    const scene = Scene.encrypted('replay-m1-data');
    const start = scene.smpApply(smpStart(SMP_IDLE, bytesOf(SECRET), undefined, scene.smpContext));
    const carrier = scene.tlvMessage(start);
    expect(eventsOf(scene.toVictim(carrier), 'smp-request')).toHaveLength(1);
    const [step3] = scene.smpAbsorb(scene.read(victimOutcome(scene, (now) => scene.victim.answerSmp(EVIL, SECRET, now, { instance: EVIL_TAG }))));
    const done = scene.toVictim(scene.tlvMessage(step3!.send));
    expect(eventsOf(done, 'smp-result')).toEqual([expect.objectContaining({ success: true })]);
    scene.smpAbsorb(scene.read(done));
    const before = scene.status();
    // Both sides rotated keys since: the pairing (1, 1) the carrier used is forgotten.
    const replay = scene.toVictim(carrier);
    expect(replay.events).toEqual([expect.objectContaining({ kind: 'dropped', reason: 'unreadable' })]);
    expect(replay.send).toEqual([]);
    scene.expectIntact(before);
  });

  it('after an abort over a forged message, a fresh honest SMP still succeeds', () => {
    const { scene, values } = expecting(2, 'fresh-after-abort');
    expectAbort(scene, 2, replace(values, { 6: 1n }), 'bad-group-element');
    scene.smpAbsorb(scene.read(victimOutcome(scene, (now) => scene.victim.startSmp(EVIL, SECRET, undefined, now, { instance: EVIL_TAG }))));
    const answer = scene.smpApply(smpAnswer(scene.smp, bytesOf(SECRET), scene.smpContext));
    const [step] = scene.smpAbsorb(scene.read(scene.toVictim(scene.tlvMessage(answer))));
    const done = scene.toVictim(scene.tlvMessage(step!.send));
    expect(eventsOf(done, 'smp-result')).toEqual([expect.objectContaining({ success: true })]);
  });
});

function encode(values: readonly Uint8Array[]): Uint8Array {
  const out: number[] = [0, 0, 0, values.length];
  for (const v of values) out.push(0, 0, 0, v.length, ...v);
  return Uint8Array.from(out);
}
