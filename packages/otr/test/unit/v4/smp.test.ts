/**
 * OTRv4 SMP over Ed448 through the state machine shared with v3 (smp/),
 * two parties talking directly: full runs with and without a question,
 * success and failure, aborts at every step by either side, every
 * rejection of a received value (point not on the curve, identity, small
 * order, scalar >= q, tampered c or d, messages out of order, malformed),
 * the secret's formula, no secret in events or inspection, and the count of
 * scalar multiplications (with v3's time beside it, reported, not asserted).
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ed448 } from '@noble/curves/ed448.js';
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../src/crypto/random.js';
import { trackSecrets } from '../../../src/crypto/secret.js';
import { decodePoint, ed448OperationCounts, resetEd448OperationCounts } from '../../../src/crypto/v4/ed448.js';
import { isCryptoRejection } from '../../../src/crypto/v4/rejection.js';
import { ORDER, ORDER_BYTES, bigintToLe, leToBigint } from '../../../src/crypto/v4/scalar.js';
import { smpSecret } from '../../../src/crypto/v4/smp-math.js';
import { UsageError } from '../../../src/errors.js';
import * as v3 from '../../../src/v3/smp.js';
import { SMP_IDLE, smpAbort, smpAnswer, smpReceive, smpStart, V4_SMP, type SmpContext, type SmpEvent, type SmpState, type SmpStep } from '../../../src/v4/smp.js';
import type { Tlv } from '../../../src/wire/tlv.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  encodeSmpMessage1,
  encodeSmpMessage2,
  encodeSmpMessage3,
  encodeSmpMessage4,
} from '../../../src/wire/v4/smp-messages.js';
import { V4_TLV } from '../../../src/wire/v4/tlv.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const fpA = new Uint8Array(56).fill(0xa1);
const fpB = new Uint8Array(56).fill(0xb2);
const ssid = Uint8Array.from([8, 7, 6, 5, 4, 3, 2, 1]);

interface Party {
  state: SmpState;
  readonly context: SmpContext;
  readonly events: SmpEvent[];
  readonly outbox: Tlv[][];
}

function party(name: string, ours: Uint8Array, theirs: Uint8Array): Party {
  return { state: SMP_IDLE, context: { ourFingerprint: ours, theirFingerprint: theirs, ssid, random: deterministicRandom(name) }, events: [], outbox: [] };
}
function pair(seed = 'v4 pair') {
  return { alice: party(`${seed} alice`, fpA, fpB), bob: party(`${seed} bob`, fpB, fpA) };
}
/** Installs a step's next state, wipes what it consumed (as the secure channel's caller does) and records what it sent and reported. */
function apply(p: Party, step: SmpStep): SmpStep {
  p.state = step.next;
  for (const secret of step.consumed) secret.wipe();
  if (step.send.length > 0) p.outbox.push(step.send);
  p.events.push(...step.events);
  return step;
}
const start = (p: Party, secret: string, question?: string) => apply(p, smpStart(p.state, utf8(secret), question, p.context));
const answer = (p: Party, secret: string) => apply(p, smpAnswer(p.state, utf8(secret), p.context));
const abort = (p: Party) => apply(p, smpAbort(p.state));
function receive(p: Party, tlv: Tlv): SmpStep {
  const step = smpReceive(p.state, tlv, p.context);
  if (step === undefined) throw new Error(`TLV ${tlv.type} not handled`);
  return apply(p, step);
}
function deliver(from: Party, to: Party): void {
  for (const tlvs of from.outbox.splice(0)) for (const tlv of tlvs) receive(to, tlv);
}
const sent = (p: Party): number[][] => p.outbox.map((tlvs) => tlvs.map((tlv) => tlv.type));

/** Runs an SMP until `until` deliveries (1: Bob has message 1 and answered, ... 4: Alice has message 4). */
function runTo(until: 0 | 1 | 2 | 3 | 4, secrets: [string, string] = ['s', 's'], question?: string, seed?: string) {
  const { alice, bob } = pair(seed);
  start(alice, secrets[0], question);
  if (until >= 1) {
    deliver(alice, bob);
    answer(bob, secrets[1]);
  }
  if (until >= 2) deliver(bob, alice);
  if (until >= 3) deliver(alice, bob);
  if (until >= 4) deliver(bob, alice);
  return { alice, bob };
}

/** Takes the one TLV `p` has to send. */
function takeOne(p: Party): Tlv {
  const messages = p.outbox.splice(0);
  expect(messages).toHaveLength(1);
  const tlv = messages[0]?.[0];
  if (tlv === undefined || messages[0]?.length !== 1) throw new Error('expected one TLV');
  return tlv;
}

const aborted = (reason: string): SmpEvent => ({ kind: 'smp-aborted', by: 'protocol', reason }) as SmpEvent;

describe('v4 SMP complete runs', () => {
  it('equal secrets without a question: TLVs 2, 3, 4, 5; both report success and end idle', () => {
    const { alice, bob } = pair();
    start(alice, 'blue whale');
    expect(sent(alice)).toEqual([[V4_TLV.SMP1]]);
    expect(alice.state.kind).toBe('expect2');
    deliver(alice, bob);
    expect(bob.events).toEqual([{ kind: 'smp-request', question: null }]);
    expect(bob.state.kind).toBe('awaiting-answer');
    answer(bob, 'blue whale');
    expect(sent(bob)).toEqual([[V4_TLV.SMP2]]);
    deliver(bob, alice);
    expect(sent(alice)).toEqual([[V4_TLV.SMP3]]);
    expect(alice.state.kind).toBe('expect4');
    deliver(alice, bob);
    expect(sent(bob)).toEqual([[V4_TLV.SMP4]]);
    expect(bob.state).toBe(SMP_IDLE);
    deliver(bob, alice);
    expect(alice.state).toBe(SMP_IDLE);
    expect(alice.outbox).toEqual([]);
    expect(alice.events).toEqual([{ kind: 'smp-result', success: true }]);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
  });

  it('with a question: it travels in message 1 (TLV 2) as UTF-8 and the run succeeds', () => {
    const { alice, bob } = runTo(4, ['Zürich 🐋', 'Zürich 🐋'], 'Où étions-nous ? 🐋');
    expect(bob.events[0]).toEqual({ kind: 'smp-request', question: 'Où étions-nous ? 🐋' });
    expect(alice.events).toEqual([{ kind: 'smp-result', success: true }]);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
  });

  it('message 1 carries the question as DATA, empty without one (and an empty question reads as none)', () => {
    const withQuestion = pair();
    start(withQuestion.alice, 's', 'q?');
    const tlv = takeOne(withQuestion.alice);
    const decoded = decodeSmpMessage1(tlv.value);
    if ('code' in decoded) throw new Error('decode');
    expect(Buffer.from(decoded.question).toString()).toBe('q?');
    const empty = pair();
    start(empty.alice, 's', '');
    deliver(empty.alice, empty.bob);
    expect(empty.bob.events).toEqual([{ kind: 'smp-request', question: null }]);
  });

  it('different secrets, with and without a question: both report failure', () => {
    for (const question of [undefined, 'colour?']) {
      const { alice, bob } = runTo(4, ['red', 'green'], question);
      expect(alice.events).toEqual([{ kind: 'smp-result', success: false }]);
      expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: false });
      expect([alice.state, bob.state]).toEqual([SMP_IDLE, SMP_IDLE]);
    }
  });

  it('the same secret in different sessions (SSID) or with swapped fingerprints fails', () => {
    const { alice, bob } = pair();
    const other = { ...bob.context, ssid: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]) };
    const bobElsewhere: Party = { ...bob, context: other };
    start(alice, 'same');
    deliver(alice, bobElsewhere);
    answer(bobElsewhere, 'same');
    deliver(bobElsewhere, alice);
    deliver(alice, bobElsewhere);
    deliver(bobElsewhere, alice);
    expect(alice.events).toEqual([{ kind: 'smp-result', success: false }]);
  });

  it('TLVs 0, 1 and 7 are not SMP: the machine leaves them to the channel', () => {
    for (const type of [V4_TLV.PADDING, V4_TLV.DISCONNECTED, V4_TLV.EXTRA_SYMMETRIC_KEY, 8, 0x1234]) {
      expect(smpReceive(SMP_IDLE, { type, value: new Uint8Array(4) }, pair().alice.context)).toBeUndefined();
    }
  });
});

describe('v4 SMP abort at every step, from either side', () => {
  const stages = [0, 1, 2, 3] as const;
  for (const until of stages) {
    for (const who of ['alice', 'bob'] as const) {
      it(`${who} aborts after ${until} deliveries: TLV 6 sent, the peer reports it, both idle, late messages are refused`, () => {
        const parties = runTo(until);
        const me = parties[who];
        const peer = who === 'alice' ? parties.bob : parties.alice;
        const pending = me.outbox.splice(0);
        const wasRunning = me.state.kind !== 'idle';
        const before = me.events.length;
        abort(me);
        expect(sent(me)).toEqual([[V4_TLV.SMP_ABORT]]);
        expect(me.state).toBe(SMP_IDLE);
        expect(me.events.slice(before)).toEqual(wasRunning ? [{ kind: 'smp-aborted', by: 'us' }] : []);
        const peerRunning = peer.state.kind !== 'idle';
        peer.outbox.splice(0);
        deliver(me, peer);
        expect(peer.state).toBe(SMP_IDLE);
        if (peerRunning) expect(peer.events.at(-1)).toEqual({ kind: 'smp-aborted', by: 'peer' });
        expect(peer.outbox).toEqual([]);
        // What the aborting side had queued before it aborted now arrives late: the peer restarts cleanly.
        for (const tlvs of pending) for (const tlv of tlvs) receive(peer, tlv);
        if (pending.length > 0 && pending[0]?.[0]?.type !== V4_TLV.SMP1) {
          expect(peer.events.at(-1)).toEqual(aborted('unexpected'));
          expect(sent(peer)).toEqual([[V4_TLV.SMP_ABORT]]);
        }
      });
    }
  }

  it('the user restarts while an SMP runs: abort and a new message 1 in one data message', () => {
    const { alice, bob } = runTo(2);
    alice.outbox.splice(0);
    start(alice, 'again', 'new?');
    expect(sent(alice)).toEqual([[V4_TLV.SMP_ABORT, V4_TLV.SMP1]]);
    deliver(alice, bob);
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-request', question: 'new?' });
    answer(bob, 'again');
    deliver(bob, alice);
    deliver(alice, bob);
    deliver(bob, alice);
    expect(alice.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
  });
});

// ---- rejections ----

type Field = string;
const FIELD_DECODERS = {
  1: [decodeSmpMessage1, encodeSmpMessage1],
  2: [decodeSmpMessage2, encodeSmpMessage2],
  3: [decodeSmpMessage3, encodeSmpMessage3],
  4: [decodeSmpMessage4, encodeSmpMessage4],
} as const;

/** The TLV with one field replaced. */
function withField(step: 1 | 2 | 3 | 4, tlv: Tlv, field: Field, value: Uint8Array | ((old: Uint8Array) => Uint8Array)): Tlv {
  const [decode, encode] = FIELD_DECODERS[step] as unknown as [(v: Uint8Array) => Record<string, Uint8Array>, (m: Record<string, Uint8Array>) => Uint8Array];
  const message = { ...decode(tlv.value) };
  const old = message[field];
  if (old === undefined) throw new Error(`no field ${field}`);
  message[field] = typeof value === 'function' ? value(old) : value;
  return { type: tlv.type, value: encode(message) };
}

/** The receiver of message `step` and that message, ready for delivery. */
function atStep(step: 1 | 2 | 3 | 4): { receiver: Party; tlv: Tlv } {
  const { alice, bob } = runTo((step - 1) as 0 | 1 | 2 | 3, ['s', 's'], step === 1 ? 'q' : undefined, `reject ${step}`);
  const sender = step % 2 === 1 ? alice : bob;
  const receiver = step % 2 === 1 ? bob : alice;
  return { receiver, tlv: takeOne(sender) };
}

const FIELD_PRIME = (1n << 448n) - (1n << 224n) - 1n;
/** A POINT encoding of y with the sign bit clear. */
const encodeY = (y: bigint): Uint8Array => bigintToLe(y, 57);
/** An encoding whose y has no x on Ed448-Goldilocks. */
const NOT_ON_CURVE = (() => {
  for (let y = 2n; ; y++) {
    const bytes = encodeY(y);
    const decoded = decodePoint(bytes);
    if (isCryptoRejection(decoded) && decoded.code === 'not-on-curve') return bytes;
  }
})();
const IDENTITY = encodeY(1n);
/** (0, -1): order 2. */
const ORDER_TWO = encodeY(FIELD_PRIME - 1n);
/** G + (0, -1): on the curve, not in the prime-order subgroup. */
const MIXED_ORDER = ed448.Point.BASE.add(ed448.Point.fromBytes(ORDER_TWO)).toBytes();

const POINT_FIELDS = { 1: ['g2a', 'g3a'], 2: ['g2b', 'g3b', 'pb', 'qb'], 3: ['pa', 'qa', 'ra'], 4: ['rb'] } as const;
const SCALAR_FIELDS = { 1: ['c2', 'd2', 'c3', 'd3'], 2: ['c2', 'd2', 'c3', 'd3', 'cp', 'd5', 'd6'], 3: ['cp', 'd5', 'd6', 'cr', 'd7'], 4: ['cr', 'd7'] } as const;
const steps = [1, 2, 3, 4] as const;

/** The scalar + 1 mod q, still canonical. */
const plusOne = (old: Uint8Array): Uint8Array => bigintToLe((leToBigint(old) + 1n) % ORDER, 57);

function expectRefused(receiver: Party, tlv: Tlv, reason: string): void {
  const before = receiver.events.length;
  receive(receiver, tlv);
  expect(receiver.events.slice(before)).toEqual([aborted(reason)]);
  expect(sent(receiver)).toEqual([[V4_TLV.SMP_ABORT]]);
  expect(receiver.state).toBe(SMP_IDLE);
}

describe('v4 SMP rejections: every received value is checked', () => {
  it('the bad points used below are what they claim', () => {
    const code = (bytes: Uint8Array) => {
      const decoded = decodePoint(bytes);
      return isCryptoRejection(decoded) ? decoded.code : 'accepted';
    };
    expect([code(NOT_ON_CURVE), code(IDENTITY), code(ORDER_TWO), code(MIXED_ORDER)]).toEqual(['not-on-curve', 'identity-point', 'not-in-subgroup', 'not-in-subgroup']);
  });

  for (const step of steps) {
    for (const field of POINT_FIELDS[step]) {
      it(`message ${step}: ${field} not on the curve, the identity, of order 2 or of mixed order is a bad group element`, () => {
        for (const bad of [NOT_ON_CURVE, IDENTITY, ORDER_TWO, MIXED_ORDER]) {
          const { receiver, tlv } = atStep(step);
          expectRefused(receiver, withField(step, tlv, field, bad), 'bad-group-element');
        }
      });
    }
    for (const field of SCALAR_FIELDS[step]) {
      it(`message ${step}: ${field} >= q is a bad exponent; ${field} changed (still < q) is a bad proof`, () => {
        for (const bad of [ORDER_BYTES, new Uint8Array(57).fill(0xff)]) {
          const { receiver, tlv } = atStep(step);
          expectRefused(receiver, withField(step, tlv, field, bad), 'bad-exponent');
        }
        const { receiver, tlv } = atStep(step);
        expectRefused(receiver, withField(step, tlv, field, plusOne), 'bad-proof');
      });
    }
    it(`message ${step}: a valid point swapped for another (G) fails a proof`, () => {
      for (const field of POINT_FIELDS[step]) {
        const { receiver, tlv } = atStep(step);
        expectRefused(receiver, withField(step, tlv, field, ed448.Point.BASE.toBytes()), 'bad-proof');
      }
    });
    it(`message ${step}: truncated or with a trailing byte is malformed`, () => {
      const { receiver, tlv } = atStep(step);
      expectRefused(receiver, { type: tlv.type, value: tlv.value.subarray(0, tlv.value.length - 1) }, 'malformed');
      const again = atStep(step);
      expectRefused(again.receiver, { type: again.tlv.type, value: Uint8Array.from([...again.tlv.value, 0]) }, 'malformed');
    });
  }

  it('messages out of order are unexpected: 2 in idle, 3 in EXPECT2, 4 in EXPECT3, 1 in EXPECT4, and a replayed 3', () => {
    const two = atStep(2).tlv;
    const three = atStep(3).tlv;
    const four = atStep(4).tlv;
    const one = atStep(1).tlv;
    expectRefused(pair().bob, two, 'unexpected');
    const aliceIn2 = runTo(0, ['s', 's'], undefined, 'ooo2').alice;
    aliceIn2.outbox.splice(0);
    expectRefused(aliceIn2, three, 'unexpected');
    const bobIn3 = runTo(1, ['s', 's'], undefined, 'ooo3').bob;
    bobIn3.outbox.splice(0);
    expectRefused(bobIn3, four, 'unexpected');
    const aliceIn4 = runTo(2, ['s', 's'], undefined, 'ooo4').alice;
    aliceIn4.outbox.splice(0);
    expectRefused(aliceIn4, one, 'unexpected');
    const done = runTo(4, ['s', 's'], undefined, 'replay');
    done.bob.outbox.splice(0);
    expectRefused(done.bob, three, 'unexpected');
  });

  it("a message from another run (another party's randoms) fails its proof", () => {
    const { receiver } = atStep(3);
    const foreign = runTo(2, ['s', 's'], undefined, 'foreign').alice;
    expectRefused(receiver, takeOne(foreign), 'bad-proof');
  });
});

describe('v4 SMP secret ("Secret Information")', () => {
  const shake = (size: number, ...parts: Uint8Array[]): Uint8Array => {
    const hash = createHash('shake256', { outputLength: size });
    for (const part of parts) hash.update(part);
    return new Uint8Array(hash.digest());
  };
  const input = (secret: Uint8Array) => [utf8('OTRv4'), Uint8Array.of(0x19, 0x01), fpA, fpB, ssid, Uint8Array.of(0, 0, 0, secret.length), secret];
  const exposeOf = (s: { expose(): Uint8Array }) => s.expose();

  it("otr4j's reading (SMP_SECRET_AS_OTR4J): SHAKE-256('OTRv4' || 0x19 || 0x01 || fpI || fpR || SSID || DATA(secret), 64) mod q", () => {
    const expected = bigintToLe(leToBigint(shake(64, ...input(utf8('hunter2')))) % ORDER, 57);
    expect(exposeOf(smpSecret(fpA, fpB, ssid, utf8('hunter2')))).toEqual(expected);
    expect(exposeOf(smpSecret(fpA, fpB, ssid, utf8('hunter2'), true))).toEqual(expected);
  });

  it('the spec text: the first 57 bytes, pruned, mod q', () => {
    const digest = shake(57, ...input(utf8('hunter2')));
    digest[0] = (digest[0] ?? 0) & 0xfc;
    digest[56] = 0;
    digest[55] = (digest[55] ?? 0) | 0x80;
    expect(exposeOf(smpSecret(fpA, fpB, ssid, utf8('hunter2'), false))).toEqual(bigintToLe(leToBigint(digest) % ORDER, 57));
  });

  it('binds the order of the fingerprints, the SSID and the exact secret bytes', () => {
    const base = exposeOf(smpSecret(fpA, fpB, ssid, utf8('x')));
    expect(exposeOf(smpSecret(fpB, fpA, ssid, utf8('x')))).not.toEqual(base);
    expect(exposeOf(smpSecret(fpA, fpB, new Uint8Array(8), utf8('x')))).not.toEqual(base);
    expect(exposeOf(smpSecret(fpA, fpB, ssid, utf8('x ')))).not.toEqual(base);
  });

  it('fingerprints other than 56 bytes or an SSID other than 8 bytes are a usage error', () => {
    expect(() => smpSecret(new Uint8Array(20), fpB, ssid, utf8('x'))).toThrow(UsageError);
    expect(() => smpSecret(fpA, fpB, new Uint8Array(7), utf8('x'))).toThrow(UsageError);
    expect(() => start(party('v3 sizes', new Uint8Array(20), new Uint8Array(20)), 'x')).toThrow(UsageError);
  });
});

describe('v4 SMP secrets stay inside', () => {
  it('every Secret made during a run is wiped by its end; no state, step or event shows a secret', () => {
    const tracking = trackSecrets();
    const { alice, bob } = pair('wipe');
    const seen: unknown[] = [];
    const record = (p: Party) => seen.push(p.state, p.events);
    start(alice, 'very secret words', 'hint?');
    record(alice);
    deliver(alice, bob);
    record(bob);
    answer(bob, 'very secret words');
    record(bob);
    const bobExpect3 = bob.state;
    deliver(bob, alice);
    record(alice);
    deliver(alice, bob);
    deliver(bob, alice);
    tracking.stop();
    expect(tracking.secrets.size).toBeGreaterThan(0);
    expect([...tracking.secrets].every((secret) => secret.wiped)).toBe(true);
    if (bobExpect3.kind !== 'expect3') throw new Error('state');
    expect(bobExpect3.secrets.wiped).toBe(true);
    for (const value of seen) {
      const text = `${inspect(value, { depth: 10 })}${JSON.stringify(value)}`;
      expect(text).not.toContain('very secret words');
    }
    const running = runTo(2, ['s', 's'], undefined, 'inspect').alice.state;
    if (running.kind !== 'expect4') throw new Error('state');
    expect(inspect(running, { depth: 10 })).toContain('redacted');
    expect(JSON.stringify(running)).toContain('redacted');
    expect(String(running.secrets)).toContain('redacted');
  });
});

describe('v4 SMP cost', () => {
  it('one SMP costs 22 base and 36 variable-point scalar multiplications plus 10 subgroup checks (v3 time beside it)', () => {
    resetEd448OperationCounts();
    const { alice, bob } = runTo(4, ['s', 's'], undefined, 'cost');
    const counts = ed448OperationCounts();
    expect(alice.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
    expect(bob.events.at(-1)).toEqual({ kind: 'smp-result', success: true });
    expect(counts).toEqual({ baseMultiplications: 22, pointMultiplications: 36, subgroupChecks: 10 });

    // Reported, not asserted: the target is v4 SMP no slower than v3 SMP.
    const time = (run: () => void, rounds: number): number => {
      run();
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) run();
      return (performance.now() - t0) / rounds;
    };
    const v4ms = time(() => runTo(4, ['s', 's'], undefined, 'timing'), 3);
    const v3ms = time(() => {
      const ctx = (name: string, ours: Uint8Array, theirs: Uint8Array) => ({ ourFingerprint: ours, theirFingerprint: theirs, ssid, random: deterministicRandom(name) });
      const a = ctx('v3 a', new Uint8Array(20).fill(1), new Uint8Array(20).fill(2));
      const b = ctx('v3 b', new Uint8Array(20).fill(2), new Uint8Array(20).fill(1));
      const s1 = v3.smpStart(v3.SMP_IDLE, utf8('s'), undefined, a);
      const s2 = v3.smpReceive(v3.SMP_IDLE, s1.send[0] as Tlv, b);
      const s3 = v3.smpAnswer(s2?.next ?? v3.SMP_IDLE, utf8('s'), b);
      const s4 = v3.smpReceive(s1.next, s3.send[0] as Tlv, a);
      const s5 = v3.smpReceive(s3.next, s4?.send[0] as Tlv, b);
      const s6 = v3.smpReceive(s4?.next ?? v3.SMP_IDLE, s5?.send[0] as Tlv, a);
      expect(s6?.events).toEqual([{ kind: 'smp-result', success: true }]);
    }, 3);
    console.info(`SMP, both sides in process: v4 ${v4ms.toFixed(1)} ms, v3 ${v3ms.toFixed(1)} ms (v4/v3 ${(v4ms / v3ms).toFixed(2)})`);
    expect(V4_SMP.stepOf({ type: V4_TLV.SMP4, value: new Uint8Array(0) })).toBe(4);
  });
});

describe('v4 SMP usage errors', () => {
  it('answering with no request waiting throws UsageError; aborting in idle sends TLV 6 and reports nothing', () => {
    const { alice } = pair();
    expect(() => answer(alice, 'x')).toThrow(UsageError);
    abort(alice);
    expect(sent(alice)).toEqual([[V4_TLV.SMP_ABORT]]);
    expect(alice.events).toEqual([]);
  });
});
