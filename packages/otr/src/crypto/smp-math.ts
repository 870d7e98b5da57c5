/**
 * The arithmetic of the Socialist Millionaires' Protocol (Protocol-v3, "The
 * protocol (SMP)" and "The SMP state machine"), over the 1536-bit MODP group
 * with g1 = 2 and exponents modulo q = (p-1)/2. Every received group element
 * is checked to lie in [2, p-2] and every received D value in [1, q), as
 * libotr's check_group_elem and check_expon do; every proof is verified.
 *
 * The protocol layer holds only the opaque secrets objects returned here and
 * byte strings (MPI bodies); bigints never leave this file.
 */
import { bigintToBytes, bytesToBigint, mod, modInverse } from './bigint.js';
import { sha256 } from './hash.js';
import { isGroupElement, MODP_GENERATOR as G1, MODP_ORDER as Q, MODP_PRIME as P, modpPow } from './modp.js';
import type { RandomSource } from './random.js';

/** Why a received SMP message was refused. */
export type SmpCheckFailure = 'bad-group-element' | 'bad-exponent' | 'bad-proof';

/** Opaque per-step secrets; `wipe` drops the references (bigints cannot be zeroed in JavaScript). */
export class SmpSecrets {
  #values: Map<string, bigint>;
  constructor(values: Record<string, bigint>) {
    this.#values = new Map(Object.entries(values));
  }

  /** Internal: a named value (throws if wiped or absent). */
  get(name: string): bigint {
    const value = this.#values.get(name);
    if (value === undefined) throw new Error('SMP secret unavailable');
    return value;
  }

  /** Forgets every value. */
  wipe(): void {
    this.#values = new Map();
  }

  toJSON(): string {
    return '[SmpSecrets: redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[SmpSecrets: redacted]';
  }
}

/** The SMP hash: SHA-256(version || MPI(a) [|| MPI(b)]) as an integer. */
function hash(version: number, a: bigint, b?: bigint): bigint {
  const parts = [Uint8Array.of(version), mpi(a)];
  if (b !== undefined) parts.push(mpi(b));
  return bytesToBigint(sha256(...parts));
}

function mpi(value: bigint): Uint8Array {
  const body = bigintToBytes(value);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** A random 1536-bit exponent, as libotr draws them. */
function randomExponent(random: RandomSource): bigint {
  return bytesToBigint(random(192));
}

const mulmod = (a: bigint, b: bigint): bigint => (a * b) % P;
const divmod = (a: bigint, b: bigint): bigint => mulmod(a, modInverse(b, P));
const isExponent = (x: bigint): boolean => x >= 1n && x < Q;

/** Proof of knowledge of log_g1(g1^x): c = h(version, g1^r), D = r - x c mod q. */
function proveLog(version: number, x: bigint, random: RandomSource): [bigint, bigint] {
  const r = randomExponent(random);
  const c = hash(version, modpPow(G1, r));
  return [c, mod(r - x * c, Q)];
}

function checkLog(version: number, element: bigint, c: bigint, d: bigint): boolean {
  return c === hash(version, mulmod(modpPow(G1, d), modpPow(element, c)));
}

function toBig(values: readonly Uint8Array[]): bigint[] {
  return values.map(bytesToBigint);
}

function toBytes(values: readonly bigint[]): Uint8Array[] {
  return values.map((value) => bigintToBytes(value));
}

/** The SMP secret x = SHA-256(0x01 || initiator fp || responder fp || SSID || user secret), as an integer. */
export function smpSecret(initiatorFingerprint: Uint8Array, responderFingerprint: Uint8Array, ssid: Uint8Array, userSecret: Uint8Array): SmpSecrets {
  return new SmpSecrets({ x: bytesToBigint(sha256(Uint8Array.of(1), initiatorFingerprint, responderFingerprint, ssid, userSecret)) });
}

/** Step 1 (Alice): g2a, c2, D2, g3a, c3, D3. */
export function smpStep1(secret: SmpSecrets, random: RandomSource): { message: Uint8Array[]; state: SmpSecrets } {
  const a2 = randomExponent(random);
  const a3 = randomExponent(random);
  const [c2, d2] = proveLog(1, a2, random);
  const [c3, d3] = proveLog(2, a3, random);
  const message = toBytes([modpPow(G1, a2), c2, d2, modpPow(G1, a3), c3, d3]);
  return { message, state: new SmpSecrets({ x: secret.get('x'), a2, a3 }) };
}

/** Step 2a (Bob, before the user answers): check message 1. */
export function smpStep2a(message: readonly Uint8Array[]): SmpSecrets | SmpCheckFailure {
  if (message.length !== 6) return 'bad-proof';
  const [g2a, c2, d2, g3a, c3, d3] = toBig(message) as [bigint, bigint, bigint, bigint, bigint, bigint];
  if (!isGroupElement(g2a) || !isGroupElement(g3a)) return 'bad-group-element';
  if (!isExponent(d2) || !isExponent(d3)) return 'bad-exponent';
  if (!checkLog(1, g2a, c2, d2) || !checkLog(2, g3a, c3, d3)) return 'bad-proof';
  return new SmpSecrets({ g2a, g3a });
}

/** Step 2b (Bob, with his secret y): message 2 = g2b, c2, D2, g3b, c3, D3, Pb, Qb, cP, D5, D6. */
export function smpStep2b(received: SmpSecrets, secret: SmpSecrets, random: RandomSource): { message: Uint8Array[]; state: SmpSecrets } {
  const y = secret.get('x');
  const g2a = received.get('g2a');
  const g3a = received.get('g3a');
  const b2 = randomExponent(random);
  const b3 = randomExponent(random);
  const [c2, d2] = proveLog(3, b2, random);
  const [c3, d3] = proveLog(4, b3, random);
  const g2 = modpPow(g2a, b2);
  const g3 = modpPow(g3a, b3);
  const r4 = randomExponent(random);
  const r5 = randomExponent(random);
  const r6 = randomExponent(random);
  const pb = modpPow(g3, r4);
  const qb = mulmod(modpPow(G1, r4), modpPow(g2, y));
  const cp = hash(5, modpPow(g3, r5), mulmod(modpPow(G1, r5), modpPow(g2, r6)));
  const d5 = mod(r5 - r4 * cp, Q);
  const d6 = mod(r6 - y * cp, Q);
  const message = toBytes([modpPow(G1, b2), c2, d2, modpPow(G1, b3), c3, d3, pb, qb, cp, d5, d6]);
  return { message, state: new SmpSecrets({ g3a, g2, g3, b3, pb, qb }) };
}

/** Step 3 (Alice): check message 2; message 3 = Pa, Qa, cP, D5, D6, Ra, cR, D7. */
export function smpStep3(state: SmpSecrets, message: readonly Uint8Array[], random: RandomSource): { message: Uint8Array[]; state: SmpSecrets } | SmpCheckFailure {
  if (message.length !== 11) return 'bad-proof';
  const [g2b, c2, d2, g3b, c3, d3, pb, qb, cp, d5, d6] = toBig(message) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (![g2b, g3b, pb, qb].every(isGroupElement)) return 'bad-group-element';
  if (![d2, d3, d5, d6].every(isExponent)) return 'bad-exponent';
  if (!checkLog(3, g2b, c2, d2) || !checkLog(4, g3b, c3, d3)) return 'bad-proof';
  const x = state.get('x');
  const a2 = state.get('a2');
  const a3 = state.get('a3');
  const g2 = modpPow(g2b, a2);
  const g3 = modpPow(g3b, a3);
  const expectedCp = hash(5, mulmod(modpPow(g3, d5), modpPow(pb, cp)), mulmod(mulmod(modpPow(G1, d5), modpPow(g2, d6)), modpPow(qb, cp)));
  if (expectedCp !== cp) return 'bad-proof';
  const r4 = randomExponent(random);
  const r5 = randomExponent(random);
  const r6 = randomExponent(random);
  const r7 = randomExponent(random);
  const pa = modpPow(g3, r4);
  const qa = mulmod(modpPow(G1, r4), modpPow(g2, x));
  const cpA = hash(6, modpPow(g3, r5), mulmod(modpPow(G1, r5), modpPow(g2, r6)));
  const d5A = mod(r5 - r4 * cpA, Q);
  const d6A = mod(r6 - x * cpA, Q);
  const qaqb = divmod(qa, qb);
  const ra = modpPow(qaqb, a3);
  const cr = hash(7, modpPow(G1, r7), modpPow(qaqb, r7));
  const d7 = mod(r7 - a3 * cr, Q);
  const out = toBytes([pa, qa, cpA, d5A, d6A, ra, cr, d7]);
  return { message: out, state: new SmpSecrets({ g3b, papb: divmod(pa, pb), qaqb, a3 }) };
}

/** Step 4 (Bob): check message 3; message 4 = Rb, cR, D7; and the verdict. */
export function smpStep4(state: SmpSecrets, message: readonly Uint8Array[], random: RandomSource): { message: Uint8Array[]; success: boolean } | SmpCheckFailure {
  if (message.length !== 8) return 'bad-proof';
  const [pa, qa, cp, d5, d6, ra, cr, d7] = toBig(message) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (![pa, qa, ra].every(isGroupElement)) return 'bad-group-element';
  if (![d5, d6, d7].every(isExponent)) return 'bad-exponent';
  const g2 = state.get('g2');
  const g3 = state.get('g3');
  const g3a = state.get('g3a');
  const b3 = state.get('b3');
  const expectedCp = hash(6, mulmod(modpPow(g3, d5), modpPow(pa, cp)), mulmod(mulmod(modpPow(G1, d5), modpPow(g2, d6)), modpPow(qa, cp)));
  if (expectedCp !== cp) return 'bad-proof';
  const qaqb = divmod(qa, state.get('qb'));
  const expectedCr = hash(7, mulmod(modpPow(G1, d7), modpPow(g3a, cr)), mulmod(modpPow(qaqb, d7), modpPow(ra, cr)));
  if (expectedCr !== cr) return 'bad-proof';
  const r7 = randomExponent(random);
  const rb = modpPow(qaqb, b3);
  const crB = hash(8, modpPow(G1, r7), modpPow(qaqb, r7));
  const d7B = mod(r7 - b3 * crB, Q);
  const rab = modpPow(ra, b3);
  const success = rab === divmod(pa, state.get('pb'));
  return { message: toBytes([rb, crB, d7B]), success };
}

/** Step 5 (Alice): check message 4 and decide. */
export function smpStep5(state: SmpSecrets, message: readonly Uint8Array[]): { success: boolean } | SmpCheckFailure {
  if (message.length !== 3) return 'bad-proof';
  const [rb, cr, d7] = toBig(message) as [bigint, bigint, bigint];
  if (!isGroupElement(rb)) return 'bad-group-element';
  if (!isExponent(d7)) return 'bad-exponent';
  const qaqb = state.get('qaqb');
  const expectedCr = hash(8, mulmod(modpPow(G1, d7), modpPow(state.get('g3b'), cr)), mulmod(modpPow(qaqb, d7), modpPow(rb, cr)));
  if (expectedCr !== cr) return 'bad-proof';
  const rab = modpPow(rb, state.get('a3'));
  return { success: rab === state.get('papb') };
}
