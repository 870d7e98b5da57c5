/**
 * The arithmetic of the Socialist Millionaires' Protocol (Protocol-v3,
 * "Socialist Millionaires' Protocol (SMP)" and "The SMP state machine"):
 * the secret x, and one function per protocol step. Alice runs steps 1, 3
 * and 5, Bob 2a (check message 1), 2b (his answer), and 4.
 *
 * Every received group element must lie in [2, p-2] (libotr's
 * check_group_elem) and, stricter than libotr, in the order-q subgroup;
 * every received D must lie in [1, q) (check_expon); every proof must
 * verify. A step reports the first kind of check that failed: group
 * elements, then exponents, then proofs in message order. Random
 * exponents are drawn in libotr's order (step 2b draws b2 and b3 that
 * libotr draws when message 1 arrives), so with the same random bytes the
 * messages are byte for byte libotr's.
 *
 * Messages are tuples of MPI bodies; intermediate values live in opaque
 * state objects holding {@link Secret}s, so code outside crypto/ never
 * holds a bigint. Steps never modify their inputs: the caller wipes a state
 * once it has left it.
 */
import { inspect } from 'node:util';
import { bigintToBytes, bytesToBigint } from '../bigint.js';
import { sha256 } from '../hash.js';
import { modpPow } from './modp.js';
import type { RandomSource } from '../random.js';
import { Secret } from '../secret.js';
import {
  checkEqualCoords,
  checkEqualLogs,
  checkKnowLog,
  divP,
  G1,
  isSmpExponent,
  isSmpGroupElement,
  mulP,
  proveEqualCoords,
  proveEqualLogs,
  proveKnowLog,
  randomSmpExponent,
  SMP_HASH,
} from './smp-proofs.js';

/** Why a received SMP message was refused. */
export type SmpCheckFailure = 'bad-group-element' | 'bad-exponent' | 'bad-proof';

/** Version byte of the secret's hash input ("Secret information"). */
const SMP_SECRET_VERSION = 1;
const REDACTED = '[SmpState: redacted]';

/** Named values of one SMP step, each held as a wipeable {@link Secret}. */
abstract class SmpValues<Name extends string> {
  #values = new Map<Name, Secret>();

  /** Internal to crypto/: only the step functions create states. */
  constructor(values: Record<Name, bigint>) {
    for (const [name, value] of Object.entries(values) as [Name, bigint][]) this.#values.set(name, new Secret(bigintToBytes(value)));
  }

  /** Internal to crypto/: one value (throws once wiped). */
  value(name: Name): bigint {
    const secret = this.#values.get(name);
    if (secret === undefined) throw new Error('SMP state used after wipe');
    return bytesToBigint(secret.expose());
  }

  /** True once {@link SmpValues.wipe} has run. */
  get wiped(): boolean {
    return this.#values.size === 0;
  }

  /** Overwrites every value with zeros and forgets it. Idempotent. */
  wipe(): void {
    for (const secret of this.#values.values()) secret.wipe();
    this.#values.clear();
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
export class SmpAliceExpect2 extends SmpValues<'x' | 'a2' | 'a3'> {
  /** Discriminates the state types (they are otherwise alike). */
  readonly stage = 'alice-expect2';
}

/** Bob after a valid message 1, before his user answers: g2a, g3a. */
export class SmpBobRequest extends SmpValues<'g2a' | 'g3a'> {
  /** Discriminates the state types. */
  readonly stage = 'bob-request';
}

/** Bob after message 2 (SMPSTATE_EXPECT3): g3a, g2, g3, b3, Pb, Qb. */
export class SmpBobExpect3 extends SmpValues<'g3a' | 'g2' | 'g3' | 'b3' | 'pb' | 'qb'> {
  /** Discriminates the state types. */
  readonly stage = 'bob-expect3';
}

/** Alice after message 3 (SMPSTATE_EXPECT4): g3b, Pa/Pb, Qa/Qb, a3. */
export class SmpAliceExpect4 extends SmpValues<'g3b' | 'pab' | 'qab' | 'a3'> {
  /** Discriminates the state types. */
  readonly stage = 'alice-expect4';
}

/** Any SMP step state. */
export type SmpSecrets = SmpAliceExpect2 | SmpBobRequest | SmpBobExpect3 | SmpAliceExpect4;

// The messages as MPI bodies in the spec's order (wire/smp-payload.ts reads and writes them).

/** SMP message 1 (TLV 2, or TLV 7 after the question). */
export type SmpMessage1 = readonly [g2a: Uint8Array, c2: Uint8Array, d2: Uint8Array, g3a: Uint8Array, c3: Uint8Array, d3: Uint8Array];

/** SMP message 2 (TLV 3). */
export type SmpMessage2 = readonly [
  g2b: Uint8Array,
  c2: Uint8Array,
  d2: Uint8Array,
  g3b: Uint8Array,
  c3: Uint8Array,
  d3: Uint8Array,
  pb: Uint8Array,
  qb: Uint8Array,
  cp: Uint8Array,
  d5: Uint8Array,
  d6: Uint8Array,
];

/** SMP message 3 (TLV 4). */
export type SmpMessage3 = readonly [
  pa: Uint8Array,
  qa: Uint8Array,
  cp: Uint8Array,
  d5: Uint8Array,
  d6: Uint8Array,
  ra: Uint8Array,
  cr: Uint8Array,
  d7: Uint8Array,
];

/** SMP message 4 (TLV 5). */
export type SmpMessage4 = readonly [rb: Uint8Array, cr: Uint8Array, d7: Uint8Array];

const big = (values: readonly Uint8Array[]): bigint[] => values.map(bytesToBigint);
/** The MPI bodies of a message's values, keeping the tuple's length in its type. */
function asMessage<Values extends readonly [] | readonly bigint[]>(values: Values): { readonly [K in keyof Values]: Uint8Array } {
  return values.map((value) => bigintToBytes(value)) as unknown as { readonly [K in keyof Values]: Uint8Array };
}
const secretValue = (secret: Secret): bigint => bytesToBigint(secret.expose());

/**
 * The SMP secret ("Secret information"): SHA-256(0x01 || initiator
 * fingerprint (20 bytes) || responder fingerprint (20 bytes) || SSID (8 bytes)
 * || user secret), as libotr's init_respond_smp builds it. The user secret
 * is the exact bytes the user typed (UTF-8 for text).
 */
export function smpSecret(initiatorFingerprint: Uint8Array, responderFingerprint: Uint8Array, ssid: Uint8Array, userSecret: Uint8Array): Secret {
  return new Secret(sha256(Uint8Array.of(SMP_SECRET_VERSION), initiatorFingerprint, responderFingerprint, ssid, userSecret));
}

/** Step 1 (Alice starts): message 1 = g2a, c2, D2, g3a, c3, D3; draws a2, a3, r2, r3. */
export function smpStep1(secret: Secret, random: RandomSource): { message: SmpMessage1; state: SmpAliceExpect2 } {
  const a2 = randomSmpExponent(random);
  const a3 = randomSmpExponent(random);
  const proof2 = proveKnowLog(SMP_HASH.alice2, a2, random);
  const proof3 = proveKnowLog(SMP_HASH.alice3, a3, random);
  const message = asMessage([modpPow(G1, a2), proof2.c, proof2.d, modpPow(G1, a3), proof3.c, proof3.d]);
  return { message, state: new SmpAliceExpect2({ x: secretValue(secret), a2, a3 }) };
}

/** Step 2a (Bob receives message 1): checks it and keeps g2a, g3a until his user answers. */
export function smpStep2a(message: SmpMessage1): SmpBobRequest | SmpCheckFailure {
  const [g2a, c2, d2, g3a, c3, d3] = big(message) as [bigint, bigint, bigint, bigint, bigint, bigint];
  if (!isSmpGroupElement(g2a) || !isSmpGroupElement(g3a)) return 'bad-group-element';
  if (!isSmpExponent(d2) || !isSmpExponent(d3)) return 'bad-exponent';
  if (!checkKnowLog(SMP_HASH.alice2, g2a, c2, d2) || !checkKnowLog(SMP_HASH.alice3, g3a, c3, d3)) return 'bad-proof';
  return new SmpBobRequest({ g2a, g3a });
}

/**
 * Step 2b (Bob answers with secret y): message 2 = g2b, c2, D2, g3b, c3, D3,
 * Pb, Qb, cP, D5, D6; draws b2, b3, r2, r3, r4, r5, r6.
 */
export function smpStep2b(request: SmpBobRequest, secret: Secret, random: RandomSource): { message: SmpMessage2; state: SmpBobExpect3 } {
  const y = secretValue(secret);
  const g2a = request.value('g2a');
  const g3a = request.value('g3a');
  const b2 = randomSmpExponent(random);
  const b3 = randomSmpExponent(random);
  const proof2 = proveKnowLog(SMP_HASH.bob2, b2, random);
  const proof3 = proveKnowLog(SMP_HASH.bob3, b3, random);
  const generators = { g2: modpPow(g2a, b2), g3: modpPow(g3a, b3) };
  const r4 = randomSmpExponent(random);
  const pb = modpPow(generators.g3, r4);
  const qb = mulP(modpPow(G1, r4), modpPow(generators.g2, y));
  const coords = proveEqualCoords(SMP_HASH.bobCoords, generators, r4, y, random);
  const message = asMessage([modpPow(G1, b2), proof2.c, proof2.d, modpPow(G1, b3), proof3.c, proof3.d, pb, qb, coords.c, coords.d1, coords.d2]);
  return { message, state: new SmpBobExpect3({ g3a, ...generators, b3, pb, qb }) };
}

/**
 * Step 3 (Alice receives message 2): checks it; message 3 = Pa, Qa, cP, D5,
 * D6, Ra, cR, D7; draws r4, r5, r6, r7.
 */
export function smpStep3(
  state: SmpAliceExpect2,
  message: SmpMessage2,
  random: RandomSource,
): { message: SmpMessage3; state: SmpAliceExpect4 } | SmpCheckFailure {
  const [g2b, c2, d2, g3b, c3, d3, pb, qb, cp, d5, d6] = big(message) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (![g2b, g3b, pb, qb].every(isSmpGroupElement)) return 'bad-group-element';
  if (![d2, d3, d5, d6].every(isSmpExponent)) return 'bad-exponent';
  if (!checkKnowLog(SMP_HASH.bob2, g2b, c2, d2) || !checkKnowLog(SMP_HASH.bob3, g3b, c3, d3)) return 'bad-proof';
  const x = state.value('x');
  const a3 = state.value('a3');
  const generators = { g2: modpPow(g2b, state.value('a2')), g3: modpPow(g3b, a3) };
  if (!checkEqualCoords(SMP_HASH.bobCoords, generators, pb, qb, { c: cp, d1: d5, d2: d6 })) return 'bad-proof';
  const r4 = randomSmpExponent(random);
  const pa = modpPow(generators.g3, r4);
  const qa = mulP(modpPow(G1, r4), modpPow(generators.g2, x));
  const coords = proveEqualCoords(SMP_HASH.aliceCoords, generators, r4, x, random);
  const qab = divP(qa, qb);
  const ra = modpPow(qab, a3);
  const logs = proveEqualLogs(SMP_HASH.aliceLogs, qab, a3, random);
  const out = asMessage([pa, qa, coords.c, coords.d1, coords.d2, ra, logs.c, logs.d]);
  return { message: out, state: new SmpAliceExpect4({ g3b, pab: divP(pa, pb), qab, a3 }) };
}

/** Step 4 (Bob receives message 3): checks it; message 4 = Rb, cR, D7 (draws r7); and whether x = y. */
export function smpStep4(state: SmpBobExpect3, message: SmpMessage3, random: RandomSource): { message: SmpMessage4; success: boolean } | SmpCheckFailure {
  const [pa, qa, cp, d5, d6, ra, cr, d7] = big(message) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (![pa, qa, ra].every(isSmpGroupElement)) return 'bad-group-element';
  if (![d5, d6, d7].every(isSmpExponent)) return 'bad-exponent';
  const generators = { g2: state.value('g2'), g3: state.value('g3') };
  if (!checkEqualCoords(SMP_HASH.aliceCoords, generators, pa, qa, { c: cp, d1: d5, d2: d6 })) return 'bad-proof';
  const qab = divP(qa, state.value('qb'));
  if (!checkEqualLogs(SMP_HASH.aliceLogs, state.value('g3a'), qab, ra, { c: cr, d: d7 })) return 'bad-proof';
  const b3 = state.value('b3');
  const rb = modpPow(qab, b3);
  const logs = proveEqualLogs(SMP_HASH.bobLogs, qab, b3, random);
  const success = modpPow(ra, b3) === divP(pa, state.value('pb'));
  return { message: asMessage([rb, logs.c, logs.d]), success };
}

/** Step 5 (Alice receives message 4): checks it and decides whether x = y. */
export function smpStep5(state: SmpAliceExpect4, message: SmpMessage4): { success: boolean } | SmpCheckFailure {
  const [rb, cr, d7] = big(message) as [bigint, bigint, bigint];
  if (!isSmpGroupElement(rb)) return 'bad-group-element';
  if (!isSmpExponent(d7)) return 'bad-exponent';
  if (!checkEqualLogs(SMP_HASH.bobLogs, state.value('g3b'), state.value('qab'), rb, { c: cr, d: d7 })) return 'bad-proof';
  return { success: modpPow(rb, state.value('a3')) === state.value('pab') };
}
