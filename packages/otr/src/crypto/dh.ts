/**
 * Diffie-Hellman over the 1536-bit MODP group with 320-bit private exponents
 * (Protocol-v3, "Authenticated Key Exchange" and "Key Management"), through
 * OpenSSL. Every received public value is checked to be in [2, p-2].
 */
import { createDiffieHellman } from 'node:crypto';
import { bytesToBigint, stripLeadingZeros } from './bigint.js';
import { isGroupElement, MODP_PRIME_BYTES } from './modp.js';
import type { RandomSource } from './random.js';
import { Secret } from './secret.js';

/** Private exponent size: the spec asks for at least 320 bits. */
const PRIVATE_KEY_BYTES = 40;
const GENERATOR = Buffer.from([2]);
const PRIME = Buffer.from(MODP_PRIME_BYTES);

/** A DH key pair: public g^x (minimal big-endian) and the secret x. */
export interface DhKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Secret;
}

function openssl() {
  return createDiffieHellman(PRIME, GENERATOR);
}

/** A fresh key pair with x taken from `random`. */
export function generateDhKeyPair(random: RandomSource): DhKeyPair {
  const exponent = random(PRIVATE_KEY_BYTES);
  // x = 0 or 1 would give a trivial public value; redraw (probability 2^-319).
  if (exponent.every((byte, i) => (i === exponent.length - 1 ? byte <= 1 : byte === 0))) return generateDhKeyPair(random);
  const dh = openssl();
  dh.setPrivateKey(Buffer.from(exponent));
  const publicKey = stripLeadingZeros(new Uint8Array(dh.generateKeys()));
  return { publicKey: Uint8Array.from(publicKey), privateKey: new Secret(exponent) };
}

/** True when a received public value is a legal group element: 2 <= y <= p-2. */
export function isValidDhPublic(publicKey: Uint8Array): boolean {
  if (publicKey.length > MODP_PRIME_BYTES.length) return false;
  return isGroupElement(bytesToBigint(publicKey));
}

/** s = theirPublic^x mod p as minimal big-endian bytes, or undefined when theirPublic is illegal. */
export function dhSharedSecret(ours: DhKeyPair, theirPublic: Uint8Array): Secret | undefined {
  if (!isValidDhPublic(theirPublic)) return undefined;
  const dh = openssl();
  dh.setPrivateKey(Buffer.from(ours.privateKey.expose()));
  const shared = new Uint8Array(dh.computeSecret(Buffer.from(theirPublic)));
  const minimal = Uint8Array.from(stripLeadingZeros(shared));
  shared.fill(0);
  return new Secret(minimal);
}
