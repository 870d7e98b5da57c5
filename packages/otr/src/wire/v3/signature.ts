/**
 * Signature message body (Protocol-v3, "Signature Message"):
 *
 * | Encrypted signature | DATA | AES128-CTR_c'(X_A)              |
 * | MAC'd signature     | MAC  | SHA256-HMAC-160_m2'(DATA above) |
 */
import type { DecodeError } from '../../errors.js';
import { MAX_SIGNED_KEY_BYTES } from './signed-key.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The Signature body. */
export interface Signature {
  readonly encryptedSignature: Uint8Array;
  readonly mac: Uint8Array;
}

/** Decodes a Signature body. */
export function decodeSignature(body: Uint8Array): Signature | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(body);
    const encryptedSignature = reader.data(MAX_SIGNED_KEY_BYTES, 'encrypted signature');
    const mac = reader.fixed(20, 'MAC');
    reader.end('Signature');
    return { encryptedSignature, mac };
  });
}

/** Encodes a Signature body. */
export function encodeSignature(message: Signature): Uint8Array {
  return new Writer().data(message.encryptedSignature).bytes(message.mac).finish();
}
