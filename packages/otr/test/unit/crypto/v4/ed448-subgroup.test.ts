/**
 * The prime-order subgroup check of decodePoint (ed448.ts,
 * isInPrimeOrderSubgroup: quadratic characters instead of q * P) agrees
 * exactly with noble's `isTorsionFree` on points of every coset of E[4]:
 * random subgroup points P plus each of I, T = (0, -1), (1, 0) and (-1, 0),
 * the four torsion points themselves, and random points of the whole group.
 */
import { ed448 } from '@noble/curves/ed448.js';
import { describe, expect, it } from 'vitest';
import { deterministicRandom } from '../../../../src/crypto/random.js';
import { CURVE_D, decodePoint, isInPrimeOrderSubgroup } from '../../../../src/crypto/v4/ed448.js';
import { isCryptoRejection } from '../../../../src/crypto/v4/rejection.js';
import { leToBigint } from '../../../../src/crypto/v4/scalar.js';
import { P } from './helpers.js';

type NoblePoint = typeof ed448.Point.BASE;
const random = deterministicRandom('subgroup characters');

/** The points of E[4] over F_p: I, T = (0, -1) and the two points of order 4 (+-1, 0). */
const TORSION: readonly NoblePoint[] = [
  ed448.Point.ZERO,
  ed448.Point.fromAffine({ x: 0n, y: P - 1n }),
  ed448.Point.fromAffine({ x: 1n, y: 0n }),
  ed448.Point.fromAffine({ x: P - 1n, y: 0n }),
];

function agrees(point: NoblePoint): boolean {
  const ours = isInPrimeOrderSubgroup(point.toAffine().y);
  expect(ours).toBeDefined();
  return ours === point.isTorsionFree();
}

describe('the subgroup check by quadratic characters agrees with isTorsionFree', () => {
  it('the torsion points have the orders 1, 2, 4, 4 and the curve constant is noble\'s', () => {
    expect(CURVE_D).toBe(ed448.Point.CURVE().d);
    expect(TORSION.map((t) => [t.is0(), t.double().is0(), t.double().double().is0()])).toEqual([
      [true, true, true],
      [false, true, true],
      [false, false, true],
      [false, false, true],
    ]);
    expect(TORSION.map((t) => isInPrimeOrderSubgroup(t.toAffine().y))).toEqual([true, false, false, false]);
    expect(TORSION.every(agrees)).toBe(true);
  });

  it('on 1,000 random subgroup points in each of the four cosets of E[4] (4,000 points)', () => {
    const step = ed448.Point.BASE.multiply(leToBigint(random(56)) % ed448.Point.CURVE().n);
    let point = ed448.Point.BASE.multiply(leToBigint(random(56)) % ed448.Point.CURVE().n);
    const verdicts = TORSION.map(() => ({ agree: 0, inSubgroup: 0 }));
    for (let i = 0; i < 1000; i++) {
      point = point.add(step);
      TORSION.forEach((torsion, coset) => {
        const candidate = point.add(torsion);
        const verdict = verdicts[coset]!;
        if (agrees(candidate)) verdict.agree++;
        if (isInPrimeOrderSubgroup(candidate.toAffine().y) === true) verdict.inSubgroup++;
      });
    }
    expect(verdicts).toEqual([
      { agree: 1000, inSubgroup: 1000 },
      { agree: 1000, inSubgroup: 0 },
      { agree: 1000, inSubgroup: 0 },
      { agree: 1000, inSubgroup: 0 },
    ]);
  });

  it('on 1,000 random points of the whole group, and decodePoint gives the same verdict', () => {
    let tried = 0;
    let inSubgroup = 0;
    while (tried < 1000) {
      const bytes = random(57);
      bytes[56] = (bytes[56] ?? 0) & 0x80;
      let point: NoblePoint;
      try {
        point = ed448.Point.fromBytes(bytes, false);
      } catch {
        continue;
      }
      if (point.is0()) continue;
      tried++;
      expect(agrees(point)).toBe(true);
      const decoded = decodePoint(point.toBytes());
      expect(isCryptoRejection(decoded) ? decoded.code : 'accepted').toBe(point.isTorsionFree() ? 'accepted' : 'not-in-subgroup');
      if (point.isTorsionFree()) inSubgroup++;
    }
    // A quarter of the group is the subgroup: both verdicts occur.
    expect(inSubgroup).toBeGreaterThan(150);
    expect(inSubgroup).toBeLessThan(350);
  });
});
