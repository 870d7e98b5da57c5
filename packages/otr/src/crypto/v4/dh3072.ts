/**
 * The 3072-bit Diffie-Hellman group of OTRv4 (RFC 3526 group 15, generator
 * g3 = 2; OTRv4, "3072-bit Diffie-Hellman Parameters", "Verifying that an
 * integer is in the DH group", "Generating ECDH and DH keys", "Shared
 * Secrets") and the brace key derived from it. Exponentiation goes through
 * OpenSSL by the same prepared-modulus mechanism as v3's group (pow-mod.ts).
 */
import { compareBytes } from '../../bytes.js';
import { bigintToBytes, bytesToBigint, stripLeadingZeros } from '../bigint.js';
import { jacobiSymbol } from '../jacobi.js';
import { powModBytes } from '../pow-mod.js';
import type { RandomSource } from '../random.js';
import { Secret } from '../secret.js';
import { kdf, USAGE } from './kdf.js';
import { CryptoRejection } from './rejection.js';

const PRIME_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

/** dh_p (bigint: crypto/ only). */
export const DH3072_PRIME = BigInt('0x' + PRIME_HEX);
/** dh_q = (dh_p - 1) / 2, the order of the subgroup g3 generates. */
export const DH3072_SUBPRIME = (DH3072_PRIME - 1n) / 2n;
/** dh_p as big-endian bytes (384). */
export const DH3072_PRIME_BYTES = bigintToBytes(DH3072_PRIME);
/** Size of a DH public value and of k_dh, at most (384 bytes). */
export const DH3072_BYTES = DH3072_PRIME_BYTES.length;
/** generateDH(): "pick a random value r (80 bytes)". */
export const DH3072_PRIVATE_KEY_BYTES = 80;
/** Bytes of a brace key. */
export const BRACE_KEY_BYTES = 32;

const GENERATOR = Uint8Array.of(2);
const MAX_PUBLIC = bigintToBytes(DH3072_PRIME - 2n);

/** A brace key pair: public g3^r (minimal big-endian, the body of the MPI) and the secret r. */
export interface Dh3072KeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Secret;
}

function isTrivialExponent(exponent: Uint8Array): boolean {
  const last = exponent.length - 1;
  return exponent.every((byte, i) => (i === last ? byte <= 1 : byte === 0));
}

/** generateDH(): r is 80 bytes from `random`, the public value g3^r mod dh_p. */
export function generateDh3072KeyPair(random: RandomSource): Dh3072KeyPair {
  let exponent = random(DH3072_PRIVATE_KEY_BYTES);
  // r = 0 or 1 happens with probability 2^-639 from a real source: redraw, but not forever.
  for (let attempt = 0; isTrivialExponent(exponent); attempt++) {
    if (attempt === 8) throw new Error('the random source keeps returning zeros');
    exponent = random(DH3072_PRIVATE_KEY_BYTES);
  }
  return { publicKey: powModBytes(DH3072_PRIME_BYTES, GENERATOR, exponent), privateKey: new Secret(exponent) };
}

/**
 * "Verifying that an integer is in the DH group": g3 <= x <= dh_p - g3, and
 * x in the order-dh_q subgroup. The spec tests x^dh_q = 1; dh_p is a safe
 * prime, so that subgroup is exactly the quadratic residues and the Legendre
 * symbol (x/dh_p) = 1 decides the same at a fraction of the cost (jacobi.ts).
 * Big-endian, leading zeros allowed.
 */
export function checkDh3072Public(publicKey: Uint8Array): true | CryptoRejection {
  const body = stripLeadingZeros(publicKey);
  if (body.length > DH3072_BYTES) return new CryptoRejection('bad-length');
  if (compareBytes(body, GENERATOR) < 0 || compareBytes(body, MAX_PUBLIC) > 0) return new CryptoRejection('dh-out-of-range');
  if (jacobiSymbol(bytesToBigint(body), DH3072_PRIME) !== 1) return new CryptoRejection('dh-not-in-subgroup');
  return true;
}

/** True when {@link checkDh3072Public} accepts the value. */
export function isValidDh3072Public(publicKey: Uint8Array): boolean {
  return checkDh3072Public(publicKey) === true;
}

/** DH(a, B) = k_dh = B^a mod dh_p as minimal big-endian bytes ("Shared Secrets"), after the checks of {@link checkDh3072Public}. */
export function dh3072SharedSecret(ours: Dh3072KeyPair, theirPublic: Uint8Array): Secret | CryptoRejection {
  const verdict = checkDh3072Public(theirPublic);
  if (verdict !== true) return verdict;
  return new Secret(powModBytes(DH3072_PRIME_BYTES, stripLeadingZeros(theirPublic), ours.privateKey.expose()));
}

/** brace_key = KDF(usage_third_brace_key || k_dh, 32): the brace key of every third DH ratchet (and of the DAKE). */
export function braceKeyFromSharedSecret(sharedSecret: Secret): Secret {
  return new Secret(kdf(USAGE.usage_third_brace_key, BRACE_KEY_BYTES, sharedSecret.expose()));
}

/** brace_key = KDF(usage_brace_key || brace_key, 32): the brace key of the other ratchets. The caller wipes the old one. */
export function nextBraceKey(braceKey: Secret): Secret {
  return new Secret(kdf(USAGE.usage_brace_key, BRACE_KEY_BYTES, braceKey.expose()));
}
