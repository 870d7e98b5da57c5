/**
 * Auth-R message (otrv4.md, "Auth-R Message"), type 0x36, the body after
 * the v4 header (header.ts):
 *
 * | Sender's Client Profile | CLIENT-PROF | client-profile.ts                   |
 * | X                       | POINT       | ephemeral ECDH public key           |
 * | A                       | MPI         | ephemeral DH public key (3072-bit)  |
 * | sigma                   | RING-SIG    | c1 r1 c2 r2 c3 r3                   |
 * | our_ecdh_first.public   | POINT       | first ECDH key of the ratchet       |
 * | our_dh_first.public     | MPI         | first DH key of the ratchet         |
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readClientProfile, writeClientProfile, type ClientProfile, type DecodedClientProfile } from './client-profile.js';
import { DH3072_MPI_BYTES, readMpiV4, readPoint, readRingSignature, writeMpiV4, writePoint, writeRingSignature, type RingSignature } from './data-types.js';

/** An Auth-R message body. */
export interface AuthRMessage {
  readonly profile: ClientProfile;
  /** X. */
  readonly ecdh: Uint8Array;
  /** A, minimal big-endian magnitude. */
  readonly dh: Uint8Array;
  readonly sigma: RingSignature;
  /** our_ecdh_first.public. */
  readonly firstEcdh: Uint8Array;
  /** our_dh_first.public. */
  readonly firstDh: Uint8Array;
}

/** A decoded Auth-R body (the profile keeps its received bytes). */
export interface DecodedAuthRMessage extends AuthRMessage {
  readonly profile: DecodedClientProfile;
}

/** Reads an Auth-R body; `source` is the array `reader` reads. */
export function readAuthRMessage(reader: Reader, source: Uint8Array): DecodedAuthRMessage {
  const profile = readClientProfile(reader, source);
  const ecdh = readPoint(reader, 'X');
  const dh = readMpiV4(reader, DH3072_MPI_BYTES, 'A');
  const sigma = readRingSignature(reader);
  const firstEcdh = readPoint(reader, 'our_ecdh_first');
  const firstDh = readMpiV4(reader, DH3072_MPI_BYTES, 'our_dh_first');
  reader.end('Auth-R message');
  return { profile, ecdh, dh, sigma, firstEcdh, firstDh };
}

/** Decodes an Auth-R body. */
export function decodeAuthRMessage(body: Uint8Array): DecodedAuthRMessage | DecodeError {
  return decodeWith(() => readAuthRMessage(new Reader(body), body));
}

/** Writes an Auth-R body. */
export function writeAuthRMessage(writer: Writer, message: AuthRMessage): Writer {
  writeClientProfile(writer, message.profile);
  writePoint(writer, message.ecdh);
  writeMpiV4(writer, message.dh);
  writeRingSignature(writer, message.sigma);
  writePoint(writer, message.firstEcdh);
  return writeMpiV4(writer, message.firstDh);
}

/** Encodes an Auth-R body. */
export function encodeAuthRMessage(message: AuthRMessage): Uint8Array {
  return writeAuthRMessage(new Writer(), message).finish();
}
