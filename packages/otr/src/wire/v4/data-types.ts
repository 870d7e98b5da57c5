/**
 * OTRv4 data types (otrv4.md, "Data Types", "Serializing the Ring Signature
 * Proof of Authentication", "Public keys, Shared Prekeys, Forging keys and
 * Fingerprints"), on top of the v3 BYTE, SHORT, INT and DATA of reader.ts
 * and writer.ts:
 *
 * | POINT                | 57 bytes, little-endian Ed448 encoding (opaque here)  |
 * | SCALAR               | 57 bytes, little-endian (not reduced mod q here)      |
 * | MPI (v4)             | INT length, minimal big-endian value (no leading 0)   |
 * | LONG                 | 8 bytes, signed, big-endian (the profile expiration)  |
 * | NONCE                | 12 bytes                                              |
 * | MAC                  | 64 bytes                                              |
 * | EDDSA-SIG            | 114 bytes                                             |
 * | CLIENT-SIG (DSA)     | 40 bytes: r and s, 20 bytes each, big-endian          |
 * | RING-SIG             | c1 r1 c2 r2 c3 r3, six SCALARs                        |
 * | ED448-PUBKEY         | SHORT type 0x0010, LITTLE-endian, then POINT H        |
 * | ED448-FORGING-KEY    | SHORT type 0x0012, LITTLE-endian, then POINT F        |
 * | ED448-SHARED-PREKEY  | SHORT type 0x0011, LITTLE-endian, then POINT D        |
 *
 * The spec says SCALAR is 57 bytes (and otr4j's Scalar.SCALAR_LENGTH_BYTES
 * agrees); 56 bytes would be enough for values below q, but the wire
 * carries 57.
 *
 * The three pubkey type fields are little-endian, as the spec says and
 * otr4j writes (OtrOutputStream.writeShortLE); libotr-ng writes them
 * big-endian and is not followed. Nothing here checks curve membership,
 * scalar range or DH group membership: crypto/ does.
 */
import { fail, type Reader } from '../reader.js';
import type { Writer } from '../writer.js';

/** Bytes of an encoded Ed448 point (POINT). */
export const POINT_BYTES = 57;
/** Bytes of an encoded scalar (SCALAR). */
export const SCALAR_BYTES = 57;
/** Bytes of a NONCE. */
export const NONCE_BYTES = 12;
/** Bytes of a v4 MAC (the data message authenticator, a revealed MAC key). */
export const V4_MAC_BYTES = 64;
/** Bytes of an Ed448 signature (EDDSA-SIG, CLIENT-EDDSA-SIG). */
export const EDDSA_SIGNATURE_BYTES = 114;
/** Bytes of an OTRv3 DSA signature r || s with a 160-bit q (CLIENT-SIG). */
export const DSA_SIGNATURE_BYTES = 40;
/** Bytes of a RING-SIG: six scalars. */
export const RING_SIGNATURE_BYTES = 6 * SCALAR_BYTES;
/** Largest MPI of the 3072-bit DH group: 384 bytes. */
export const DH3072_MPI_BYTES = 384;

/** Pubkey type of ED448-PUBKEY. */
export const PUBKEY_TYPE_ED448 = 0x0010;
/** Pubkey type of ED448-SHARED-PREKEY. */
export const PUBKEY_TYPE_ED448_SHARED_PREKEY = 0x0011;
/** Pubkey type of ED448-FORGING-KEY. */
export const PUBKEY_TYPE_ED448_FORGING = 0x0012;

/** The three Ed448 pubkey type values. */
export type Ed448KeyType = typeof PUBKEY_TYPE_ED448 | typeof PUBKEY_TYPE_ED448_SHARED_PREKEY | typeof PUBKEY_TYPE_ED448_FORGING;

/** RING-SIG: the six scalars of the ring signature's proof, each 57 bytes (opaque). */
export interface RingSignature {
  readonly c1: Uint8Array;
  readonly r1: Uint8Array;
  readonly c2: Uint8Array;
  readonly r2: Uint8Array;
  readonly c3: Uint8Array;
  readonly r3: Uint8Array;
}

/** Reads a POINT (57 opaque bytes). */
export function readPoint(reader: Reader, what = 'point'): Uint8Array {
  return reader.fixed(POINT_BYTES, what);
}

/** Reads a SCALAR (57 opaque bytes). */
export function readScalar(reader: Reader, what = 'scalar'): Uint8Array {
  return reader.fixed(SCALAR_BYTES, what);
}

/**
 * Reads a v4 MPI of at most `max` bytes. The spec requires the minimum-length
 * encoding, so a leading zero byte is `bad-field` (unlike v3's reader, which
 * strips it). Zero is the empty MPI.
 */
export function readMpiV4(reader: Reader, max: number, what = 'mpi'): Uint8Array {
  const value = reader.data(max, what);
  if (value.length > 0 && value[0] === 0) fail('bad-field', `${what}: MPI with a leading zero byte`);
  return value;
}

/** Writes a v4 MPI: its minimal encoding (leading zero bytes of `magnitude` are dropped). */
export function writeMpiV4(writer: Writer, magnitude: Uint8Array): Writer {
  return writer.mpi(magnitude);
}

/** Reads a SHORT written little-endian (the pubkey type fields). */
export function readShortLE(reader: Reader, what = 'short'): number {
  const b = reader.fixed(2, what);
  return (b[0] ?? 0) | ((b[1] ?? 0) << 8);
}

/** Writes a SHORT little-endian. */
export function writeShortLE(writer: Writer, value: number): Writer {
  return writer.bytes(Uint8Array.of(value & 0xff, (value >>> 8) & 0xff));
}

/** Smallest and largest LONG. */
const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/** Reads a LONG: 8 bytes, signed, big-endian. */
export function readLong(reader: Reader, what = 'long'): bigint {
  const b = reader.fixed(8, what);
  return new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, false);
}

/** Writes a LONG; a value outside the signed 64-bit range is a RangeError (a local mistake, not hostile input). */
export function writeLong(writer: Writer, value: bigint): Writer {
  if (value < MIN_LONG || value > MAX_LONG) throw new RangeError('LONG out of the signed 64-bit range');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, value, false);
  return writer.bytes(out);
}

/**
 * Reads an ED448-PUBKEY, ED448-FORGING-KEY or ED448-SHARED-PREKEY whose
 * type must be `type`; another type is `bad-type`. Returns the POINT.
 */
export function readEd448Key(reader: Reader, type: Ed448KeyType, what: string): Uint8Array {
  const found = readShortLE(reader, `${what} type`);
  if (found !== type) fail('bad-type', `${what}: pubkey type 0x${found.toString(16).padStart(4, '0')}`);
  return readPoint(reader, what);
}

/** Writes an Ed448 key of the given type: the little-endian type, then the POINT. */
export function writeEd448Key(writer: Writer, type: Ed448KeyType, point: Uint8Array): Writer {
  checkLength(point, POINT_BYTES, 'an Ed448 point');
  return writeShortLE(writer, type).bytes(point);
}

/** Reads a RING-SIG. */
export function readRingSignature(reader: Reader): RingSignature {
  const c1 = readScalar(reader, 'sigma c1');
  const r1 = readScalar(reader, 'sigma r1');
  const c2 = readScalar(reader, 'sigma c2');
  const r2 = readScalar(reader, 'sigma r2');
  const c3 = readScalar(reader, 'sigma c3');
  const r3 = readScalar(reader, 'sigma r3');
  return { c1, r1, c2, r2, c3, r3 };
}

/** Writes a RING-SIG. */
export function writeRingSignature(writer: Writer, sigma: RingSignature): Writer {
  for (const scalar of [sigma.c1, sigma.r1, sigma.c2, sigma.r2, sigma.c3, sigma.r3]) writeScalar(writer, scalar);
  return writer;
}

/** Writes a POINT (exactly 57 bytes). */
export function writePoint(writer: Writer, point: Uint8Array): Writer {
  checkLength(point, POINT_BYTES, 'a POINT');
  return writer.bytes(point);
}

/** Writes a SCALAR (exactly 57 bytes). */
export function writeScalar(writer: Writer, scalar: Uint8Array): Writer {
  checkLength(scalar, SCALAR_BYTES, 'a SCALAR');
  return writer.bytes(scalar);
}

/** Encoders refuse fixed-size fields of the wrong size: a local mistake, never hostile input. */
export function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) throw new RangeError(`${what} must be ${length} bytes, not ${bytes.length}`);
}
