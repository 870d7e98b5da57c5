/**
 * The session layer's view of wire/: decoding a received binary OTR message
 * into an AKE or data message with its header, and encoding our AKE and data
 * messages with our instance tags, armoured as `?OTR:...` text.
 */
import type { AkeMessage } from '../v3/index.js';
import { DecodeError } from '../errors.js';
import {
  MESSAGE_TYPE,
  decodeDataMessage,
  decodeDhCommit,
  decodeDhKey,
  decodeHeader,
  decodeRevealSignature,
  decodeSignature,
  encodeAuthenticatedDataMessage,
  encodeDhCommit,
  encodeDhKey,
  encodeEncoded,
  encodeHeader,
  encodeRevealSignature,
  encodeSignature,
  isDecodeError,
  decodeDataPayload,
  encodeTextPayload,
  type DataFields,
  type Tlv,
} from '../wire/index.js';
import { concatBytes } from '../bytes.js';

/** A received data message, with the bytes its MAC covers. */
export interface ReceivedData extends DataFields {
  readonly version: 2 | 3;
  readonly mac: Uint8Array;
  readonly oldMacKeys: Uint8Array;
  readonly macInput: Uint8Array;
}

/** A decoded OTR message and its routing header. */
export type DecodedOtrMessage = { readonly version: 2 | 3; readonly senderTag: number; readonly receiverTag: number } & (
  | { readonly type: 'ake'; readonly ake: AkeMessage }
  | { readonly type: 'data'; readonly data: ReceivedData }
);

/** Decodes the binary form of a received `?OTR:` message. */
export function decodeOtrMessage(bytes: Uint8Array): DecodedOtrMessage | DecodeError {
  const header = decodeHeader(bytes);
  if (isDecodeError(header)) return header;
  const { version, type, senderTag, receiverTag, bodyOffset } = header;
  const body = bytes.subarray(bodyOffset);
  switch (type) {
    case MESSAGE_TYPE.DH_COMMIT: {
      const decoded = decodeDhCommit(body);
      return isDecodeError(decoded) ? decoded : { version, senderTag, receiverTag, type: 'ake', ake: { type: 'dh-commit', version, body: decoded } };
    }
    case MESSAGE_TYPE.DH_KEY: {
      const decoded = decodeDhKey(body);
      return isDecodeError(decoded) ? decoded : { version, senderTag, receiverTag, type: 'ake', ake: { type: 'dh-key', version, body: decoded } };
    }
    case MESSAGE_TYPE.REVEAL_SIGNATURE: {
      const decoded = decodeRevealSignature(body);
      return isDecodeError(decoded) ? decoded : { version, senderTag, receiverTag, type: 'ake', ake: { type: 'reveal-signature', version, body: decoded } };
    }
    case MESSAGE_TYPE.SIGNATURE: {
      const decoded = decodeSignature(body);
      return isDecodeError(decoded) ? decoded : { version, senderTag, receiverTag, type: 'ake', ake: { type: 'signature', version, body: decoded } };
    }
    case MESSAGE_TYPE.DATA: {
      const decoded = decodeDataMessage(body);
      if (isDecodeError(decoded)) return decoded;
      const macInput = bytes.subarray(0, bodyOffset + decoded.macCoveredLength);
      const { flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage, mac, oldMacKeys } = decoded;
      const data = { flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage, mac, oldMacKeys, version, macInput };
      return { version, senderTag, receiverTag, type: 'data', data };
    }
    default:
      return new DecodeError('bad-type', `unknown message type ${type}`);
  }
}

/** Encodes one of our AKE messages as `?OTR:...`. */
export function encodeAkeMessage(message: AkeMessage, senderTag: number, receiverTag: number): string {
  const header = (type: number): Uint8Array => encodeHeader({ version: message.version, type, senderTag, receiverTag });
  switch (message.type) {
    case 'dh-commit':
      return encodeEncoded(concatBytes(header(MESSAGE_TYPE.DH_COMMIT), encodeDhCommit(message.body)));
    case 'dh-key':
      return encodeEncoded(concatBytes(header(MESSAGE_TYPE.DH_KEY), encodeDhKey(message.body)));
    case 'reveal-signature':
      return encodeEncoded(concatBytes(header(MESSAGE_TYPE.REVEAL_SIGNATURE), encodeRevealSignature(message.body)));
    case 'signature':
      return encodeEncoded(concatBytes(header(MESSAGE_TYPE.SIGNATURE), encodeSignature(message.body)));
  }
}

/** Encodes a data message; `mac` is computed over the header and fields up to the encrypted message. */
export function encodeDataMessage(
  version: 2 | 3,
  senderTag: number,
  receiverTag: number,
  fields: DataFields,
  mac: (macInput: Uint8Array) => Uint8Array,
  oldMacKeys: Uint8Array,
): string {
  return encodeEncoded(encodeAuthenticatedDataMessage({ version, senderTag, receiverTag }, fields, oldMacKeys, mac));
}

/** The decrypted plaintext: message bytes and TLVs. */
export function decodeDataPlaintext(plaintext: Uint8Array): { message: Uint8Array; tlvs: Tlv[] } {
  return decodeDataPayload(plaintext);
}

/** Encodes the user's text and TLVs for encryption, in one array the caller wipes after use. */
export function encodeDataPlaintext(text: string, tlvs: readonly Tlv[]): Uint8Array {
  return encodeTextPayload(text, tlvs);
}
