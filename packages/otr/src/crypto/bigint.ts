/**
 * Conversions between big-endian bytes and bigint. Bigints live only inside
 * crypto/; everything outside holds byte strings (MPI bodies).
 */

/** Big-endian unsigned bytes to bigint (empty = 0). */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'));
}

/**
 * bigint to minimal big-endian bytes (no leading zeros; 0 gives an empty
 * array), as OTR's MPI encoding wants. With `width`, left-pads to that size.
 */
export function bigintToBytes(value: bigint, width?: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  let hex = value === 0n ? '' : value.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  if (width !== undefined) {
    if (hex.length > width * 2) throw new RangeError('value wider than requested width');
    hex = hex.padStart(width * 2, '0');
  }
  // Decoded straight into our own array: Buffer.from(hex) would put a copy
  // of a possibly secret value in Node's shared pool, out of reach of wiping.
  const out = new Uint8Array(hex.length / 2);
  Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(hex, 'hex');
  return out;
}

/**
 * Strips leading zero bytes (the canonical MPI body): a plain Uint8Array view
 * of the same memory, even when `bytes` is a Node Buffer.
 */
export function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start);
}

/**
 * MPI encoding (Protocol-v3, "Data Types"): a 4-byte big-endian length, then
 * the magnitude without leading zeros. Crypto's one MPI encoder (hash inputs:
 * fingerprints, SMP hashes, secbytes); wire/writer.ts writes MPIs on the
 * wire. A fresh array: a caller hashing a secret wipes it afterwards.
 */
export function encodeMpi(magnitude: Uint8Array): Uint8Array {
  const body = stripLeadingZeros(magnitude);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** x mod m, always non-negative. */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/** Modular inverse by the extended Euclidean algorithm; m prime here. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return mod(oldS, m);
}

/**
 * base^exponent mod m by square-and-multiply in bigint, for PUBLIC values
 * only (its time depends on the exponent): DSA verification's u1 and u2.
 * It needs no preparation of m, so a modulus seen once costs nothing more
 * than the multiplications (OpenSSL's DH objects test the modulus for
 * primality when made).
 */
export function powModPublic(base: bigint, exponent: bigint, m: bigint): bigint {
  if (m <= 1n || exponent < 0n) throw new RangeError('bad modulus or exponent');
  let result = 1n;
  let square = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = (result * square) % m;
    square = (square * square) % m;
  }
  return result;
}
