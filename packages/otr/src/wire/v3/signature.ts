/**
 * Signature message (Protocol-v3, "Signature Message"), type 0x12, the body
 * after the header (header.ts):
 *
 * | Encrypted signature | DATA | AES128-CTR_c'(X_A) (signature-payload.ts)     |
 * | MAC'd signature     | MAC  | SHA256-HMAC-160_m2'(encrypted signature DATA) |
 */
import type { DecodeError } from '../../errors.js';
import { MAX_SIGNATURE_PAYLOAD_BYTES } from '../signature-payload.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { MAC_BYTES } from './reveal-signature.js';

/** The Signature body. */
export interface Signature {
  /** AES128-CTR_c'(X_A). */
  readonly encryptedSignature: Uint8Array;
  /** The first 20 bytes of SHA256-HMAC_m2' over the encrypted signature DATA field. */
  readonly mac: Uint8Array;
}

/** Reads a Signature body (the reader is positioned after the header). */
export function readSignature(reader: Reader): Signature {
  const encryptedSignature = reader.data(MAX_SIGNATURE_PAYLOAD_BYTES, 'encrypted signature');
  const mac = reader.fixed(MAC_BYTES, 'MAC');
  reader.end('Signature');
  return { encryptedSignature, mac };
}

/** Decodes a Signature body. */
export function decodeSignature(body: Uint8Array): Signature | DecodeError {
  return decodeWith(() => readSignature(new Reader(body)));
}

/** Encodes a Signature body. */
export function encodeSignature(message: Signature): Uint8Array {
  return new Writer().data(message.encryptedSignature).bytes(message.mac).finish();
}
