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
 * Exponentiation with the secret x or k runs in OpenSSL (pow-mod.ts), on
 * our own modulus. Verification exponentiates public values only (u1, u2
 * under 160 bits) and runs in bigint, so a peer's modulus needs no OpenSSL
 * DH object: making one tests the modulus for primality (about 25 ms for
 * 1024 bits, 1.2 s for 3072), which a peer rotating keys would make us pay
 * on every AKE.
 */
import { checkPrimeSync, generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { UsageError } from '../errors.js';
import { bigintToBytes, bytesToBigint, encodeMpi, mod, modInverse, powModPublic, stripLeadingZeros } from './bigint.js';
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

/**
 * What is wrong with a DSA key, as {@link checkDsaKeyParts} finds it: a
 * size other than OTR's (p 1024 bits, q 160 bits), p or q composite, q not
 * dividing p-1, g or y outside (1, p) or not of order q, x outside (0, q),
 * or y != g^x mod p.
 */
export type DsaKeyProblem =
  | 'p-size'
  | 'q-size'
  | 'q-not-dividing-p-1'
  | 'p-not-prime'
  | 'q-not-prime'
  | 'g-out-of-range'
  | 'g-not-of-order-q'
  | 'y-out-of-range'
  | 'y-not-of-order-q'
  | 'x-out-of-range'
  | 'y-not-g-to-x';

const PROBLEM_TEXT: Readonly<Record<DsaKeyProblem, string>> = {
  'p-size': 'p is not 1024 bits',
  'q-size': 'q is not 160 bits',
  'q-not-dividing-p-1': 'q does not divide p-1',
  'p-not-prime': 'p is not prime',
  'q-not-prime': 'q is not prime',
  'g-out-of-range': 'g is not between 1 and p',
  'g-not-of-order-q': 'g is not in the subgroup of order q (g^q != 1 mod p)',
  'y-out-of-range': 'y is not between 1 and p',
  'y-not-of-order-q': 'y is not in the subgroup of order q (y^q != 1 mod p)',
  'x-out-of-range': 'x is not between 0 and q',
  'y-not-g-to-x': 'y is not g^x mod p',
};

/** A DSA key whose numbers are inconsistent (thrown by {@link makeDsaPrivateKey} and the {@link DsaPrivateKey} constructor). */
export class DsaKeyError extends UsageError {
  /** The problem in words (e.g. "p is not prime"); never a number of the key. */
  readonly detail: string;
  constructor(readonly problem: DsaKeyProblem) {
    super('bad-dsa-key', `not a usable OTR DSA key: ${PROBLEM_TEXT[problem]}`);
    this.detail = PROBLEM_TEXT[problem];
  }
}

/** Public keys whose parts, with the x they were built with, have just been checked (so the constructor need not check again). */
const checkedPublicKeys = new WeakSet<DsaPublicKey>();

/**
 * A DSA private key; x stays a {@link Secret} and inspection is redacted.
 * Every instance holds a consistent key: the constructor checks the parts
 * as {@link checkDsaKeyParts} does and throws {@link DsaKeyError} otherwise.
 */
export class DsaPrivateKey {
  readonly #x: Secret;

  /** Wraps a key, checking it; {@link makeDsaPrivateKey} builds one from raw parts. */
  constructor(
    readonly publicKey: DsaPublicKey,
    x: Secret,
  ) {
    if (!checkedPublicKeys.has(publicKey)) {
      const problem = checkDsaKeyParts({ ...publicKey, x: x.expose() });
      if (problem !== undefined) throw new DsaKeyError(problem);
    }
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

/** OTR v2/v3 DSA keys (Protocol-v3, "Public keys, signatures, and fingerprints"; libotr makes only these): p of 1024 bits, q of 160. */
export const DSA_P_BITS = 1024;
/** Bits of q in an OTR v2/v3 DSA key. */
export const DSA_Q_BITS = 160;

/** True when p is 1024 bits and q 160 bits: cheap (bit lengths only), so it runs before any other work on a peer's key. */
export function hasOtrDsaSizes(key: DsaPublicKey): boolean {
  return bitLength(key.p) === DSA_P_BITS && bitLength(key.q) === DSA_Q_BITS;
}

/**
 * Sanity checks on a received public key, cheap enough for every AKE:
 * sizes (p 1024 bits, q 160 bits), p and q odd with q dividing p-1,
 * 1 < g < p-1 and 1 < y < p-1. Primality and subgroup membership are not
 * tested here (see {@link checkDsaKeyParts} for keys we load); a bad peer
 * key can only make its owner's signatures fail.
 */
export function isValidDsaPublicKey(key: DsaPublicKey): boolean {
  if (!hasOtrDsaSizes(key)) return false;
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
 * Checks a DSA key's numbers (big-endian, leading zeros allowed) as a key we
 * load or import must be: p of 1024 bits and prime, q of 160 bits, prime
 * and dividing p-1, 1 < g < p with g^q = 1 mod p, 1 < y < p with
 * y^q = 1 mod p, and, when x is given, 0 < x < q with g^x = y mod p.
 * Returns the first problem found, or undefined for a good key. Takes a few
 * tens of milliseconds (two primality tests), so it is for loading keys, not
 * for every AKE (see {@link isValidDsaPublicKey}).
 */
export function checkDsaKeyParts(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; y?: Uint8Array; x?: Uint8Array }): DsaKeyProblem | undefined {
  const domain = checkDsaDomain(parts);
  if (domain !== undefined) return domain;
  const p = bytesToBigint(parts.p);
  const q = bytesToBigint(parts.q);
  if (parts.y !== undefined) {
    const y = bytesToBigint(parts.y);
    if (y <= 1n || y >= p) return 'y-out-of-range';
    if (powModPublic(y, q, p) !== 1n) return 'y-not-of-order-q';
  }
  if (parts.x === undefined) return undefined;
  const x = bytesToBigint(parts.x);
  if (x <= 0n || x >= q) return 'x-out-of-range';
  if (parts.y !== undefined && dsaPow(stripLeadingZeros(parts.p), bytesToBigint(parts.g), parts.x) !== bytesToBigint(parts.y)) return 'y-not-g-to-x';
  return undefined;
}

/** The domain parameters p, q, g of {@link checkDsaKeyParts}. */
function checkDsaDomain(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array }): DsaKeyProblem | undefined {
  if (bitLength(parts.p) !== DSA_P_BITS) return 'p-size';
  if (bitLength(parts.q) !== DSA_Q_BITS) return 'q-size';
  const p = bytesToBigint(parts.p);
  const q = bytesToBigint(parts.q);
  const g = bytesToBigint(parts.g);
  if ((p - 1n) % q !== 0n) return 'q-not-dividing-p-1';
  if (!checkPrimeSync(q)) return 'q-not-prime';
  if (!checkPrimeSync(p)) return 'p-not-prime';
  if (g <= 1n || g >= p) return 'g-out-of-range';
  if (powModPublic(g, q, p) !== 1n) return 'g-not-of-order-q';
  return undefined;
}

/**
 * Builds a private key from its parts (big-endian, leading zeros allowed),
 * checked by {@link checkDsaKeyParts}; throws {@link DsaKeyError} naming the
 * problem otherwise.
 */
export function makeDsaPrivateKey(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; y: Uint8Array; x: Uint8Array }): DsaPrivateKey {
  const publicKey: DsaPublicKey = {
    p: Uint8Array.from(stripLeadingZeros(parts.p)),
    q: Uint8Array.from(stripLeadingZeros(parts.q)),
    g: Uint8Array.from(stripLeadingZeros(parts.g)),
    y: Uint8Array.from(stripLeadingZeros(parts.y)),
  };
  const problem = checkDsaKeyParts({ ...publicKey, x: parts.x });
  if (problem !== undefined) throw new DsaKeyError(problem);
  checkedPublicKeys.add(publicKey);
  return new DsaPrivateKey(publicKey, new Secret(Uint8Array.from(stripLeadingZeros(parts.x))));
}

/**
 * Builds a private key from p, q, g and x alone (PKCS#8 files carry no y):
 * the domain is checked, y = g^x mod p computed, then the whole key is
 * checked as by {@link makeDsaPrivateKey}; throws {@link DsaKeyError}.
 */
export function makeDsaPrivateKeyFromPrivateParts(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; x: Uint8Array }): DsaPrivateKey {
  const problem = checkDsaDomain(parts);
  if (problem !== undefined) throw new DsaKeyError(problem);
  const x = bytesToBigint(parts.x);
  if (x <= 0n || x >= bytesToBigint(parts.q)) throw new DsaKeyError('x-out-of-range');
  const y = dsaPow(stripLeadingZeros(parts.p), bytesToBigint(parts.g), parts.x);
  return makeDsaPrivateKey({ ...parts, y: bigintToBytes(y) });
}

/** {@link makeDsaPrivateKey}, or undefined when the parts are inconsistent. */
export function dsaPrivateKeyFromParts(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; y: Uint8Array; x: Uint8Array }): DsaPrivateKey | undefined {
  return orUndefined(() => makeDsaPrivateKey(parts));
}

/** {@link makeDsaPrivateKeyFromPrivateParts}, or undefined when the parts are inconsistent. */
export function dsaPrivateKeyFromPrivateParts(parts: { p: Uint8Array; q: Uint8Array; g: Uint8Array; x: Uint8Array }): DsaPrivateKey | undefined {
  return orUndefined(() => makeDsaPrivateKeyFromPrivateParts(parts));
}

function orUndefined(make: () => DsaPrivateKey): DsaPrivateKey | undefined {
  try {
    return make();
  } catch (error) {
    if (error instanceof DsaKeyError) return undefined;
    throw error;
  }
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
    const p = bytesToBigint(key.p);
    const w = modInverse(s, q);
    const u1 = mod(bytesToBigint(value) * w, q);
    const u2 = mod(r * w, q);
    const v = mod(powModPublic(bytesToBigint(key.g), u1, p) * powModPublic(bytesToBigint(key.y), u2, p), p);
    return mod(v, q) === r;
  } catch {
    // q not prime (s not invertible): a bad key.
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
