/**
 * Identity message (otrv4.md, "Identity Message"), type 0x35, the body
 * after the v4 header (header.ts):
 *
 * | Sender's Client Profile | CLIENT-PROF | client-profile.ts                   |
 * | Y                       | POINT       | ephemeral ECDH public key           |
 * | B                       | MPI         | ephemeral DH public key (3072-bit)  |
 * | our_ecdh_first.public   | POINT       | first ECDH key of the ratchet       |
 * | our_dh_first.public     | MPI         | first DH key of the ratchet         |
 *
 * The spec's table gives no type for the last two; otr4j reads a POINT and
 * an MPI (EncodedMessageParser, MESSAGE_IDENTITY), as their names imply.
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readClientProfile, writeClientProfile, type ClientProfile, type DecodedClientProfile } from './client-profile.js';
import { DH3072_MPI_BYTES, readMpiV4, readPoint, writeMpiV4, writePoint } from './data-types.js';

/** An Identity message body. */
export interface IdentityMessage {
  readonly profile: ClientProfile;
  /** Y. */
  readonly ecdh: Uint8Array;
  /** B, minimal big-endian magnitude. */
  readonly dh: Uint8Array;
  /** our_ecdh_first.public. */
  readonly firstEcdh: Uint8Array;
  /** our_dh_first.public. */
  readonly firstDh: Uint8Array;
}

/** A decoded Identity message body (the profile keeps its received bytes). */
export interface DecodedIdentityMessage extends IdentityMessage {
  readonly profile: DecodedClientProfile;
}

/** Reads an Identity message body; `source` is the array `reader` reads. */
export function readIdentityMessage(reader: Reader, source: Uint8Array): DecodedIdentityMessage {
  const profile = readClientProfile(reader, source);
  const ecdh = readPoint(reader, 'Y');
  const dh = readMpiV4(reader, DH3072_MPI_BYTES, 'B');
  const firstEcdh = readPoint(reader, 'our_ecdh_first');
  const firstDh = readMpiV4(reader, DH3072_MPI_BYTES, 'our_dh_first');
  reader.end('Identity message');
  return { profile, ecdh, dh, firstEcdh, firstDh };
}

/** Decodes an Identity message body. */
export function decodeIdentityMessage(body: Uint8Array): DecodedIdentityMessage | DecodeError {
  return decodeWith(() => readIdentityMessage(new Reader(body), body));
}

/** Writes an Identity message body. */
export function writeIdentityMessage(writer: Writer, message: IdentityMessage): Writer {
  writeClientProfile(writer, message.profile);
  writePoint(writer, message.ecdh);
  writeMpiV4(writer, message.dh);
  writePoint(writer, message.firstEcdh);
  return writeMpiV4(writer, message.firstDh);
}

/** Encodes an Identity message body. */
export function encodeIdentityMessage(message: IdentityMessage): Uint8Array {
  return writeIdentityMessage(new Writer(), message).finish();
}
