/**
 * DSA as OTR uses it (Protocol-v3, "Public keys, signatures, and
 * fingerprints"): 1024-bit p, 160-bit q, signatures r || s of len(q) bytes
 * each over a 32-byte value that is not hashed again. libotr hands that value
 * to libgcrypt as an integer without truncation; DSA arithmetic mod q then
 * uses it reduced mod q, which is what we sign and verify.
 * Exponentiation mod p runs in OpenSSL through DiffieHellman objects.
 */
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { bigintToBytes, bytesToBigint, mod, modInverse, stripLeadingZeros } from './bigint.js';
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

  toJSON(): string {
    return '[DsaPrivateKey: redacted]';
  }

  [inspect.custom](): string {
    return '[DsaPrivateKey: redacted]';
  }
}

/** base^exponent mod p for a DSA modulus, through OpenSSL. */
function dsaPow(p: Uint8Array, base: bigint, exponent: bigint): bigint {
  return powMod(p, bytesToBigint(p), base, exponent);
}

/** Sanity checks on a received or imported public key. */
export function isValidDsaPublicKey(key: DsaPublicKey): boolean {
  const pBits = stripLeadingZeros(key.p).length * 8;
  const qBytes = stripLeadingZeros(key.q).length;
  if (pBits < 1024 || pBits > 3072 || ![20, 28, 32].includes(qBytes)) return false;
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
  const der = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
  const parts = readDsaPkcs8(der);
  const x = bytesToBigint(parts.x);
  const y = dsaPow(stripLeadingZeros(parts.p), bytesToBigint(parts.g), x);
  const key = dsaPrivateKeyFromParts({ ...parts, y: bigintToBytes(y) });
  der.fill(0);
  if (key === undefined) throw new Error('OpenSSL produced an unusable DSA key');
  return key;
}

/** Builds a private key from its parts, or undefined when they are inconsistent (y != g^x mod p, bad sizes). */
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
  if (dsaPow(publicKey.p, bytesToBigint(publicKey.g), x) !== bytesToBigint(publicKey.y)) return undefined;
  return new DsaPrivateKey(publicKey, new Secret(Uint8Array.from(stripLeadingZeros(parts.x))));
}

/** The parts of a private key, for storage and export. */
export function dsaPrivateKeyToParts(key: DsaPrivateKey): DsaPublicKey & { x: Secret } {
  return { ...key.publicKey, x: new Secret(Uint8Array.from(key.exposePrivate())) };
}

/** Signs a 32-byte (or any) value; returns r || s, each len(q) bytes. */
export function dsaSign(key: DsaPrivateKey, value: Uint8Array, random: RandomSource): Uint8Array {
  const { p, q: qBytes, g } = key.publicKey;
  const q = bytesToBigint(qBytes);
  const x = bytesToBigint(key.exposePrivate());
  const m = mod(bytesToBigint(value), q);
  const width = qBytes.length;
  for (;;) {
    const k = mod(bytesToBigint(random(width + 8)), q - 1n) + 1n;
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

/** Verifies r || s over `value`; false for any malformed input. */
export function dsaVerify(key: DsaPublicKey, value: Uint8Array, signature: Uint8Array): boolean {
  const width = key.q.length;
  if (signature.length !== 2 * width) return false;
  const q = bytesToBigint(key.q);
  const r = bytesToBigint(signature.subarray(0, width));
  const s = bytesToBigint(signature.subarray(width));
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const p = bytesToBigint(key.p);
  const w = modInverse(s, q);
  const u1 = mod(mod(bytesToBigint(value), q) * w, q);
  const u2 = mod(r * w, q);
  const g = bytesToBigint(key.g);
  const y = bytesToBigint(key.y);
  if (g <= 1n || g >= p - 1n || y <= 1n || y >= p - 1n) return false;
  const v = mod(mod(dsaPow(key.p, g, u1) * dsaPow(key.p, y, u2), p), q);
  return v === r;
}

function mpi(value: Uint8Array): Uint8Array {
  const body = stripLeadingZeros(value);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** The fingerprint: SHA-1 over MPI(p) MPI(q) MPI(g) MPI(y) (the type 0x0000 is omitted, per spec). */
export function fingerprint(key: DsaPublicKey): Uint8Array {
  return sha1(mpi(key.p), mpi(key.q), mpi(key.g), mpi(key.y));
}

/** libotr's human form: five groups of eight upper-case hex digits. */
export function formatFingerprint(fp: Uint8Array): string {
  const hex = Buffer.from(fp).toString('hex').toUpperCase();
  return (hex.match(/.{1,8}/g) ?? []).join(' ');
}
