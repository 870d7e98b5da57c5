/**
 * The binary form of encoded messages (Protocol-v3, "Encoded messages" and
 * the five message sections): a header (header.ts) and one body
 * (v3/dh-commit.ts, v3/dh-key.ts, v3/reveal-signature.ts, v3/signature.ts,
 * v3/data.ts). One codec serves versions 2 and 3: they differ only in the
 * header, whose instance tags version 2 lacks.
 *
 * For data messages the decoder also returns `macInput`, the bytes the
 * authenticator covers (protocol version through encrypted message), sliced
 * from the received bytes rather than re-encoded, so the MAC is checked over
 * exactly what the peer sent.
 */
import { DecodeError } from '../errors.js';
import { MESSAGE_TYPE, readHeader, writeHeader, type Route } from './header.js';
import { decodeWith, fail, Reader } from './reader.js';
import { encodeDataMessage, readDataMessage, type DataMessageBody } from './v3/data.js';
import { encodeDhCommit, readDhCommit, type DhCommit } from './v3/dh-commit.js';
import { encodeDhKey, readDhKey, type DhKey } from './v3/dh-key.js';
import { encodeRevealSignature, readRevealSignature, type RevealSignature } from './v3/reveal-signature.js';
import { encodeSignature, readSignature, type Signature } from './v3/signature.js';
import { Writer } from './writer.js';

/** A binary OTR message of version 2 or 3, by kind. */
export type BinaryMessage =
  | { readonly kind: 'dh-commit'; readonly route: Route; readonly body: DhCommit }
  | { readonly kind: 'dh-key'; readonly route: Route; readonly body: DhKey }
  | { readonly kind: 'reveal-signature'; readonly route: Route; readonly body: RevealSignature }
  | { readonly kind: 'signature'; readonly route: Route; readonly body: Signature }
  | { readonly kind: 'data'; readonly route: Route; readonly body: DataMessageBody };

/** A decoded binary message; data messages carry the bytes their MAC covers. */
export type DecodedBinaryMessage =
  | Exclude<BinaryMessage, { readonly kind: 'data' }>
  | { readonly kind: 'data'; readonly route: Route; readonly body: DataMessageBody; readonly macInput: Uint8Array };

/** Kind names of the message type bytes. */
export const MESSAGE_KIND_OF_TYPE: ReadonlyMap<number, BinaryMessage['kind']> = new Map([
  [MESSAGE_TYPE.DH_COMMIT, 'dh-commit'],
  [MESSAGE_TYPE.DH_KEY, 'dh-key'],
  [MESSAGE_TYPE.REVEAL_SIGNATURE, 'reveal-signature'],
  [MESSAGE_TYPE.SIGNATURE, 'signature'],
  [MESSAGE_TYPE.DATA, 'data'],
]);

/** Decodes a whole binary message (what `?OTR:...` carries). */
export function decodeBinaryMessage(bytes: Uint8Array): DecodedBinaryMessage | DecodeError {
  return decodeWith((): DecodedBinaryMessage => {
    const reader = new Reader(bytes);
    const { type, ...route } = readHeader(reader);
    switch (type) {
      case MESSAGE_TYPE.DH_COMMIT:
        return { kind: 'dh-commit', route, body: readDhCommit(reader) };
      case MESSAGE_TYPE.DH_KEY:
        return { kind: 'dh-key', route, body: readDhKey(reader) };
      case MESSAGE_TYPE.REVEAL_SIGNATURE:
        return { kind: 'reveal-signature', route, body: readRevealSignature(reader) };
      case MESSAGE_TYPE.SIGNATURE:
        return { kind: 'signature', route, body: readSignature(reader) };
      case MESSAGE_TYPE.DATA: {
        const { macEnd, ...body } = readDataMessage(reader);
        return { kind: 'data', route, body, macInput: bytes.subarray(0, macEnd) };
      }
      default:
        return fail('bad-type', `unknown message type 0x${type.toString(16)}`);
    }
  });
}

/** Encodes a whole binary message; for version 2 the route's tags are not written. */
export function encodeBinaryMessage(message: BinaryMessage): Uint8Array {
  const writer = new Writer();
  switch (message.kind) {
    case 'dh-commit':
      return writeHeader(writer, message.route, MESSAGE_TYPE.DH_COMMIT).bytes(encodeDhCommit(message.body)).finish();
    case 'dh-key':
      return writeHeader(writer, message.route, MESSAGE_TYPE.DH_KEY).bytes(encodeDhKey(message.body)).finish();
    case 'reveal-signature':
      return writeHeader(writer, message.route, MESSAGE_TYPE.REVEAL_SIGNATURE).bytes(encodeRevealSignature(message.body)).finish();
    case 'signature':
      return writeHeader(writer, message.route, MESSAGE_TYPE.SIGNATURE).bytes(encodeSignature(message.body)).finish();
    case 'data':
      return writeHeader(writer, message.route, MESSAGE_TYPE.DATA).bytes(encodeDataMessage(message.body)).finish();
  }
}

/** The bytes a received data message's authenticator covers, or a DecodeError if `bytes` is not a data message. */
export function dataMessageMacInput(bytes: Uint8Array): Uint8Array | DecodeError {
  const decoded = decodeBinaryMessage(bytes);
  if (decoded instanceof DecodeError) return decoded;
  if (decoded.kind !== 'data') return new DecodeError('bad-type', 'not a data message');
  return decoded.macInput;
}
