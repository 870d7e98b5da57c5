/**
 * The building blocks of SMP (Protocol-v3, "The SMP state machine"): the
 * SMP hash function, random exponents, the range checks and the three
 * zero-knowledge proofs with their verifications, over the 1536-bit MODP
 * group with g1 = 2 and exponents modulo q = (p-1)/2.
 *
 * Encodings and checks follow libotr 4.1's sm.c, the reference the spec
 * was written from: the hash input is the version byte then each value as
 * an MPI (minimal big-endian magnitude, 0 as an empty MPI); a random
 * exponent is 192 random bytes read as an unsigned integer, not reduced.
 *
 * Internal to crypto/: everything here handles bigints.
 */
import { bigintToBytes, bytesToBigint, encodeMpi, mod, modInverse } from '../bigint.js';
import { sha256 } from '../hash.js';
import { jacobiSymbol } from '../jacobi.js';
import { MODP_GENERATOR, MODP_ORDER, MODP_PRIME, modpPow } from './modp.js';
import type { RandomSource } from '../random.js';

/** g1, the generator all proofs are relative to. */
export const G1 = MODP_GENERATOR;

/** Bytes of an SMP random exponent (1536 bits, as the spec and libotr's randomExponent say). */
const SMP_EXPONENT_BYTES = 192;

/** The hash versions, which bind each proof to its place in the protocol. */
export const SMP_HASH = {
  /** Message 1: knowledge of a2, then a3. */
  alice2: 1,
  alice3: 2,
  /** Message 2: knowledge of b2, then b3; then Pb, Qb. */
  bob2: 3,
  bob3: 4,
  bobCoords: 5,
  /** Message 3: Pa, Qa; then Ra. */
  aliceCoords: 6,
  aliceLogs: 7,
  /** Message 4: Rb. */
  bobLogs: 8,
} as const;

/** MPI(value). */
const mpi = (value: bigint): Uint8Array => encodeMpi(bigintToBytes(value));

/** h(version, a[, b]) = SHA-256(version || MPI(a) [|| MPI(b)]) as an integer (libotr's otrl_sm_hash). */
export function smpHash(version: number, a: bigint, b?: bigint): bigint {
  const parts = [Uint8Array.of(version), mpi(a)];
  if (b !== undefined) parts.push(mpi(b));
  return bytesToBigint(sha256(...parts));
}

/** A fresh random exponent: 192 random bytes as an unsigned integer (libotr's randomExponent). */
export function randomSmpExponent(random: RandomSource): bigint {
  const bytes = random(SMP_EXPONENT_BYTES);
  const value = bytesToBigint(bytes);
  bytes.fill(0);
  return value;
}

/**
 * True when x is a group element the peer may send: 2 <= x <= p-2, as the
 * spec and libotr's check_group_elem demand, and x in the order-q subgroup
 * that g1 generates, told by the Legendre symbol (jacobi.ts: for the safe
 * prime p that subgroup is the squares, so this equals x^q = 1). libotr
 * skips the second check; every value an honest peer sends is a power or
 * quotient of powers of g1, so it passes, while a cheater's -g1^a (order 2q)
 * could otherwise pass the proofs half of the time and, raised to our
 * exponents, carry the parity of our secret back in the values we send.
 */
export function isSmpGroupElement(x: bigint): boolean {
  return x >= 2n && x <= MODP_PRIME - 2n && jacobiSymbol(x, MODP_PRIME) === 1;
}

/** libotr's check_expon, inverted: true when 1 <= x < q. */
export function isSmpExponent(x: bigint): boolean {
  return x >= 1n && x < MODP_ORDER;
}

/** a * b mod p. */
export function mulP(a: bigint, b: bigint): bigint {
  return (a * b) % MODP_PRIME;
}

/** a / b mod p; b is a checked group element or a product of them, so never 0 mod p. */
export function divP(a: bigint, b: bigint): bigint {
  return mulP(a, modInverse(b, MODP_PRIME));
}

/** D = r - x c mod q. */
function response(r: bigint, x: bigint, c: bigint): bigint {
  return mod(r - mod(x * c, MODP_ORDER), MODP_ORDER);
}

/** Proof of knowledge of x in g1^x: c = h(version, g1^r), D = r - x c mod q. */
export function proveKnowLog(version: number, x: bigint, random: RandomSource): { c: bigint; d: bigint } {
  const r = randomSmpExponent(random);
  const c = smpHash(version, modpPow(G1, r));
  return { c, d: response(r, x, c) };
}

/** Verifies a proof of knowledge of log_g1(element): c = h(version, g1^D element^c). */
export function checkKnowLog(version: number, element: bigint, c: bigint, d: bigint): boolean {
  return c === smpHash(version, mulP(modpPow(G1, d), modpPow(element, c)));
}

/** The generators both sides agreed on, g2 = g1^(a2 b2) and g3 = g1^(a3 b3). */
export interface SmpGenerators {
  readonly g2: bigint;
  readonly g3: bigint;
}

/**
 * Proof that P = g3^r and Q = g1^r g2^secret share r (Pb/Qb or Pa/Qa):
 * c = h(version, g3^r1, g1^r1 g2^r2), D1 = r1 - r c, D2 = r2 - secret c (mod q).
 * Draws r1 then r2, as libotr's otrl_sm_proof_equal_coords does.
 */
export function proveEqualCoords(
  version: number,
  generators: SmpGenerators,
  r: bigint,
  secret: bigint,
  random: RandomSource,
): { c: bigint; d1: bigint; d2: bigint } {
  const r1 = randomSmpExponent(random);
  const r2 = randomSmpExponent(random);
  const c = smpHash(version, modpPow(generators.g3, r1), mulP(modpPow(G1, r1), modpPow(generators.g2, r2)));
  return { c, d1: response(r1, r, c), d2: response(r2, secret, c) };
}

/** Verifies {@link proveEqualCoords}: c = h(version, g3^D1 P^c, g1^D1 g2^D2 Q^c). */
export function checkEqualCoords(
  version: number,
  generators: SmpGenerators,
  p: bigint,
  q: bigint,
  proof: { c: bigint; d1: bigint; d2: bigint },
): boolean {
  const { c, d1, d2 } = proof;
  const first = mulP(modpPow(generators.g3, d1), modpPow(p, c));
  const second = mulP(mulP(modpPow(G1, d1), modpPow(generators.g2, d2)), modpPow(q, c));
  return c === smpHash(version, first, second);
}

/**
 * Proof that R = (Qa/Qb)^x3 with the x3 of our g3 half (g1^x3):
 * c = h(version, g1^r, (Qa/Qb)^r), D = r - x3 c mod q.
 */
export function proveEqualLogs(version: number, qab: bigint, x3: bigint, random: RandomSource): { c: bigint; d: bigint } {
  const r = randomSmpExponent(random);
  const c = smpHash(version, modpPow(G1, r), modpPow(qab, r));
  return { c, d: response(r, x3, c) };
}

/**
 * Verifies {@link proveEqualLogs} given the peer's g3 half `theirG3Half`:
 * c = h(version, g1^D theirG3Half^c, (Qa/Qb)^D R^c).
 */
export function checkEqualLogs(version: number, theirG3Half: bigint, qab: bigint, r: bigint, proof: { c: bigint; d: bigint }): boolean {
  const { c, d } = proof;
  const first = mulP(modpPow(G1, d), modpPow(theirG3Half, c));
  const second = mulP(modpPow(qab, d), modpPow(r, c));
  return c === smpHash(version, first, second);
}
