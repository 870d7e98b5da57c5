/**
 * Scalars mod q, the prime order of Ed448-Goldilocks' base point (OTRv4,
 * "Elliptic Curve Parameters", "Scalar" encoding, "Considerations while
 * working with elliptic curve parameters"). A scalar is held as its SCALAR
 * encoding: 57 bytes, little-endian, canonical (< q); secret ones in a
 * `Secret`. Arithmetic converts to bigint for the one operation and back, so
 * no secret outlives the call as a bigint we hold (JavaScript cannot wipe
 * the bigint temporaries themselves: see SECURITY.md).
 */
import { CryptoRejection } from './rejection.js';

/** Bytes of a SCALAR (and of a POINT). */
export const SCALAR_BYTES = 57;

/** q = 2^446 - 13818066809895115352007386748515426880336692474882178609894547503885, as the spec gives it. */
export const ORDER = (1n << 446n) - 13818066809895115352007386748515426880336692474882178609894547503885n;

/** Little-endian bytes to bigint. */
export function leToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

/** A non-negative bigint below 2^(8 * width) as `width` little-endian bytes. */
export function bigintToLe(value: bigint, width: number = SCALAR_BYTES): Uint8Array {
  if (value < 0n || value >> BigInt(8 * width) !== 0n) throw new RangeError('value does not fit');
  const out = new Uint8Array(width);
  let rest = value;
  for (let i = 0; i < width; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** q as a SCALAR-sized encoding (57 bytes little-endian, not reduced): the `q` of the ring signature's hash. */
export const ORDER_BYTES: Uint8Array = bigintToLe(ORDER);

/** The scalar's value, reduced mod q (bigint, briefly, inside crypto/). */
export function scalarValue(scalar: Uint8Array): bigint {
  return leToBigint(scalar) % ORDER;
}

/** A value mod q as a SCALAR encoding. */
export function scalarFromValue(value: bigint): Uint8Array {
  const reduced = value % ORDER;
  return bigintToLe(reduced < 0n ? reduced + ORDER : reduced);
}

/**
 * A received SCALAR: exactly 57 bytes encoding a value < q. The spec's
 * decoding reduces mod q; we refuse values >= q instead (a peer that encodes
 * canonically, as otr4j and RFC 8032 do, never sends one), so no scalar has
 * two encodings. Returns a copy.
 */
export function decodeScalar(bytes: Uint8Array): Uint8Array | CryptoRejection {
  if (bytes.length !== SCALAR_BYTES) return new CryptoRejection('bad-length');
  if (leToBigint(bytes) >= ORDER) return new CryptoRejection('scalar-out-of-range');
  return Uint8Array.from(bytes);
}

/** Any little-endian byte string mod q (the spec's "interpret ... and doing mod q"), as a SCALAR. */
export function reduceScalar(bytes: Uint8Array): Uint8Array {
  return scalarFromValue(leToBigint(bytes));
}

/** (a + b) mod q. */
export function scalarAdd(a: Uint8Array, b: Uint8Array): Uint8Array {
  return scalarFromValue(scalarValue(a) + scalarValue(b));
}

/** (a - b) mod q. */
export function scalarSub(a: Uint8Array, b: Uint8Array): Uint8Array {
  return scalarFromValue(scalarValue(a) - scalarValue(b) + ORDER);
}

/** (a * b) mod q. */
export function scalarMul(a: Uint8Array, b: Uint8Array): Uint8Array {
  return scalarFromValue(scalarValue(a) * scalarValue(b));
}

/** -a mod q. */
export function scalarNegate(a: Uint8Array): Uint8Array {
  return scalarFromValue(ORDER - scalarValue(a));
}

/**
 * The pruning of "Considerations while working with elliptic curve
 * parameters" (RFC 8032's for Ed448), in place on a 57-byte buffer: clear
 * the two low bits of the first byte, all bits of the last byte, and set the
 * highest bit of the second to last.
 */
export function pruneInPlace(buffer: Uint8Array): void {
  if (buffer.length !== SCALAR_BYTES) throw new RangeError('pruning needs 57 bytes');
  buffer[0] = (buffer[0] ?? 0) & 0xfc;
  buffer[SCALAR_BYTES - 1] = 0;
  buffer[SCALAR_BYTES - 2] = (buffer[SCALAR_BYTES - 2] ?? 0) | 0x80;
}
