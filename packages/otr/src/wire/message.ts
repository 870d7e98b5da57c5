/**
 * The whole-message codec (Protocol-v3, "Encoded messages" and the five
 * message sections): bytes and `?OTR:...` text <-> typed messages. The
 * library, the tests and the fuzzers all use this one codec; nothing else
 * puts a header and a body together.
 *
 * A binary message is a header (header.ts) and one body (v3/dh-commit.ts,
 * v3/dh-key.ts, v3/reveal-signature.ts, v3/signature.ts, v3/data.ts).
 * Versions 2 and 3 share the bodies; they differ only in the header, whose
 * instance tags version 2 lacks.
 *
 * The header is read once. A received text is classified first
 * (classify.ts), which reads the header to route it; the session then
 * decodes the body with {@link decodeOtrBody}, passing that header.
 * {@link decodeOtrMessage} does both steps for callers that start from
 * bytes.
 *
 * For data messages the decoder also returns `macInput`, the bytes the
 * authenticator covers (protocol version through encrypted message), sliced
 * from the received bytes rather than re-encoded, so the MAC is checked over
 * exactly what the peer sent.
 *
 * Pure: no state, no cryptography. The data message's authenticator is
 * computed by the caller's `authenticate` function while encoding.
 */
import { DecodeError } from '../errors.js';
import { encodeEncoded } from './envelope.js';
import { MESSAGE_TYPE, readHeader, writeHeader, type Header, type HeaderVersion, type Route } from './header.js';
import { decodeWith, fail, Reader } from './reader.js';
import { encodeAuthenticatedDataMessage, encodeDataMessage, readDataMessage, type DataFields, type DataMessageBody } from './v3/data.js';
import { encodeDhCommit, readDhCommit, type DhCommit } from './v3/dh-commit.js';
import { encodeDhKey, readDhKey, type DhKey } from './v3/dh-key.js';
import { encodeRevealSignature, readRevealSignature, type RevealSignature } from './v3/reveal-signature.js';
import { encodeSignature, readSignature, type Signature } from './v3/signature.js';
import { Writer } from './writer.js';

/** An AKE message of version 2 or 3; `version` is the header's. */
export type AkeMessage =
  | { readonly type: 'dh-commit'; readonly version: HeaderVersion; readonly body: DhCommit }
  | { readonly type: 'dh-key'; readonly version: HeaderVersion; readonly body: DhKey }
  | { readonly type: 'reveal-signature'; readonly version: HeaderVersion; readonly body: RevealSignature }
  | { readonly type: 'signature'; readonly version: HeaderVersion; readonly body: Signature };

/** A received data message, with the header's version and the bytes its MAC covers. */
export interface ReceivedData extends DataMessageBody {
  readonly version: HeaderVersion;
  /** Protocol version through encrypted message: a view of the received bytes. */
  readonly macInput: Uint8Array;
}

/** A binary OTR message of version 2 or 3 with its route (version and instance tags). */
export type OtrMessage = Route & ({ readonly type: 'ake'; readonly ake: AkeMessage } | { readonly type: 'data'; readonly data: DataMessageBody });

/** A decoded binary message; data messages carry the bytes their MAC covers. */
export type DecodedOtrMessage = Route & ({ readonly type: 'ake'; readonly ake: AkeMessage } | { readonly type: 'data'; readonly data: ReceivedData });

/** The message type byte of each AKE message. */
const AKE_TYPE_BYTE = {
  'dh-commit': MESSAGE_TYPE.DH_COMMIT,
  'dh-key': MESSAGE_TYPE.DH_KEY,
  'reveal-signature': MESSAGE_TYPE.REVEAL_SIGNATURE,
  signature: MESSAGE_TYPE.SIGNATURE,
} as const;

/** Reads the body of a message whose header `reader` has just read. */
function readBody(reader: Reader, bytes: Uint8Array, header: Omit<Header, 'bodyOffset'>): DecodedOtrMessage {
  const { version, type, senderTag, receiverTag } = header;
  switch (type) {
    case MESSAGE_TYPE.DH_COMMIT:
      return { version, senderTag, receiverTag, type: 'ake', ake: { type: 'dh-commit', version, body: readDhCommit(reader) } };
    case MESSAGE_TYPE.DH_KEY:
      return { version, senderTag, receiverTag, type: 'ake', ake: { type: 'dh-key', version, body: readDhKey(reader) } };
    case MESSAGE_TYPE.REVEAL_SIGNATURE:
      return { version, senderTag, receiverTag, type: 'ake', ake: { type: 'reveal-signature', version, body: readRevealSignature(reader) } };
    case MESSAGE_TYPE.SIGNATURE:
      return { version, senderTag, receiverTag, type: 'ake', ake: { type: 'signature', version, body: readSignature(reader) } };
    case MESSAGE_TYPE.DATA: {
      const m = readDataMessage(reader);
      // Spelled out: object rest and spread are slow runtime calls on this hot path.
      const data: ReceivedData = {
        flags: m.flags,
        senderKeyId: m.senderKeyId,
        recipientKeyId: m.recipientKeyId,
        nextDh: m.nextDh,
        counter: m.counter,
        encryptedMessage: m.encryptedMessage,
        mac: m.mac,
        oldMacKeys: m.oldMacKeys,
        version,
        macInput: bytes.subarray(0, m.macEnd),
      };
      return { version, senderTag, receiverTag, type: 'data', data };
    }
    default:
      return fail('bad-type', `unknown message type 0x${type.toString(16)}`);
  }
}

/** Decodes a whole binary message (what `?OTR:...` carries): header, then body. */
export function decodeOtrMessage(bytes: Uint8Array): DecodedOtrMessage | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    return readBody(reader, bytes, readHeader(reader));
  });
}

/**
 * Decodes the body of `bytes`, whose header was already decoded into
 * `header` (by classify.ts): the header is not read again.
 */
export function decodeOtrBody(header: Header, bytes: Uint8Array): DecodedOtrMessage | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    reader.fixed(header.bodyOffset, 'header');
    return readBody(reader, bytes, header);
  });
}

/** Encodes a whole binary message; for version 2 the route's tags are not written. */
export function encodeOtrMessage(message: OtrMessage): Uint8Array {
  const writer = writeHeader(new Writer(), message, message.type === 'data' ? MESSAGE_TYPE.DATA : AKE_TYPE_BYTE[message.ake.type]);
  if (message.type === 'data') return writer.bytes(encodeDataMessage(message.data)).finish();
  switch (message.ake.type) {
    case 'dh-commit':
      return writer.bytes(encodeDhCommit(message.ake.body)).finish();
    case 'dh-key':
      return writer.bytes(encodeDhKey(message.ake.body)).finish();
    case 'reveal-signature':
      return writer.bytes(encodeRevealSignature(message.ake.body)).finish();
    case 'signature':
      return writer.bytes(encodeSignature(message.ake.body)).finish();
  }
}

/** Encodes one of our AKE messages, in its own version, as `?OTR:...` text. */
export function encodeAkeText(message: AkeMessage, senderTag: number, receiverTag: number): string {
  return encodeEncoded(encodeOtrMessage({ version: message.version, senderTag, receiverTag, type: 'ake', ake: message }));
}

/**
 * Encodes a data message as `?OTR:...` text; `authenticate` receives the
 * bytes the authenticator covers (header and fields up to the encrypted
 * message) and returns the 20-byte MAC.
 */
export function encodeDataText(
  version: HeaderVersion,
  senderTag: number,
  receiverTag: number,
  fields: DataFields,
  authenticate: (macInput: Uint8Array) => Uint8Array,
  oldMacKeys: Uint8Array,
): string {
  return encodeEncoded(encodeAuthenticatedDataMessage({ version, senderTag, receiverTag }, fields, oldMacKeys, authenticate));
}

/** The bytes a received data message's authenticator covers, or a DecodeError if `bytes` is not a data message. */
export function dataMessageMacInput(bytes: Uint8Array): Uint8Array | DecodeError {
  const decoded = decodeOtrMessage(bytes);
  if (decoded instanceof DecodeError) return decoded;
  if (decoded.type !== 'data') return new DecodeError('bad-type', 'not a data message');
  return decoded.data.macInput;
}
