/**
 * The zero-knowledge proofs of OTRv4's SMP over Ed448 (OTRv4, "SMP
 * Overview", "SMP Hash Function", "SMP Message 1" .. "SMP Message 4", "The
 * SMP State Machine"), with their verifications:
 *
 *   knowledge of a log:  c = HashToScalar(i || G * r),  d = r - x * c
 *                        check c == HashToScalar(i || G * d + X * c)
 *   equal coordinates:   c = HashToScalar(i || G3 * r5 || G * r5 + G2 * r6),
 *                        d5 = r5 - r4 * c, d6 = r6 - secret * c
 *                        check c == HashToScalar(i || G3 * d5 + P * c || G * d5 + G2 * d6 + Q * c)
 *   equal logs:          c = HashToScalar(i || G * r7 || (Qa - Qb) * r7),  d7 = r7 - x3 * c
 *                        check c == HashToScalar(i || G * d7 + G3x * c || (Qa - Qb) * d7 + R * c)
 *
 * all mod q, where i is the proof's place in the protocol (0x01 .. 0x08)
 * taken as the usage ID of HashToScalar, and every point is hashed as its
 * POINT encoding (as otr4j does). Randoms are drawn as "Considerations while
 * working with elliptic curve parameters" says (ed448.ts, randomScalar), one
 * per proof value in the spec's order, and wiped after use.
 *
 * Multiplications by secret scalars use the constant-time ladder;
 * verifications, whose scalars (c, d) and points are public, one
 * variable-time multi-scalar multiplication per recomputed point. Challenges are compared in constant time.
 *
 * Internal to crypto/v4: the SMP math (smp-math.ts) is the only caller.
 */
import { constantTimeEqual } from '../constant-time.js';
import type { RandomSource } from '../random.js';
import { Ed448Point, hashToScalar, multiplyAddPublic, multiplyPoint, randomScalar, randomScalarAndBasePoint } from './ed448.js';
import { scalarMul, scalarSub } from './scalar.js';

/** The first byte of each SMP hash ("SMP Hash Function"), binding each proof to its place in the protocol. */
export const SMP_HASH = {
  /** Message 1: knowledge of a2, then a3. */
  alice2: 0x01,
  alice3: 0x02,
  /** Message 2: knowledge of b2, then b3; then Pb, Qb. */
  bob2: 0x03,
  bob3: 0x04,
  bobCoords: 0x05,
  /** Message 3: Pa, Qa; then Ra. */
  aliceCoords: 0x06,
  aliceLogs: 0x07,
  /** Message 4: Rb. */
  bobLogs: 0x08,
} as const;

type SmpHashId = (typeof SMP_HASH)[keyof typeof SMP_HASH];

/** HashToScalar(i || points...): the byte i in the usage ID's place ("SMP Hash Function", "HashToScalar"). */
export function smpHashToScalar(i: SmpHashId, ...points: Ed448Point[]): Uint8Array {
  // 0x01 .. 0x08 are the SMP's own distinguishers; they take the usage ID's byte (the values overlap other usage IDs).
  return hashToScalar(i, ...points.map((point) => point.encode()));
}

/** A fresh random scalar in Z_q (hashed and pruned) as a plain array; the caller wipes it. */
export function drawScalar(random: RandomSource): Uint8Array {
  const secret = randomScalar(random);
  const copy = Uint8Array.from(secret.expose());
  secret.wipe();
  return copy;
}

/** A fresh random scalar (as {@link drawScalar}) and G times it, computed by OpenSSL (ed448.ts, randomScalarAndBasePoint); the caller wipes the scalar. */
export function drawScalarAndBasePoint(random: RandomSource): { scalar: Uint8Array; point: Ed448Point } {
  const { scalar, point } = randomScalarAndBasePoint(random);
  const copy = Uint8Array.from(scalar.expose());
  scalar.wipe();
  return { scalar: copy, point };
}

/** r - x * c mod q. */
function response(r: Uint8Array, x: Uint8Array, c: Uint8Array): Uint8Array {
  return scalarSub(r, scalarMul(x, c));
}


/** Proof of knowledge of x in X = G * x: c = HashToScalar(i || G * r), d = r - x c. */
export function proveKnowLog(i: SmpHashId, x: Uint8Array, random: RandomSource): { c: Uint8Array; d: Uint8Array } {
  const r = drawScalarAndBasePoint(random);
  try {
    const c = smpHashToScalar(i, r.point);
    return { c, d: response(r.scalar, x, c) };
  } finally {
    r.scalar.fill(0);
  }
}

/** Verifies {@link proveKnowLog}: c == HashToScalar(i || G * d + X * c). */
export function checkKnowLog(i: SmpHashId, element: Ed448Point, c: Uint8Array, d: Uint8Array): boolean {
  return constantTimeEqual(c, smpHashToScalar(i, multiplyAddPublic(d, [[element, c]])));
}

/** The generators both sides agreed on, G2 = G * a2 * b2 and G3 = G * a3 * b3. */
export interface SmpGenerators {
  readonly g2: Ed448Point;
  readonly g3: Ed448Point;
}

/**
 * Proof that P = G3 * r4 and Q = G * r4 + G2 * secret share r4 (Pb/Qb or
 * Pa/Qa): c = HashToScalar(i || G3 * r5 || G * r5 + G2 * r6), d5 = r5 - r4 c,
 * d6 = r6 - secret c. Draws r5 then r6.
 */
export function proveEqualCoords(
  i: SmpHashId,
  generators: SmpGenerators,
  r4: Uint8Array,
  secret: Uint8Array,
  random: RandomSource,
): { c: Uint8Array; d5: Uint8Array; d6: Uint8Array } {
  const r5 = drawScalarAndBasePoint(random);
  const r6 = drawScalar(random);
  try {
    const c = smpHashToScalar(i, multiplyPoint(generators.g3, r5.scalar), r5.point.add(multiplyPoint(generators.g2, r6)));
    return { c, d5: response(r5.scalar, r4, c), d6: response(r6, secret, c) };
  } finally {
    r5.scalar.fill(0);
    r6.fill(0);
  }
}

/** Verifies {@link proveEqualCoords}: c == HashToScalar(i || G3 * d5 + P * c || G * d5 + G2 * d6 + Q * c). */
export function checkEqualCoords(
  i: SmpHashId,
  generators: SmpGenerators,
  p: Ed448Point,
  q: Ed448Point,
  proof: { readonly c: Uint8Array; readonly d5: Uint8Array; readonly d6: Uint8Array },
): boolean {
  const { c, d5, d6 } = proof;
  const first = multiplyAddPublic(undefined, [
    [generators.g3, d5],
    [p, c],
  ]);
  const second = multiplyAddPublic(d5, [
    [generators.g2, d6],
    [q, c],
  ]);
  return constantTimeEqual(c, smpHashToScalar(i, first, second));
}

/**
 * Proof that R = (Qa - Qb) * x3 with the x3 of our G3 half (G * x3):
 * c = HashToScalar(i || G * r7 || (Qa - Qb) * r7), d7 = r7 - x3 c. Draws r7.
 */
export function proveEqualLogs(i: SmpHashId, qab: Ed448Point, x3: Uint8Array, random: RandomSource): { c: Uint8Array; d7: Uint8Array } {
  const r7 = drawScalarAndBasePoint(random);
  try {
    const c = smpHashToScalar(i, r7.point, multiplyPoint(qab, r7.scalar));
    return { c, d7: response(r7.scalar, x3, c) };
  } finally {
    r7.scalar.fill(0);
  }
}

/** Verifies {@link proveEqualLogs} given the peer's G3 half: c == HashToScalar(i || G * d7 + G3x * c || (Qa - Qb) * d7 + R * c). */
export function checkEqualLogs(
  i: SmpHashId,
  theirG3Half: Ed448Point,
  qab: Ed448Point,
  r: Ed448Point,
  proof: { readonly c: Uint8Array; readonly d7: Uint8Array },
): boolean {
  const { c, d7 } = proof;
  const first = multiplyAddPublic(d7, [[theirG3Half, c]]);
  const second = multiplyAddPublic(undefined, [
    [qab, d7],
    [r, c],
  ]);
  return constantTimeEqual(c, smpHashToScalar(i, first, second));
}

/** a == b for points that depend on secrets (the final comparison): their encodings compared in constant time. */
export function pointsEqualConstantTime(a: Ed448Point, b: Ed448Point): boolean {
  return constantTimeEqual(a.encode(), b.encode());
}
