/** Strict base64 (RFC 4648 section 4, with padding) for the `?OTR:` armour. */
import { DecodeError } from '../errors.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes bytes as padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** Decodes padded base64, rejecting any other character, bad padding or an empty input. */
export function decodeBase64(text: string): Uint8Array | DecodeError {
  if (text.length === 0 || !BASE64.test(text)) return new DecodeError('bad-base64', 'not valid base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}
