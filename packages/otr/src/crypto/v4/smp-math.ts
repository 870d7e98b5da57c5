/**
 * The arithmetic of OTRv4's Socialist Millionaires Protocol over Ed448
 * (OTRv4, "Socialist Millionaires Protocol (SMP)": "Secret Information",
 * "SMP Overview", "SMP Message 1" .. "SMP Message 4", "The SMP State
 * Machine"): the secret, and one function per step. Alice runs steps 1, 3
 * and 5, Bob 2a (check message 1), 2b (his answer) and 4; the shared state
 * machine (smp/) calls them through src/v4/smp.ts.
 *
 * Checks of received values, in this order (the first kind that fails is
 * reported): every POINT decodes with "Verifying that a point is on the
 * curve" (on the curve, canonical, not the identity, q * P = I: else
 * 'bad-group-element'); every SCALAR is < q (else 'bad-exponent'); every
 * proof verifies in message order (else 'bad-proof'). Values we compute from
 * received ones are refused when they degenerate to the identity (the spec's
 * "Check that G2 and G3 ... are on curve Ed448" for computed values; Qa = Qb
 * in particular would make Rb the identity).
 *
 * Randoms are drawn in otr4j's order (step 1: a2, a3, r2, r3; step 2b: b2,
 * b3, r2, r3, r4, r5, r6; step 3: r4, r5, r6, r7; step 4: r7), so with the
 * same random bytes the messages are otr4j's byte for byte (test vectors).
 *
 * Scalar multiplications per SMP (ed448.ts counts them): Alice 4 + 20 + 5
 * (step 1, 3, 5), Bob 4 + 12 + 13 (step 2a, 2b, 4) base or variable point
 * multiplications, plus one q * P check per received point (10): each
 * value and each side of each proof of the spec computed exactly once.
 *
 * Messages are records of POINT and SCALAR encodings (wire/v4's field names).
 * Step states hold secret scalars (x, a2, a3, b3) as {@link Secret}s and the
 * points they need as {@link Ed448Point}s; they print as redacted and wipe
 * on {@link SmpV4Values.wipe}. Steps never modify their inputs: the caller
 * wipes a state once it has left it.
 */
import { inspect } from 'node:util';
import { UsageError } from '../../errors.js';
import type { RandomSource } from '../random.js';
import { Secret } from '../secret.js';
import { decodePoint, Ed448Point, multiplyPoint } from './ed448.js';
import { hwc, USAGE } from './kdf.js';
import { isCryptoRejection } from './rejection.js';
import { decodeScalar, pruneInPlace, reduceScalar, SCALAR_BYTES } from './scalar.js';
import {
  checkEqualCoords,
  checkEqualLogs,
  checkKnowLog,
  drawScalarAndBasePoint,
  pointsEqualConstantTime,
  proveEqualCoords,
  proveEqualLogs,
  proveKnowLog,
  SMP_HASH,
  type SmpGenerators,
} from './smp-proofs.js';

/** Why a received SMP message was refused. */
export type SmpV4CheckFailure = 'bad-group-element' | 'bad-exponent' | 'bad-proof';

/** Bytes of an OTRv4 fingerprint and of the SSID, as the secret's input takes them. */
const FINGERPRINT_BYTES = 56;
const SSID_BYTES = 8;
/** Version byte of the secret information ("The version described here is 1"). */
const SMP_SECRET_VERSION = 1;

/**
 * Compatibility point (otr4j). "Secret Information" makes x from the first
 * 57 bytes of HWC(usage_SMP_secret || ...), pruned ("Considerations while
 * working with elliptic curve parameters"), used mod q. otr4j
 * (session/smpv4/SMP.generateSecret: `decodeScalar(hwc(64, SMP_SECRET, ...))`)
 * takes 64 bytes, does not prune, and reduces mod q. Both sides must
 * compute the same x or every SMP between them fails, and interoperating
 * with otr4j wins (issue 14): true gives otr4j's x, false the spec text's.
 * The input is the same in both: version || initiator fingerprint ||
 * responder fingerprint || SSID || DATA(user secret).
 */
export const SMP_SECRET_AS_OTR4J: boolean = true;
/** otr4j's output size for the SMP secret's hash. */
const OTR4J_SMP_SECRET_BYTES = 64;

/**
 * x (or y) from the user's secret ("Secret Information"): HWC(usage_SMP_secret
 * || 0x01 || initiator fingerprint (56) || responder fingerprint (56) ||
 * SSID (8) || DATA(user secret)), reduced mod q, in {@link SMP_SECRET_AS_OTR4J}'s
 * reading (`otr4j` selects it explicitly, for tests). The user secret is the
 * exact bytes the user typed (UTF-8 for text). Throws UsageError for
 * fingerprints or an SSID of the wrong size (our caller's mistake).
 */
export function smpSecret(
  initiatorFingerprint: Uint8Array,
  responderFingerprint: Uint8Array,
  ssid: Uint8Array,
  userSecret: Uint8Array,
  otr4j: boolean = SMP_SECRET_AS_OTR4J,
): Secret {
  if (initiatorFingerprint.length !== FINGERPRINT_BYTES || responderFingerprint.length !== FINGERPRINT_BYTES) {
    throw new UsageError('bad-argument', 'an OTRv4 fingerprint is 56 bytes');
  }
  if (ssid.length !== SSID_BYTES) throw new UsageError('bad-argument', 'the SSID is 8 bytes');
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, userSecret.length);
  const input = [Uint8Array.of(SMP_SECRET_VERSION), initiatorFingerprint, responderFingerprint, ssid, length, userSecret];
  const digest = hwc(USAGE.usage_SMP_secret, otr4j ? OTR4J_SMP_SECRET_BYTES : SCALAR_BYTES, ...input);
  try {
    if (!otr4j) pruneInPlace(digest);
    return new Secret(reduceScalar(digest));
  } finally {
    digest.fill(0);
  }
}

// The messages: POINT and SCALAR encodings under wire/v4's field names (message 1 without its question).

/** SMP message 1: G2a, c2, d2, G3a, c3, d3. */
export interface SmpV4Message1 {
  readonly g2a: Uint8Array;
  readonly c2: Uint8Array;
  readonly d2: Uint8Array;
  readonly g3a: Uint8Array;
  readonly c3: Uint8Array;
  readonly d3: Uint8Array;
}

/** SMP message 2: G2b, c2, d2, G3b, c3, d3, Pb, Qb, cp, d5, d6. */
export interface SmpV4Message2 {
  readonly g2b: Uint8Array;
  readonly c2: Uint8Array;
  readonly d2: Uint8Array;
  readonly g3b: Uint8Array;
  readonly c3: Uint8Array;
  readonly d3: Uint8Array;
  readonly pb: Uint8Array;
  readonly qb: Uint8Array;
  readonly cp: Uint8Array;
  readonly d5: Uint8Array;
  readonly d6: Uint8Array;
}

/** SMP message 3: Pa, Qa, cp, d5, d6, Ra, cr, d7. */
export interface SmpV4Message3 {
  readonly pa: Uint8Array;
  readonly qa: Uint8Array;
  readonly cp: Uint8Array;
  readonly d5: Uint8Array;
  readonly d6: Uint8Array;
  readonly ra: Uint8Array;
  readonly cr: Uint8Array;
  readonly d7: Uint8Array;
}

/** SMP message 4: Rb, cr, d7. */
export interface SmpV4Message4 {
  readonly rb: Uint8Array;
  readonly cr: Uint8Array;
  readonly d7: Uint8Array;
}

const REDACTED = '[SmpState: redacted]';

/** Named values of one SMP step: secret scalars as {@link Secret}s, points as {@link Ed448Point}s. */
abstract class SmpV4Values<ScalarName extends string, PointName extends string> {
  #scalars = new Map<ScalarName, Secret>();
  #points = new Map<PointName, Ed448Point>();

  /** Internal to crypto/v4: the step functions (and the test vectors) create states. Copies the scalars. */
  constructor(scalars: Record<ScalarName, Uint8Array>, points: Record<PointName, Ed448Point>) {
    for (const [name, value] of Object.entries(scalars) as [ScalarName, Uint8Array][]) this.#scalars.set(name, new Secret(Uint8Array.from(value)));
    for (const [name, value] of Object.entries(points) as [PointName, Ed448Point][]) this.#points.set(name, value);
  }

  /** Internal to crypto/v4: a scalar's encoding (a view of the Secret; throws once wiped). */
  scalar(name: ScalarName): Uint8Array {
    const secret = this.#scalars.get(name);
    if (secret === undefined) throw new Error('SMP state used after wipe');
    return secret.expose();
  }

  /** Internal to crypto/v4: a point (throws once wiped). */
  point(name: PointName): Ed448Point {
    const point = this.#points.get(name);
    if (point === undefined) throw new Error('SMP state used after wipe');
    return point;
  }

  /** True once {@link SmpV4Values.wipe} has run. */
  get wiped(): boolean {
    return this.#scalars.size === 0 && this.#points.size === 0;
  }

  /** Overwrites every scalar with zeros and forgets every value. Idempotent. */
  wipe(): void {
    for (const secret of this.#scalars.values()) secret.wipe();
    this.#scalars.clear();
    this.#points.clear();
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Alice after message 1 (SMPSTATE_EXPECT2): x, a2, a3. */
export class SmpV4AliceExpect2 extends SmpV4Values<'x' | 'a2' | 'a3', never> {
  /** Discriminates the state types (they are otherwise alike). */
  readonly stage = 'alice-expect2';
}

/** Bob after a valid message 1, before his user answers: G2a, G3a. */
export class SmpV4BobRequest extends SmpV4Values<never, 'g2a' | 'g3a'> {
  /** Discriminates the state types. */
  readonly stage = 'bob-request';
}

/** Bob after message 2 (SMPSTATE_EXPECT3): b3; G3a, G2, G3, Pb, Qb. */
export class SmpV4BobExpect3 extends SmpV4Values<'b3', 'g3a' | 'g2' | 'g3' | 'pb' | 'qb'> {
  /** Discriminates the state types. */
  readonly stage = 'bob-expect3';
}

/** Alice after message 3 (SMPSTATE_EXPECT4): a3; G3b, Pa - Pb, Qa - Qb. */
export class SmpV4AliceExpect4 extends SmpV4Values<'a3', 'g3b' | 'pab' | 'qab'> {
  /** Discriminates the state types. */
  readonly stage = 'alice-expect4';
}

/** Received POINTs, each through every check of decodePoint; null when one fails. */
function decodePoints<const Names extends string>(message: { readonly [N in Names]: Uint8Array }, names: readonly Names[]): Record<Names, Ed448Point> | null {
  const out = {} as Record<Names, Ed448Point>;
  for (const name of names) {
    const point = decodePoint(message[name]);
    if (isCryptoRejection(point)) return null;
    out[name] = point;
  }
  return out;
}

/** Received SCALARs are all < q (and 57 bytes). */
function scalarsInRange(...values: Uint8Array[]): boolean {
  return values.every((value) => !isCryptoRejection(decodeScalar(value)));
}

/** Our G * a2 etc.: a fresh random scalar and its point. */
function drawHalf(random: RandomSource): { scalar: Uint8Array; point: Ed448Point } {
  return drawScalarAndBasePoint(random);
}

/** Step 1 (Alice starts): message 1 = G2a, c2, d2, G3a, c3, d3; draws a2, a3, r2, r3. */
export function smpV4Step1(secret: Secret, random: RandomSource): { message: SmpV4Message1; state: SmpV4AliceExpect2 } {
  const a2 = drawHalf(random);
  const a3 = drawHalf(random);
  try {
    const proof2 = proveKnowLog(SMP_HASH.alice2, a2.scalar, random);
    const proof3 = proveKnowLog(SMP_HASH.alice3, a3.scalar, random);
    const message = { g2a: a2.point.encode(), c2: proof2.c, d2: proof2.d, g3a: a3.point.encode(), c3: proof3.c, d3: proof3.d };
    return { message, state: new SmpV4AliceExpect2({ x: secret.expose(), a2: a2.scalar, a3: a3.scalar }, {}) };
  } finally {
    a2.scalar.fill(0);
    a3.scalar.fill(0);
  }
}

/** Step 2a (Bob receives message 1): checks it and keeps G2a, G3a until his user answers. */
export function smpV4Step2a(message: SmpV4Message1): SmpV4BobRequest | SmpV4CheckFailure {
  const points = decodePoints(message, ['g2a', 'g3a']);
  if (points === null) return 'bad-group-element';
  if (!scalarsInRange(message.c2, message.d2, message.c3, message.d3)) return 'bad-exponent';
  if (!checkKnowLog(SMP_HASH.alice2, points.g2a, message.c2, message.d2)) return 'bad-proof';
  if (!checkKnowLog(SMP_HASH.alice3, points.g3a, message.c3, message.d3)) return 'bad-proof';
  return new SmpV4BobRequest({}, points);
}

/**
 * Step 2b (Bob answers with secret y): message 2 = G2b, c2, d2, G3b, c3, d3,
 * Pb, Qb, cp, d5, d6; draws b2, b3, r2, r3, r4, r5, r6.
 */
export function smpV4Step2b(request: SmpV4BobRequest, secret: Secret, random: RandomSource): { message: SmpV4Message2; state: SmpV4BobExpect3 } {
  const y = secret.expose();
  const b2 = drawHalf(random);
  const b3 = drawHalf(random);
  let r4: Uint8Array | undefined;
  try {
    const proof2 = proveKnowLog(SMP_HASH.bob2, b2.scalar, random);
    const proof3 = proveKnowLog(SMP_HASH.bob3, b3.scalar, random);
    // G2a and G3a passed every check and b2, b3 are non-zero, so G2 and G3 are never the identity.
    const generators: SmpGenerators = { g2: multiplyPoint(request.point('g2a'), b2.scalar), g3: multiplyPoint(request.point('g3a'), b3.scalar) };
    const drawn4 = drawScalarAndBasePoint(random);
    r4 = drawn4.scalar;
    const pb = multiplyPoint(generators.g3, r4);
    const qb = drawn4.point.add(multiplyPoint(generators.g2, y));
    const coords = proveEqualCoords(SMP_HASH.bobCoords, generators, r4, y, random);
    const message = {
      g2b: b2.point.encode(),
      c2: proof2.c,
      d2: proof2.d,
      g3b: b3.point.encode(),
      c3: proof3.c,
      d3: proof3.d,
      pb: pb.encode(),
      qb: qb.encode(),
      cp: coords.c,
      d5: coords.d5,
      d6: coords.d6,
    };
    const state = new SmpV4BobExpect3({ b3: b3.scalar }, { g3a: request.point('g3a'), ...generators, pb, qb });
    return { message, state };
  } finally {
    b2.scalar.fill(0);
    b3.scalar.fill(0);
    r4?.fill(0);
  }
}

/**
 * Step 3 (Alice receives message 2): checks it; message 3 = Pa, Qa, cp, d5,
 * d6, Ra, cr, d7; draws r4, r5, r6, r7.
 */
export function smpV4Step3(
  state: SmpV4AliceExpect2,
  message: SmpV4Message2,
  random: RandomSource,
): { message: SmpV4Message3; state: SmpV4AliceExpect4 } | SmpV4CheckFailure {
  const points = decodePoints(message, ['g2b', 'g3b', 'pb', 'qb']);
  if (points === null) return 'bad-group-element';
  if (!scalarsInRange(message.c2, message.d2, message.c3, message.d3, message.cp, message.d5, message.d6)) return 'bad-exponent';
  if (!checkKnowLog(SMP_HASH.bob2, points.g2b, message.c2, message.d2)) return 'bad-proof';
  if (!checkKnowLog(SMP_HASH.bob3, points.g3b, message.c3, message.d3)) return 'bad-proof';
  const x = state.scalar('x');
  const a3 = state.scalar('a3');
  const generators: SmpGenerators = { g2: multiplyPoint(points.g2b, state.scalar('a2')), g3: multiplyPoint(points.g3b, a3) };
  if (generators.g2.isIdentity() || generators.g3.isIdentity()) return 'bad-group-element';
  if (!checkEqualCoords(SMP_HASH.bobCoords, generators, points.pb, points.qb, { c: message.cp, d5: message.d5, d6: message.d6 })) return 'bad-proof';
  const drawn4 = drawScalarAndBasePoint(random);
  const r4 = drawn4.scalar;
  try {
    const pa = multiplyPoint(generators.g3, r4);
    const qa = drawn4.point.add(multiplyPoint(generators.g2, x));
    const coords = proveEqualCoords(SMP_HASH.aliceCoords, generators, r4, x, random);
    const qab = qa.subtract(points.qb);
    const ra = multiplyPoint(qab, a3);
    const logs = proveEqualLogs(SMP_HASH.aliceLogs, qab, a3, random);
    const out = { pa: pa.encode(), qa: qa.encode(), cp: coords.c, d5: coords.d5, d6: coords.d6, ra: ra.encode(), cr: logs.c, d7: logs.d7 };
    return { message: out, state: new SmpV4AliceExpect4({ a3 }, { g3b: points.g3b, pab: pa.subtract(points.pb), qab }) };
  } finally {
    r4.fill(0);
  }
}

/** Step 4 (Bob receives message 3): checks it; message 4 = Rb, cr, d7 (draws r7); and whether x = y. */
export function smpV4Step4(
  state: SmpV4BobExpect3,
  message: SmpV4Message3,
  random: RandomSource,
): { message: SmpV4Message4; success: boolean } | SmpV4CheckFailure {
  const points = decodePoints(message, ['pa', 'qa', 'ra']);
  if (points === null) return 'bad-group-element';
  if (!scalarsInRange(message.cp, message.d5, message.d6, message.cr, message.d7)) return 'bad-exponent';
  const generators: SmpGenerators = { g2: state.point('g2'), g3: state.point('g3') };
  if (!checkEqualCoords(SMP_HASH.aliceCoords, generators, points.pa, points.qa, { c: message.cp, d5: message.d5, d6: message.d6 })) return 'bad-proof';
  const qab = points.qa.subtract(state.point('qb'));
  // Qa = Qb: (Qa - Qb) * b3 would be the identity, a degenerate value the spec's checks refuse.
  if (qab.isIdentity()) return 'bad-group-element';
  if (!checkEqualLogs(SMP_HASH.aliceLogs, state.point('g3a'), qab, points.ra, { c: message.cr, d7: message.d7 })) return 'bad-proof';
  const b3 = state.scalar('b3');
  const rab = multiplyPoint(points.ra, b3);
  const success = pointsEqualConstantTime(rab, points.pa.subtract(state.point('pb')));
  const rb = multiplyPoint(qab, b3);
  const logs = proveEqualLogs(SMP_HASH.bobLogs, qab, b3, random);
  return { message: { rb: rb.encode(), cr: logs.c, d7: logs.d7 }, success };
}

/** Step 5 (Alice receives message 4): checks it and decides whether x = y. */
export function smpV4Step5(state: SmpV4AliceExpect4, message: SmpV4Message4): { success: boolean } | SmpV4CheckFailure {
  const points = decodePoints(message, ['rb']);
  if (points === null) return 'bad-group-element';
  if (!scalarsInRange(message.cr, message.d7)) return 'bad-exponent';
  if (!checkEqualLogs(SMP_HASH.bobLogs, state.point('g3b'), state.point('qab'), points.rb, { c: message.cr, d7: message.d7 })) return 'bad-proof';
  const rab = multiplyPoint(points.rb, state.scalar('a3'));
  return { success: pointsEqualConstantTime(rab, state.point('pab')) };
}
