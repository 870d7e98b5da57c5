/**
 * Reveal Signature message body (Protocol-v3, "Reveal Signature Message"):
 *
 * | Revealed key        | DATA | r, 16 bytes                    |
 * | Encrypted signature | DATA | AES128-CTR_c(X_B)              |
 * | MAC'd signature     | MAC  | SHA256-HMAC-160_m2(DATA above) |
 */
import type { DecodeError } from '../../errors.js';
import { MAX_SIGNED_KEY_BYTES } from './signed-key.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The Reveal Signature body. */
export interface RevealSignature {
  readonly revealedKey: Uint8Array;
  readonly encryptedSignature: Uint8Array;
  readonly mac: Uint8Array;
}

/** Decodes a Reveal Signature body. */
export function decodeRevealSignature(body: Uint8Array): RevealSignature | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(body);
    const revealedKey = reader.data(16, 'revealed key');
    const encryptedSignature = reader.data(MAX_SIGNED_KEY_BYTES, 'encrypted signature');
    const mac = reader.fixed(20, 'MAC');
    reader.end('Reveal Signature');
    return { revealedKey, encryptedSignature, mac };
  });
}

/** Encodes a Reveal Signature body. */
export function encodeRevealSignature(message: RevealSignature): Uint8Array {
  return new Writer().data(message.revealedKey).data(message.encryptedSignature).bytes(message.mac).finish();
}
