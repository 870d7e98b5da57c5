/**
 * Diffie-Hellman over the 1536-bit MODP group with 320-bit private exponents
 * (Protocol-v3, "Authenticated Key Exchange" and "Key Management"), computed
 * in OpenSSL (pow-mod.ts). Every received public value must lie in [2, p-2],
 * as the spec requires ("Verify that ... g^x ... is a legal value").
 */
import { compareBytes } from '../bytes.js';
import { bigintToBytes, stripLeadingZeros } from './bigint.js';
import { MODP_PRIME, MODP_PRIME_BYTES, modpPowBytes } from './v3/modp.js';
import type { RandomSource } from './random.js';
import { Secret } from './secret.js';

/** Private exponent size: the spec asks for at least 320 bits. */
const PRIVATE_KEY_BYTES = 40;

/** A DH key pair: public g^x (minimal big-endian) and the secret x. */
export interface DhKeyPair {
  /** g^x mod p as minimal big-endian bytes (the body of the MPI sent on the wire). */
  readonly publicKey: Uint8Array;
  /** x: 40 bytes taken from the RandomSource. */
  readonly privateKey: Secret;
}

const GENERATOR = Uint8Array.of(2);
/** p - 2, the largest legal public value. */
const MAX_PUBLIC = bigintToBytes(MODP_PRIME - 2n);

/** True for x = 0 or 1, which would give a trivial public value. */
function isTrivialExponent(exponent: Uint8Array): boolean {
  const last = exponent.length - 1;
  return exponent.every((byte, i) => (i === last ? byte <= 1 : byte === 0));
}

/** A fresh key pair: x is 40 bytes (320 bits) from `random`, the public value g^x mod p. */
export function generateDhKeyPair(random: RandomSource): DhKeyPair {
  let exponent = random(PRIVATE_KEY_BYTES);
  // x = 0 or 1 happens with probability 2^-319 from a real source: redraw,
  // but do not spin forever on a broken source.
  for (let attempt = 0; isTrivialExponent(exponent); attempt++) {
    if (attempt === 8) throw new Error('the random source keeps returning zeros');
    exponent = random(PRIVATE_KEY_BYTES);
  }
  const publicKey = modpPowBytes(GENERATOR, exponent);
  return { publicKey, privateKey: new Secret(exponent) };
}

/** True when a received public value (big-endian, leading zeros allowed) is a legal group element: 2 <= y <= p-2. */
export function isValidDhPublic(publicKey: Uint8Array): boolean {
  const body = stripLeadingZeros(publicKey);
  if (body.length > MODP_PRIME_BYTES.length) return false;
  return compareBytes(body, GENERATOR) >= 0 && compareBytes(body, MAX_PUBLIC) <= 0;
}

/** s = theirPublic^x mod p as minimal big-endian bytes, or undefined when theirPublic is not in [2, p-2]. */
export function dhSharedSecret(ours: DhKeyPair, theirPublic: Uint8Array): Secret | undefined {
  if (!isValidDhPublic(theirPublic)) return undefined;
  return new Secret(modpPowBytes(theirPublic, ours.privateKey.expose()));
}

/**
 * Numeric comparison of two public values (big-endian, leading zeros
 * ignored): -1, 0 or 1. Decides who is the "high" end of a key pairing.
 */
export function compareDhPublic(a: Uint8Array, b: Uint8Array): number {
  return Math.sign(compareBytes(a, b));
}
