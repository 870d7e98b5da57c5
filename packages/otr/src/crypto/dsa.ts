/**
 * DSA as OTR uses it (Protocol-v3, "Public keys, signatures, and
 * fingerprints"): 1024-bit p, 160-bit q, signatures r || s of len(q) bytes
 * each over a 32-byte value (M_A or M_B) that is not hashed again.
 *
 * What integer is signed: libotr's otrl_privkey_sign/otrl_privkey_verify
 * scan the 32 bytes as an unsigned integer and pass it to libgcrypt as a
 * bare MPI "(%m)", not as a hash. libgcrypt truncates only opaque (hash)
 * MPIs to len(q) bits (_gcry_dsa_normalize_hash); a plain MPI goes straight
 * into s = k^-1 (H + x r) mod q and u1 = H w mod q. So the signed value is
 * the full 256-bit integer reduced mod q, not its leftmost 160 bits (FIPS
 * 186 truncation, which OpenSSL would apply). test/vectors/libotr proves it
 * both ways against libotr.
 *
 * Exponentiation mod p runs in OpenSSL (pow-mod.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { bigintToBytes, bytesToBigint, encodeMpi, mod, modInverse, stripLeadingZeros } from './bigint.js';
import { readDsaPkcs8 } from './der.js';
import { powMod } from './pow-mod.js';
import { sha1 } from './hash.js';
import type { RandomSource } from './random.js';
import { Secret } from './secret.js';

/** A DSA public key as minimal big-endian MPI bodies. */
export interface DsaPublicKey {
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly g: Uint8Array;
  readonly y: Uint8Array;
}

/** A DSA private key; x stays a {@link Secret} and inspection is redacted. */
export class DsaPrivateKey {
  readonly #x: Secret;

  /** Wraps a consistent key; use {@link dsaPrivateKeyFromParts} to check parts from outside. */
  constructor(
    readonly publicKey: DsaPublicKey,
    x: Secret,
  ) {
    this.#x = x;
  }

  /** The private value, for signing inside crypto/ and for the key store's export. */
  exposePrivate(): Uint8Array {
    return this.#x.expose();
  }

  /** Wipes x. */
  wipe(): void {
    this.#x.wipe();
  }

  /** Redacted, so a key never reaches a log. */
  toString(): string {
    return '[DsaPrivateKey: redacted]';
  }

  toJSON(): string {
    return '[DsaPrivateKey: redacted]';
  }

  [inspect.custom](): string {
    return '[DsaPrivateKey: redacted]';
  }
}

/** base^exponent mod p for a DSA modulus (minimal bytes), through OpenSSL. */
function dsaPow(p: Uint8Array, base: bigint, exponent: bigint | Uint8Array): bigint {
  return powMod(p, base, exponent);
}

/** Number of significant bits of a big-endian value. */
function bitLength(bytes: Uint8Array): number {
  const body = stripLeadingZeros(bytes);
  const top = body[0];
  return top === undefined ? 0 : (body.length - 1) * 8 + top.toString(2).length;
}

/** FIPS 186 sizes: p of 1024 to 3072 bits, q of 160, 224 or 256 bits. */
const MIN_P_BITS = 1024;
const MAX_P_BITS = 3072;
const Q_BITS = [160, 224, 256];

/**
 * Sanity checks on a received or imported public key: sizes (p 1024 to 3072
 * bits, q 160/224/256 bits), p and q odd with q dividing p-1, 1 < g < p-1 and
 * 1 < y < p-1. Primality is not tested (too slow per message); a bad key can
 * only make its owner's signatures worthless.
 */
export function isValidDsaPublicKey(key: DsaPublicKey): boolean {
  const pBits = bitLength(key.p);
  if (pBits < MIN_P_BITS || pBits > MAX_P_BITS || !Q_BITS.includes(bitLength(key.q))) return false;
  const p = bytesToBigint(key.p);
  const q = bytesToBigint(key.q);
  const g = bytesToBigint(key.g);
  const y = bytesToBigint(key.y);
  if ((p & 1n) === 0n || (q & 1n) === 0n || (p - 1n) % q !== 0n) return false;
  return g > 1n && g < p - 1n && y > 1n && y < p - 1n;
}

/** Generates a DSA-1024/160 key with OpenSSL. */
export function generateDsaKey(): DsaPrivateKey {
  const { privateKey } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
  // A view, not a copy, so that wiping it wipes OpenSSL's export.
  const exported = privateKey.export({ format: 'der', type: 'pkcs8' });
  const der = new Uint8Array(exported.buffer, exported.byteOffset, exported.byteLength);
  const parts = readDsaPkcs8(der);
  const y = dsaPow(stripLeadingZeros(parts.p), bytesToBigint(parts.g), parts.x);
  const key = dsaPrivateKeyFromParts({ ...parts, y: bigintToBytes(y) });
  der.fill(0);
  if (key === undefined) throw new Error('OpenSSL produced an unusable DSA key');
  return key;
}

/**
 * Builds a private key from its parts (big-endian, leading zeros allowed), or
 * undefined when they are inconsistent: a public key failing
 * {@link isValidDsaPublicKey}, x outside (1, q), or y != g^x mod p.
 */
export function dsaPrivateKeyFromParts(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; y: Uint8Array; x: Uint8Array }): DsaPrivateKey | undefined {
  const publicKey: DsaPublicKey = {
    p: Uint8Array.from(stripLeadingZeros(parts.p)),
    q: Uint8Array.from(stripLeadingZeros(parts.q)),
    g: Uint8Array.from(stripLeadingZeros(parts.g)),
    y: Uint8Array.from(stripLeadingZeros(parts.y)),
  };
  if (!isValidDsaPublicKey(publicKey)) return undefined;
  const x = bytesToBigint(parts.x);
  if (x <= 1n || x >= bytesToBigint(publicKey.q)) return undefined;
  try {
    if (dsaPow(publicKey.p, bytesToBigint(publicKey.g), parts.x) !== bytesToBigint(publicKey.y)) return undefined;
  } catch {
    // A modulus OpenSSL cannot work with (not prime): not a key.
    return undefined;
  }
  return new DsaPrivateKey(publicKey, new Secret(Uint8Array.from(stripLeadingZeros(parts.x))));
}

/**
 * Builds a private key from p, q, g and x alone (PKCS#8 files carry no y):
 * y = g^x mod p is computed here, then checked like {@link dsaPrivateKeyFromParts}.
 */
export function dsaPrivateKeyFromPrivateParts(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; x: Uint8Array }): DsaPrivateKey | undefined {
  const p = stripLeadingZeros(parts.p);
  const g = bytesToBigint(parts.g);
  if (p.length === 0 || g <= 1n || g >= bytesToBigint(p)) return undefined;
  let y: bigint;
  try {
    y = dsaPow(p, g, parts.x);
  } catch {
    return undefined;
  }
  return dsaPrivateKeyFromParts({ ...parts, y: bigintToBytes(y) });
}

/** The parts of a private key (minimal bytes; x as a fresh Secret the caller wipes), for storage and export. */
export function dsaPrivateKeyToParts(key: DsaPrivateKey): DsaPublicKey & { x: Secret } {
  return { ...key.publicKey, x: new Secret(Uint8Array.from(key.exposePrivate())) };
}

/**
 * Signs `value` (the 32-byte M_A or M_B, taken as an integer mod q as libotr
 * does; see the file comment) with k drawn from `random`; returns r || s,
 * each len(q) bytes, left-padded with zeros.
 */
export function dsaSign(key: DsaPrivateKey, value: Uint8Array, random: RandomSource): Uint8Array {
  const { p, q: qBytes, g } = key.publicKey;
  const q = bytesToBigint(qBytes);
  const x = bytesToBigint(key.exposePrivate());
  const m = mod(bytesToBigint(value), q);
  const width = qBytes.length;
  for (;;) {
    const kBytes = random(width + 8);
    const k = mod(bytesToBigint(kBytes), q - 1n) + 1n;
    kBytes.fill(0);
    const r = mod(dsaPow(p, bytesToBigint(g), k), q);
    if (r === 0n) continue;
    const s = mod(modInverse(k, q) * (m + x * r), q);
    if (s === 0n) continue;
    const signature = new Uint8Array(2 * width);
    signature.set(bigintToBytes(r, width), 0);
    signature.set(bigintToBytes(s, width), width);
    return signature;
  }
}

/**
 * Verifies r || s (each len(q) bytes) over `value`, taken mod q as libgcrypt
 * does. False for any bad input: wrong signature length, r or s outside
 * (0, q), a public key failing {@link isValidDsaPublicKey}. Never throws.
 */
export function dsaVerify(key: DsaPublicKey, value: Uint8Array, signature: Uint8Array): boolean {
  if (!isValidDsaPublicKey(key)) return false;
  const qBytes = stripLeadingZeros(key.q);
  const width = qBytes.length;
  if (signature.length !== 2 * width) return false;
  const q = bytesToBigint(qBytes);
  const r = bytesToBigint(signature.subarray(0, width));
  const s = bytesToBigint(signature.subarray(width));
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  try {
    const p = key.p;
    const w = modInverse(s, q);
    const u1 = mod(bytesToBigint(value) * w, q);
    const u2 = mod(r * w, q);
    const v = mod(dsaPow(p, bytesToBigint(key.g), u1) * dsaPow(p, bytesToBigint(key.y), u2), bytesToBigint(p));
    return mod(v, q) === r;
  } catch {
    // q not prime (s not invertible) or a modulus OpenSSL refuses: a bad key.
    return false;
  }
}

/**
 * The fingerprint: SHA-1 over MPI(p) MPI(q) MPI(g) MPI(y), minimal MPIs (the
 * spec: "the 2-byte public key type field ... is not included"), as libotr's
 * otrl_privkey_fingerprint_raw computes it.
 */
export function fingerprint(key: DsaPublicKey): Uint8Array {
  return sha1(encodeMpi(key.p), encodeMpi(key.q), encodeMpi(key.g), encodeMpi(key.y));
}

/** libotr's human form (otrl_privkey_hash_to_human): five groups of eight upper-case hex digits, space-separated. */
export function formatFingerprint(fp: Uint8Array): string {
  const hex = Buffer.from(fp).toString('hex').toUpperCase();
  return (hex.match(/.{1,8}/g) ?? []).join(' ');
}
