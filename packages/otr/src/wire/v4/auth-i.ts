/**
 * Auth-I message (otrv4.md, "Auth-I Message"), type 0x37, the body after
 * the v4 header (header.ts):
 *
 * | sigma | RING-SIG | c1 r1 c2 r2 c3 r3 |
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readRingSignature, writeRingSignature, type RingSignature } from './data-types.js';

/** An Auth-I message body. */
export interface AuthIMessage {
  readonly sigma: RingSignature;
}

/** Reads an Auth-I body. */
export function readAuthIMessage(reader: Reader): AuthIMessage {
  const sigma = readRingSignature(reader);
  reader.end('Auth-I message');
  return { sigma };
}

/** Decodes an Auth-I body. */
export function decodeAuthIMessage(body: Uint8Array): AuthIMessage | DecodeError {
  return decodeWith(() => readAuthIMessage(new Reader(body)));
}

/** Writes an Auth-I body. */
export function writeAuthIMessage(writer: Writer, message: AuthIMessage): Writer {
  return writeRingSignature(writer, message.sigma);
}

/** Encodes an Auth-I body. */
export function encodeAuthIMessage(message: AuthIMessage): Uint8Array {
  return writeAuthIMessage(new Writer(), message).finish();
}
