/**
 * OTRv4 SMP known answers from otr4j (test/vectors/otr4j/README.md gives
 * the provenance): with otr4j's random bytes, each of our steps computes
 * otr4j's message byte for byte; each otr4j message passes our checks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../../../src/crypto/random.js';
import { Secret } from '../../../src/crypto/secret.js';
import { decodePoint, type Ed448Point } from '../../../src/crypto/v4/ed448.js';
import { isCryptoRejection } from '../../../src/crypto/v4/rejection.js';
import {
  SmpV4AliceExpect2,
  SmpV4AliceExpect4,
  SmpV4BobExpect3,
  smpV4Step1,
  smpV4Step2a,
  smpV4Step2b,
  smpV4Step3,
  smpV4Step4,
  smpV4Step5,
  type SmpV4Message1,
  type SmpV4Message2,
  type SmpV4Message3,
  type SmpV4Message4,
} from '../../../src/crypto/v4/smp-math.js';

type Hex = Record<string, string>;
interface Vectors {
  step1: { secret: string; random: string; expected: Hex };
  step2: { secret: string; message1: Hex; random: string; expected: Hex };
  step3: { secret: string; a2: string; a3: string; message2: Hex; random: string; expected: Hex };
  step4: { b3: string; g3a: string; g2: string; g3: string; pb: string; qb: string; message3: Hex; random: string; expected: Hex };
  step5: { a3: string; g3b: string; pa: string; pb: string; qa: string; qb: string; message4: Hex };
}
const vectors = JSON.parse(readFileSync(new URL('../../vectors/otr4j/otr4j-smp.json', import.meta.url), 'utf8')) as Vectors;

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const hexOf = (record: object): Hex => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('hex')]));
const fields = (record: Hex): Record<string, Uint8Array> => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, bytes(v)]));
function point(hex: string): Ed448Point {
  const decoded = decodePoint(bytes(hex));
  if (isCryptoRejection(decoded)) throw new Error(`vector point refused: ${decoded.code}`);
  return decoded;
}

/** otr4j's FixedSecureRandom: the given bytes in order, and nothing more. */
function fixedRandom(hex: string): RandomSource & { remaining(): number } {
  const data = bytes(hex);
  let offset = 0;
  const source = (length: number): Uint8Array => {
    if (offset + length > data.length) throw new Error('fixed random exhausted');
    const out = data.slice(offset, offset + length);
    offset += length;
    return out;
  };
  return Object.assign(source, { remaining: () => data.length - offset });
}

describe('otr4j SMP vectors', () => {
  it('step 1: message 1 is otr4j StateExpect1.initiate for the same random bytes', () => {
    const v = vectors.step1;
    const random = fixedRandom(v.random);
    const { message } = smpV4Step1(new Secret(bytes(v.secret)), random);
    expect(hexOf(message)).toEqual(v.expected);
    expect(random.remaining()).toBe(0);
  });

  it("step 2: otr4j's message 1 passes our checks; message 2 is otr4j respondWithSecret's", () => {
    const v = vectors.step2;
    const request = smpV4Step2a((fields(v.message1) as unknown as SmpV4Message1));
    if (typeof request === 'string') throw new Error(request);
    const random = fixedRandom(v.random);
    const { message } = smpV4Step2b(request, new Secret(bytes(v.secret)), random);
    expect(hexOf(message)).toEqual(v.expected);
    expect(random.remaining()).toBe(0);
  });

  it("step 3: otr4j's message 2 passes our checks; message 3 is otr4j StateExpect2.process's", () => {
    const v = vectors.step3;
    const state = new SmpV4AliceExpect2({ x: bytes(v.secret), a2: bytes(v.a2), a3: bytes(v.a3) }, {});
    const random = fixedRandom(v.random);
    const result = smpV4Step3(state, (fields(v.message2) as unknown as SmpV4Message2), random);
    if (typeof result === 'string') throw new Error(result);
    expect(hexOf(result.message)).toEqual(v.expected);
    expect(random.remaining()).toBe(0);
  });

  it("step 4: otr4j's message 3 passes our checks; message 4 is otr4j StateExpect3.process's, and the secrets match", () => {
    const v = vectors.step4;
    const state = new SmpV4BobExpect3({ b3: bytes(v.b3) }, { g3a: point(v.g3a), g2: point(v.g2), g3: point(v.g3), pb: point(v.pb), qb: point(v.qb) });
    const random = fixedRandom(v.random);
    const result = smpV4Step4(state, (fields(v.message3) as unknown as SmpV4Message3), random);
    if (typeof result === 'string') throw new Error(result);
    expect(hexOf(result.message)).toEqual(v.expected);
    expect(result.success).toBe(true);
    expect(random.remaining()).toBe(0);
  });

  it("step 5: otr4j's message 4 passes our checks and the secrets match", () => {
    const v = vectors.step5;
    const state = new SmpV4AliceExpect4({ a3: bytes(v.a3) }, { g3b: point(v.g3b), pab: point(v.pa).subtract(point(v.pb)), qab: point(v.qa).subtract(point(v.qb)) });
    const result = smpV4Step5(state, (fields(v.message4) as unknown as SmpV4Message4));
    expect(result).toEqual({ success: true });
  });

  it('a tampered otr4j message 4 (d7 + 1) fails the proof', () => {
    const v = vectors.step5;
    const state = new SmpV4AliceExpect4({ a3: bytes(v.a3) }, { g3b: point(v.g3b), pab: point(v.pa).subtract(point(v.pb)), qab: point(v.qa).subtract(point(v.qb)) });
    const message = (fields(v.message4) as unknown as SmpV4Message4);
    const d7 = Uint8Array.from(message.d7);
    d7[0] = (d7[0] ?? 0) ^ 1;
    expect(smpV4Step5(state, { ...message, d7 })).toBe('bad-proof');
  });
});
