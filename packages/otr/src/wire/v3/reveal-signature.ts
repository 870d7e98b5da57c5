/**
 * Reveal Signature message (Protocol-v3, "Reveal Signature Message"), type
 * 0x11, the body after the header (header.ts):
 *
 * | Revealed key        | DATA | r, exactly 16 bytes                         |
 * | Encrypted signature | DATA | AES128-CTR_c(X_B) (signature-payload.ts)     |
 * | MAC'd signature     | MAC  | SHA256-HMAC-160_m2(encrypted signature DATA) |
 */
import type { DecodeError } from '../../errors.js';
import { MAX_SIGNATURE_PAYLOAD_BYTES } from '../signature-payload.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The Reveal Signature body. */
export interface RevealSignature {
  /** r, the AES key that opens the D-H Commit's encrypted g^x. */
  readonly revealedKey: Uint8Array;
  /** AES128-CTR_c(X_B). */
  readonly encryptedSignature: Uint8Array;
  /** The first 20 bytes of SHA256-HMAC_m2 over the encrypted signature DATA field. */
  readonly mac: Uint8Array;
}

/** Length of r. */
const REVEALED_KEY_BYTES = 16;
/** Length of a MAC field. */
export const MAC_BYTES = 20;

/** Reads a Reveal Signature body (the reader is positioned after the header). */
export function readRevealSignature(reader: Reader): RevealSignature {
  const revealedKey = reader.data(REVEALED_KEY_BYTES, 'revealed key');
  if (revealedKey.length !== REVEALED_KEY_BYTES) fail('bad-field', 'revealed key is not 16 bytes');
  const encryptedSignature = reader.data(MAX_SIGNATURE_PAYLOAD_BYTES, 'encrypted signature');
  const mac = reader.fixed(MAC_BYTES, 'MAC');
  reader.end('Reveal Signature');
  return { revealedKey, encryptedSignature, mac };
}

/** Decodes a Reveal Signature body. */
export function decodeRevealSignature(body: Uint8Array): RevealSignature | DecodeError {
  return decodeWith(() => readRevealSignature(new Reader(body)));
}

/** Encodes a Reveal Signature body. */
export function encodeRevealSignature(message: RevealSignature): Uint8Array {
  return new Writer().data(message.revealedKey).data(message.encryptedSignature).bytes(message.mac).finish();
}

/** The bytes the MAC of a Reveal Signature or Signature message covers: the encrypted signature as DATA. */
export function encodeEncryptedSignatureField(encryptedSignature: Uint8Array): Uint8Array {
  return new Writer().data(encryptedSignature).finish();
}
