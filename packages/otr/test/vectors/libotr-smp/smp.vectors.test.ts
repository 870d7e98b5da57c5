/**
 * SMP against libotr and python-potr (smp.json, see README.md): the secrets
 * x and y as potr computes them, every message byte for byte as libotr's
 * otrl_sm_step1..5 produce them from the same random bytes, libotr's
 * verdicts on every altered message, and potr's TLV 7 values.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../../../src/crypto/random.js';
import { Secret } from '../../../src/crypto/secret.js';
import {
  smpSecret,
  smpStep1,
  smpStep2a,
  smpStep2b,
  smpStep3,
  smpStep4,
  smpStep5,
  type SmpCheckFailure,
} from '../../../src/crypto/v3/smp-math.js';
import { isDecodeError } from '../../../src/errors.js';
import {
  decodeSmpMessage1,
  decodeSmpMessage2,
  decodeSmpMessage3,
  decodeSmpMessage4,
  decodeSmpPayload,
  encodeSmpPayload,
  joinSmpQuestion,
  splitSmpQuestion,
  SMP_MPI_COUNTS,
} from '../../../src/wire/smp-payload.js';

interface Step {
  step: '1' | '2a' | '2b' | '3' | '4' | '5';
  received?: string;
  sent?: string;
  error: number;
  prog: 'ok' | 'cheated' | 'failed' | 'succeeded';
}
interface Vectors {
  packages: Record<string, string>;
  secrets: {
    label: string;
    initiatorFingerprint: string;
    responderFingerprint: string;
    ssid: string;
    initiatorSecret: string;
    responderSecret: string;
    x: string;
    y: string;
  }[];
  runs: { label: string; secrets: string; draws: string[]; steps: Step[] }[];
  tampered: {
    base: string;
    cases: {
      label: string;
      message: 1 | 2 | 3 | 4;
      index: number;
      kind: 'element' | 'exponent' | 'hash';
      value: string;
      valueHex?: string;
      payloadHex?: string;
      inSubgroup: boolean;
      payloadSha256: string;
      libotr: { step: string; prog: Step['prog'] };
    }[];
  };
  questions: { question: string; message1: string; tlvValue: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('smp.json', import.meta.url), 'utf8')) as Vectors;
const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.length % 2 === 1 ? `0${text}` : text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Gives libotr's recorded random draws in order, from `start`; libotr always draws 192 bytes. */
function replay(draws: readonly string[], start = 0): RandomSource & { used: () => number } {
  let next = start;
  const source = (length: number): Uint8Array => {
    const draw = draws[next++];
    if (draw === undefined) throw new Error('more random draws than libotr made');
    if (length !== draw.length / 2) throw new Error(`drew ${length} bytes where libotr drew ${draw.length / 2}`);
    return hex(draw);
  };
  return Object.assign(source, { used: () => next });
}

function ok<T>(value: T | SmpCheckFailure): T {
  if (typeof value === 'string') throw new Error(`unexpected ${value}`);
  return value;
}

function decoded<T>(value: T): Exclude<T, { kind: 'decode-error' }> {
  if (isDecodeError(value)) throw new Error(value.detail);
  return value as Exclude<T, { kind: 'decode-error' }>;
}

function secretsOf(label: string) {
  const entry = vectors.secrets.find((s) => s.label === label);
  if (entry === undefined) throw new Error(label);
  return entry;
}

/** Runs our five steps on one recorded run's inputs and draws. */
function ourRun(run: Vectors['runs'][number]) {
  const s = secretsOf(run.secrets);
  const random = replay(run.draws);
  const m1 = smpStep1(new Secret(hex(s.x)), random);
  const request = ok(smpStep2a(m1.message));
  const m2 = smpStep2b(request, new Secret(hex(s.y)), random);
  const m3 = ok(smpStep3(m1.state, m2.message, random));
  const m4 = ok(smpStep4(m2.state, m3.message, random));
  const m5 = ok(smpStep5(m3.state, m4.message));
  return { m1, m2, m3, m4, m5, request, drawsUsed: random.used() };
}

const libotrStep = (run: Vectors['runs'][number], name: Step['step']): Step => {
  const step = run.steps.find((s) => s.step === name);
  if (step === undefined) throw new Error(name);
  return step;
};

describe(`SMP secret as python-potr ${vectors.packages['python3-potr'] ?? ''} computes it`, () => {
  for (const s of vectors.secrets) {
    it(`${s.label}: x and y`, () => {
      const [fpI, fpR, ssid] = [hex(s.initiatorFingerprint), hex(s.responderFingerprint), hex(s.ssid)];
      expect(toHex(smpSecret(fpI, fpR, ssid, utf8(s.initiatorSecret)).expose())).toBe(s.x);
      expect(toHex(smpSecret(fpI, fpR, ssid, utf8(s.responderSecret)).expose())).toBe(s.y);
    });
  }
});

describe(`SMP messages as libotr ${vectors.packages['libotr5-dev'] ?? ''} computes them`, () => {
  for (const run of vectors.runs) {
    it(`${run.label}: the same messages from the same random draws, and the same verdicts`, () => {
      const ours = ourRun(run);
      expect(toHex(encodeSmpPayload(ours.m1.message))).toBe(libotrStep(run, '1').sent);
      expect(toHex(encodeSmpPayload(ours.m2.message))).toBe(libotrStep(run, '2b').sent);
      expect(toHex(encodeSmpPayload(ours.m3.message))).toBe(libotrStep(run, '3').sent);
      expect(toHex(encodeSmpPayload(ours.m4.message))).toBe(libotrStep(run, '4').sent);
      expect(ours.drawsUsed).toBe(run.draws.length);
      expect(ours.m4.success).toBe(libotrStep(run, '4').prog === 'succeeded');
      expect(ours.m5.success).toBe(libotrStep(run, '5').prog === 'succeeded');
    });

    it(`${run.label}: libotr's messages decode and pass our checks`, () => {
      const s = secretsOf(run.secrets);
      // Bob's side on libotr's messages 1 and 3, Alice's on 2 and 4, each with our own earlier state.
      const ours = ourRun(run);
      const m1 = decoded(decodeSmpMessage1(hex(libotrStep(run, '2a').received ?? '')));
      expect(smpStep2a(m1)).not.toBeTypeOf('string');
      const m2 = decoded(decodeSmpMessage2(hex(libotrStep(run, '3').received ?? '')));
      expect(smpStep3(ours.m1.state, m2, replay(run.draws, 11))).not.toBeTypeOf('string');
      const m3 = decoded(decodeSmpMessage3(hex(libotrStep(run, '4').received ?? '')));
      expect(ok(smpStep4(ours.m2.state, m3, replay(run.draws, 15))).success).toBe(s.x === s.y);
      const m4 = decoded(decodeSmpMessage4(hex(libotrStep(run, '5').received ?? '')));
      expect(ok(smpStep5(ours.m3.state, m4)).success).toBe(s.x === s.y);
    });
  }
});

describe('every altered value of every message, against libotr', () => {
  const found = vectors.runs.find((run) => run.label === vectors.tampered.base);
  if (found === undefined) throw new Error('base run missing');
  const base = found;
  const ours = ourRun(base);
  const messages = { 1: ours.m1.message, 2: ours.m2.message, 3: ours.m3.message, 4: ours.m4.message };

  /** Our verdict on an altered message: null when accepted. */
  function verdict(message: 1 | 2 | 3 | 4, payload: Uint8Array): SmpCheckFailure | null {
    const values = decoded(decodeSmpPayload(payload, SMP_MPI_COUNTS[message]));
    let result: unknown;
    if (message === 1) result = smpStep2a(decoded(decodeSmpMessage1(payload)));
    if (message === 2) result = smpStep3(ours.m1.state, decoded(decodeSmpMessage2(payload)), replay(base.draws, 11));
    if (message === 3) result = smpStep4(ours.m2.state, decoded(decodeSmpMessage3(payload)), replay(base.draws, 15));
    if (message === 4) result = smpStep5(ours.m3.state, decoded(decodeSmpMessage4(payload)));
    expect(values).toHaveLength(SMP_MPI_COUNTS[message]);
    return typeof result === 'string' ? (result as SmpCheckFailure) : null;
  }

  for (const c of vectors.tampered.cases) {
    it(`${c.label}: libotr says ${c.libotr.prog}`, () => {
      let payload: Uint8Array;
      if (c.payloadHex !== undefined) payload = hex(c.payloadHex);
      else {
        const values = [...messages[c.message]];
        values[c.index] = c.valueHex === '0' ? new Uint8Array(0) : hex(c.valueHex ?? '');
        payload = encodeSmpPayload(values);
      }
      // The very bytes libotr was given.
      expect(createHash('sha256').update(payload).digest('hex')).toBe(c.payloadSha256);
      const got = verdict(c.message, payload);
      if (c.kind === 'element' && !c.inSubgroup) {
        // Out of range, or (stricter than libotr, which may accept it) outside the order-q subgroup.
        expect(got).toBe('bad-group-element');
      } else {
        expect(c.libotr.prog).toBe('cheated');
        const outOfRange = c.kind === 'exponent' && (c.value === '0' || c.value === 'q');
        expect(got).toBe(outOfRange ? 'bad-exponent' : 'bad-proof');
      }
      if (c.libotr.prog !== 'cheated') expect(c.label).toBe('m1-g2a-outside-subgroup');
    });
  }
});

describe('SMP message 1Q as python-potr encodes it', () => {
  for (const q of vectors.questions) {
    it(`question ${JSON.stringify(q.question)}`, () => {
      const value = joinSmpQuestion(q.question, hex(q.message1));
      expect(toHex(value)).toBe(q.tlvValue);
      const split = splitSmpQuestion(hex(q.tlvValue));
      if (isDecodeError(split)) throw new Error(split.detail);
      expect(split.question).toBe(q.question);
      expect(toHex(split.payload)).toBe(q.message1);
    });
  }
});
