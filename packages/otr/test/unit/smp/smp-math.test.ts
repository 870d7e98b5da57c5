/** SMP arithmetic: full runs, and every checked value at its boundaries in every message. */
import { describe, expect, it } from 'vitest';
import { bigintToBytes } from '../../../src/crypto/bigint.js';
import { MODP_ORDER as q, MODP_PRIME as p } from '../../../src/crypto/modp.js';
import { deterministicRandom } from '../../../src/crypto/random.js';
import { smpSecret, smpStep1, smpStep2a, smpStep2b, smpStep3, smpStep4, smpStep5 } from '../../../src/crypto/smp-math.js';

const fpA = new Uint8Array(20).fill(1);
const fpB = new Uint8Array(20).fill(2);
const ssid = new Uint8Array(8).fill(3);
const enc = new TextEncoder();

function run(secretA: string, secretB: string, seed = 'run') {
  const random = deterministicRandom(seed);
  const x = smpSecret(fpA, fpB, ssid, enc.encode(secretA));
  const y = smpSecret(fpA, fpB, ssid, enc.encode(secretB));
  const m1 = smpStep1(x, random);
  const received = smpStep2a(m1.message);
  if (typeof received === 'string') throw new Error(received);
  const m2 = smpStep2b(received, y, random);
  const m3 = smpStep3(m1.state, m2.message, random);
  if (typeof m3 === 'string') throw new Error(m3);
  const m4 = smpStep4(m2.state, m3.message, random);
  if (typeof m4 === 'string') throw new Error(m4);
  const m5 = smpStep5(m3.state, m4.message);
  if (typeof m5 === 'string') throw new Error(m5);
  return { m1, m2, m3, m4, bob: m4.success, alice: m5.success };
}

const b = (value: bigint): Uint8Array => bigintToBytes(value);
const elementCases: [string, bigint, string | undefined][] = [
  ['0', 0n, 'bad-group-element'],
  ['1', 1n, 'bad-group-element'],
  ['2', 2n, undefined],
  ['p-2', p - 2n, undefined],
  ['p-1', p - 1n, 'bad-group-element'],
  ['p', p, 'bad-group-element'],
  ['p+1', p + 1n, 'bad-group-element'],
];
const exponentCases: [string, bigint, string | undefined][] = [
  ['0', 0n, 'bad-exponent'],
  ['1', 1n, undefined],
  ['q-1', q - 1n, undefined],
  ['q', q, 'bad-exponent'],
  ['q+1', q + 1n, 'bad-exponent'],
];

/** Replaces one value of a message; a value that passes the range check must still fail the proof. */
function withValue(message: Uint8Array[], index: number, value: bigint): Uint8Array[] {
  const copy = [...message];
  copy[index] = b(value);
  return copy;
}

describe('SMP arithmetic', () => {
  it('succeeds for equal secrets and fails for different ones, on both sides', () => {
    expect(run('same', 'same')).toMatchObject({ alice: true, bob: true });
    expect(run('one', 'two')).toMatchObject({ alice: false, bob: false });
  });

  const positions = {
    message1: { elements: [0, 3], exponents: [2, 5] },
    message2: { elements: [0, 3, 6, 7], exponents: [2, 5, 9, 10] },
    message3: { elements: [0, 1, 5], exponents: [3, 4, 7] },
    message4: { elements: [0], exponents: [2] },
  };

  function verdict(which: keyof typeof positions, message: Uint8Array[]): string | undefined {
    const random = deterministicRandom('check');
    let result: unknown;
    if (which === 'message1') result = smpStep2a(message);
    if (which === 'message2') result = smpStep3(run('s', 's', 'fresh-1').m1.state, message, random);
    if (which === 'message3') result = smpStep4(run('s', 's', 'fresh-2').m2.state, message, random);
    if (which === 'message4') result = smpStep5(run('s', 's', 'fresh-3').m3.state, message);
    return typeof result === 'string' ? result : undefined;
  }

  for (const which of Object.keys(positions) as (keyof typeof positions)[]) {
    const base = () => {
      const t = run('s', 's', 'base');
      return { message1: t.m1.message, message2: t.m2.message, message3: t.m3.message, message4: t.m4.message }[which];
    };
    for (const index of positions[which].elements) {
      for (const [name, value, want] of elementCases) {
        it(`${which} element #${index} = ${name}`, () => {
          const got = verdict(which, withValue(base(), index, value));
          if (want !== undefined) expect(got).toBe(want);
          else expect(got).toBe('bad-proof');
        });
      }
    }
    for (const index of positions[which].exponents) {
      for (const [name, value, want] of exponentCases) {
        it(`${which} exponent #${index} = ${name}`, () => {
          const got = verdict(which, withValue(base(), index, value));
          if (want !== undefined) expect(got).toBe(want);
          else expect(got).toBe('bad-proof');
        });
      }
    }
  }

  it('rejects tampered c values and wrong MPI counts', () => {
    const t = run('s', 's', 'tamper');
    const c = t.m1.message.slice();
    c[1] = b(12345n);
    expect(smpStep2a(c)).toBe('bad-proof');
    expect(smpStep2a(t.m1.message.slice(0, 5))).toBe('bad-proof');
  });
});
