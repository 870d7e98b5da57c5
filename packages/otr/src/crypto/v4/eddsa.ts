/**
 * Long-term Ed448 keys and plain EdDSA (Ed448, RFC 8032 with flag 0 and an
 * empty context) for OTRv4 ("Public keys, Shared Prekeys, Forging keys and
 * Fingerprints", "Create a Client Profile Signature", "Verify a Client
 * Profile Signature"). Signing and verification run in OpenSSL
 * (node:crypto), many times faster than the same in JavaScript; the public
 * point H comes from OpenSSL's key derivation too (ed448.ts,
 * keyPairFromSymmetricKey, with noble's multiplication as the fallback),
 * and the tests check it against noble's G * sk.
 *
 * The private key is the 57-byte symmetric key `sym_key` (RFC 8032's
 * secret key). The secret scalar `sk` is derived from it once and kept for
 * the ring signatures of the DAKE. OpenSSL receives the symmetric key only
 * inside the DER we build and wipe; its own KeyObject copy lives until the
 * garbage collector frees it (SECURITY.md: what JavaScript cannot wipe).
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { UsageError } from '../../errors.js';
import type { RandomSource } from '../random.js';
import { Secret } from '../secret.js';
import { Ed448Point, keyPairFromSymmetricKey, POINT_BYTES } from './ed448.js';
import { hwc, USAGE } from './kdf.js';
import { SCALAR_BYTES } from './scalar.js';

/** Bytes of an EDDSA signature (R || S). */
export const EDDSA_SIGNATURE_BYTES = 114;
/** Bytes of the symmetric key (RFC 8032's Ed448 secret key). */
export const SYMMETRIC_KEY_BYTES = SCALAR_BYTES;
/** Bytes of an OTRv4 fingerprint: HWC(usage_fingerprint || byte(H) || byte(F), 56). */
export const FINGERPRINT_BYTES = 56;

/** PKCS#8 PrivateKeyInfo of an Ed448 key (RFC 8410) up to the 57 key bytes. */
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04, 0x39]);
/** SubjectPublicKeyInfo of an Ed448 key (RFC 8410) up to the 57 key bytes. */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00]);

/** An OpenSSL private key object for a symmetric key; the DER holding it is wiped at once. */
function opensslPrivateKey(symmetricKey: Uint8Array): ReturnType<typeof createPrivateKey> {
  const der = Buffer.alloc(PKCS8_PREFIX.length + SYMMETRIC_KEY_BYTES);
  der.set(PKCS8_PREFIX);
  der.set(symmetricKey, PKCS8_PREFIX.length);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/**
 * The public key H of a symmetric key as OpenSSL computes it (RFC 8032
 * section 5.2.5); {@link Ed448KeyPair} computes it with our arithmetic, and
 * the tests compare the two.
 */
export function opensslEd448PublicKey(symmetricKey: Uint8Array): Uint8Array {
  if (symmetricKey.length !== SYMMETRIC_KEY_BYTES) throw new UsageError('bad-argument', 'an Ed448 symmetric key is 57 bytes');
  const spki = createPublicKey(opensslPrivateKey(symmetricKey)).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(spki.subarray(SPKI_PREFIX.length));
}

/**
 * A long-term Ed448 key pair (identity key H, forging key F, shared prekey
 * D): the symmetric key, its secret scalar and the public point. Inspection
 * shows nothing secret; {@link Ed448KeyPair.wipe} forgets both secrets.
 */
export class Ed448KeyPair {
  readonly #symmetricKey: Secret;
  readonly #secretScalar: Secret;
  /** The public point (H, F or D). */
  readonly publicKey: Ed448Point;

  private constructor(symmetricKey: Secret, secretScalar: Secret, publicKey: Ed448Point) {
    this.#symmetricKey = symmetricKey;
    this.#secretScalar = secretScalar;
    this.publicKey = publicKey;
  }

  /** The key pair of a 57-byte symmetric key; takes ownership of `symmetricKey`. */
  static fromSymmetricKey(symmetricKey: Secret): Ed448KeyPair {
    if (symmetricKey.length !== SYMMETRIC_KEY_BYTES) throw new UsageError('bad-argument', 'an Ed448 symmetric key is 57 bytes');
    const { secret, publicKey } = keyPairFromSymmetricKey(symmetricKey.expose());
    return new Ed448KeyPair(symmetricKey, secret, publicKey);
  }

  /** A fresh key pair: the symmetric key is 57 bytes from `random`. */
  static generate(random: RandomSource): Ed448KeyPair {
    return Ed448KeyPair.fromSymmetricKey(new Secret(random(SYMMETRIC_KEY_BYTES)));
  }

  /** The POINT encoding of the public key. */
  publicKeyBytes(): Uint8Array {
    return this.publicKey.encode();
  }

  /** The symmetric key, for the key store (do not copy it elsewhere). */
  exposeSymmetricKey(): Uint8Array {
    return this.#symmetricKey.expose();
  }

  /** The secret scalar sk (57 bytes, little-endian, < q), for the ring signature inside crypto/. */
  exposeSecretScalar(): Uint8Array {
    return this.#secretScalar.expose();
  }

  /** Ed448 signature (114 bytes) of `message`, flag 0 and an empty context, in OpenSSL. */
  sign(message: Uint8Array): Uint8Array {
    const key = opensslPrivateKey(this.#symmetricKey.expose());
    return new Uint8Array(sign(null, message, key));
  }

  /** True once {@link Ed448KeyPair.wipe} has run. */
  get wiped(): boolean {
    return this.#symmetricKey.wiped;
  }

  /** Forgets the symmetric key and the secret scalar. */
  wipe(): void {
    this.#symmetricKey.wipe();
    this.#secretScalar.wipe();
  }

  toString(): string {
    return '[Ed448KeyPair]';
  }

  toJSON(): string {
    return '[Ed448KeyPair]';
  }
}

/**
 * Verifies an Ed448 signature (flag 0, empty context) in OpenSSL: false for
 * a public key or signature of the wrong size, a public key OpenSSL cannot
 * decode, S >= q or a failed group equation. Never throws on received bytes.
 */
export function verifyEd448Signature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== POINT_BYTES || signature.length !== EDDSA_SIGNATURE_BYTES) return false;
  const der = new Uint8Array(SPKI_PREFIX.length + POINT_BYTES);
  der.set(SPKI_PREFIX);
  der.set(publicKey, SPKI_PREFIX.length);
  try {
    const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** The OTRv4 fingerprint of a public key H and forging key F: HWC(usage_fingerprint || byte(H) || byte(F), 56). */
export function ed448Fingerprint(publicKey: Ed448Point, forgingKey: Ed448Point): Uint8Array {
  return hwc(USAGE.usage_fingerprint, FINGERPRINT_BYTES, publicKey.encode(), forgingKey.encode());
}
