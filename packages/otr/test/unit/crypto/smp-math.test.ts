/**
 * SMP arithmetic (crypto/v3/smp-math.ts, crypto/v3/smp-proofs.ts): the secret's
 * hash input, the range and subgroup checks, full runs, values at and past
 * their bounds in every message position, tampered proofs, and what the
 * opaque states let out. Byte-exact agreement with libotr is in
 * test/vectors/libotr-smp/.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint } from '../../../src/crypto/bigint.js';
import { MODP_ORDER as q, MODP_PRIME as p, modpPow } from '../../../src/crypto/v3/modp.js';
import { deterministicRandom } from '../../../src/crypto/random.js';
import { Secret } from '../../../src/crypto/secret.js';
import { smpSecret, smpStep1, smpStep2a, smpStep2b, smpStep3, smpStep4, smpStep5, type SmpCheckFailure } from '../../../src/crypto/v3/smp-math.js';
import { isSmpExponent, isSmpGroupElement, smpHash } from '../../../src/crypto/v3/smp-proofs.js';

const fpA = new Uint8Array(20).fill(0xa1);
const fpB = new Uint8Array(20).fill(0xb2);
const ssid = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha256Hex = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

function ok<T>(value: T | SmpCheckFailure): T {
  if (typeof value === 'string') throw new Error(`unexpected ${value}`);
  return value;
}

function run(secretA: string, secretB: string, seed = 'run') {
  const random = deterministicRandom(seed);
  const m1 = smpStep1(smpSecret(fpA, fpB, ssid, utf8(secretA)), random);
  const request = ok(smpStep2a(m1.message));
  const m2 = smpStep2b(request, smpSecret(fpA, fpB, ssid, utf8(secretB)), random);
  const m3 = ok(smpStep3(m1.state, m2.message, random));
  const m4 = ok(smpStep4(m2.state, m3.message, random));
  const m5 = ok(smpStep5(m3.state, m4.message));
  return { m1, request, m2, m3, m4, bob: m4.success, alice: m5.success };
}

describe('the SMP secret ("Secret information")', () => {
  it('is SHA-256 of 0x01, initiator fingerprint, responder fingerprint, SSID and the user secret', () => {
    const secret = smpSecret(fpA, fpB, ssid, utf8('Grüße'));
    expect(Buffer.from(secret.expose()).toString('hex')).toBe(sha256Hex(Uint8Array.of(1), fpA, fpB, ssid, utf8('Grüße')));
    expect(smpSecret(fpB, fpA, ssid, utf8('Grüße')).expose()).not.toEqual(secret.expose());
    expect(inspect(secret)).not.toContain(Buffer.from(secret.expose()).toString('hex'));
  });
});

describe('the SMP hash', () => {
  it('hashes the version byte and each value as an MPI (0 as an empty MPI)', () => {
    expect(smpHash(1, 0n).toString(16).padStart(64, '0')).toBe(sha256Hex(Uint8Array.of(1, 0, 0, 0, 0)));
    expect(smpHash(7, 0x1234n, 0xffn).toString(16).padStart(64, '0')).toBe(sha256Hex(Uint8Array.of(7, 0, 0, 0, 2, 0x12, 0x34, 0, 0, 0, 1, 0xff)));
  });
});

describe('range and subgroup checks', () => {
  it('group elements: 2 <= x <= p-2 and x in the order-q subgroup', () => {
    // p = 7 mod 8, so 2 is a quadratic residue (in the subgroup) and -1 is not.
    expect(p % 8n).toBe(7n);
    expect([0n, 1n, p - 1n, p, p + 1n].map(isSmpGroupElement)).toEqual([false, false, false, false, false]);
    expect(isSmpGroupElement(2n)).toBe(true);
    expect(isSmpGroupElement(p - 2n)).toBe(false);
    const element = modpPow(2n, 0x123456789n);
    expect(isSmpGroupElement(element)).toBe(true);
    expect(isSmpGroupElement(p - element)).toBe(false);
  });

  it('exponents: 1 <= x < q', () => {
    expect([0n, 1n, q - 1n, q, q + 1n].map(isSmpExponent)).toEqual([false, true, true, false, false]);
  });
});

describe('full runs', () => {
  it('succeed for equal secrets and fail for different ones, on both sides', () => {
    expect(run('same', 'same')).toMatchObject({ alice: true, bob: true });
    expect(run('one', 'two')).toMatchObject({ alice: false, bob: false });
    expect(run('Grüße', 'Grüsse')).toMatchObject({ alice: false, bob: false });
  });

  it('send only values in range, and D values below q', () => {
    const t = run('s', 's', 'ranges');
    const elements = [t.m1.message[0], t.m1.message[3], ...[0, 3, 6, 7].map((i) => t.m2.message[i]), ...[0, 1, 5].map((i) => t.m3.message[i]), t.m4.message[0]];
    expect(elements.map((value) => isSmpGroupElement(bytesToBigint(value as Uint8Array)))).not.toContain(false);
  });

  it('steps leave their inputs untouched: the same state and draws give the same message', () => {
    const t = run('s', 's', 'pure');
    const again = ok(smpStep3(t.m1.state, t.m2.message, deterministicRandom('again')));
    const twice = ok(smpStep3(t.m1.state, t.m2.message, deterministicRandom('again')));
    expect(twice.message).toEqual(again.message);
  });
});

const b = (value: bigint): Uint8Array => bigintToBytes(value);
const ELEMENT_CASES: [string, bigint, SmpCheckFailure][] = [
  ['0', 0n, 'bad-group-element'],
  ['1', 1n, 'bad-group-element'],
  ['2', 2n, 'bad-proof'],
  ['p-2', p - 2n, 'bad-group-element'],
  ['p-1', p - 1n, 'bad-group-element'],
  ['p', p, 'bad-group-element'],
  ['p+1', p + 1n, 'bad-group-element'],
  ['2^1536-1', (1n << 1536n) - 1n, 'bad-group-element'],
];
const EXPONENT_CASES: [string, bigint, SmpCheckFailure][] = [
  ['0', 0n, 'bad-exponent'],
  ['1', 1n, 'bad-proof'],
  ['q-1', q - 1n, 'bad-proof'],
  ['q', q, 'bad-exponent'],
  ['q+1', q + 1n, 'bad-exponent'],
];
const POSITIONS = {
  1: { elements: [0, 3], exponents: [2, 5], hashes: [1, 4] },
  2: { elements: [0, 3, 6, 7], exponents: [2, 5, 9, 10], hashes: [1, 4, 8] },
  3: { elements: [0, 1, 5], exponents: [3, 4, 7], hashes: [2, 6] },
  4: { elements: [0], exponents: [2], hashes: [1] },
} as const;

describe('every checked value of every message, at and past its bounds', () => {
  const t = run('s', 's', 'base');
  const messages = { 1: t.m1.message, 2: t.m2.message, 3: t.m3.message, 4: t.m4.message };

  function verdict(which: 1 | 2 | 3 | 4, values: Uint8Array[]): SmpCheckFailure | null {
    const random = deterministicRandom('receiver');
    let result: unknown;
    if (which === 1) result = smpStep2a(values as unknown as typeof t.m1.message);
    if (which === 2) result = smpStep3(t.m1.state, values as unknown as typeof t.m2.message, random);
    if (which === 3) result = smpStep4(t.m2.state, values as unknown as typeof t.m3.message, random);
    if (which === 4) result = smpStep5(t.m3.state, values as unknown as typeof t.m4.message);
    return typeof result === 'string' ? (result as SmpCheckFailure) : null;
  }

  function altered(which: 1 | 2 | 3 | 4, index: number, value: Uint8Array): Uint8Array[] {
    const values = [...messages[which]];
    values[index] = value;
    return values;
  }

  for (const which of [1, 2, 3, 4] as const) {
    it(`message ${which} as sent passes`, () => expect(verdict(which, [...messages[which]])).toBeNull());
    for (const index of POSITIONS[which].elements) {
      for (const [name, value, want] of ELEMENT_CASES) {
        it(`message ${which}, element #${index} = ${name}: ${want}`, () => expect(verdict(which, altered(which, index, b(value)))).toBe(want));
      }
      it(`message ${which}, element #${index} negated (order 2q): bad-group-element`, () => {
        const negated = p - bytesToBigint(messages[which][index] as Uint8Array);
        expect(verdict(which, altered(which, index, b(negated)))).toBe('bad-group-element');
      });
    }
    for (const index of POSITIONS[which].exponents) {
      for (const [name, value, want] of EXPONENT_CASES) {
        it(`message ${which}, D #${index} = ${name}: ${want}`, () => expect(verdict(which, altered(which, index, b(value)))).toBe(want));
      }
      it(`message ${which}, D #${index} tampered: bad-proof`, () => {
        const d = bytesToBigint(messages[which][index] as Uint8Array);
        expect(verdict(which, altered(which, index, b(d === q - 1n ? d - 1n : d + 1n)))).toBe('bad-proof');
      });
    }
    for (const index of POSITIONS[which].hashes) {
      for (const [name, change] of [
        ['+1', (c: bigint) => c + 1n],
        ['0', () => 0n],
        ['192 bytes of ones', () => (1n << 1536n) - 1n],
      ] as const) {
        it(`message ${which}, c #${index} ${name}: bad-proof`, () => {
          const c = bytesToBigint(messages[which][index] as Uint8Array);
          expect(verdict(which, altered(which, index, b(change(c))))).toBe('bad-proof');
        });
      }
    }
  }

  it('a message from another run (a replay into a different SMP) fails its proofs', () => {
    const other = run('s', 's', 'other');
    expect(verdict(2, [...other.m2.message])).toBe('bad-proof');
    expect(verdict(3, [...other.m3.message])).toBe('bad-proof');
    expect(verdict(4, [...other.m4.message])).toBe('bad-proof');
  });

  it("Alice's message 1 proofs cannot pass as Bob's (hash versions differ)", () => {
    // Message 2 starts with g2b, c2, D2, g3b, c3, D3: put message 1's proven values there.
    const values = [...messages[2]];
    for (let i = 0; i < 6; i++) values[i] = messages[1][i] as Uint8Array;
    expect(verdict(2, values)).toBe('bad-proof');
  });
});

describe('opaque states', () => {
  it('are redacted when inspected or serialized, and unusable once wiped', () => {
    const t = run('s', 's', 'opaque');
    const x = bytesToBigint(smpSecret(fpA, fpB, ssid, utf8('s')).expose());
    for (const state of [t.m1.state, t.request, t.m2.state, t.m3.state]) {
      expect(inspect(state)).toBe('[SmpState: redacted]');
      expect(JSON.stringify({ state })).toBe('{"state":"[SmpState: redacted]"}');
      expect(String(state)).toBe('[SmpState: redacted]');
      expect(inspect(state, { showHidden: true, depth: 10 })).not.toContain(x.toString(16));
    }
    t.m1.state.wipe();
    expect(t.m1.state.wiped).toBe(true);
    expect(() => smpStep3(t.m1.state, t.m2.message, deterministicRandom('w'))).toThrow('SMP state used after wipe');
    t.m1.state.wipe();
  });

  it('take the secret as a Secret and do not keep or wipe the caller’s', () => {
    const secret = new Secret(new Uint8Array(32).fill(7));
    const { state } = smpStep1(secret, deterministicRandom('keep'));
    expect(secret.wiped).toBe(false);
    secret.wipe();
    expect(state.value('x')).toBe(bytesToBigint(new Uint8Array(32).fill(7)));
  });
});
