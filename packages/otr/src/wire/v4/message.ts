/**
 * A whole OTRv4 binary message (the bytes inside "?OTR:...."): the v4
 * header (header.ts) read once, then the body of the message its type
 * names. The interactive messages only: Identity, Auth-R, Auth-I, Data.
 * The Prekey and Non-Interactive-Auth messages of the non-interactive
 * DAKE are not read (`bad-type`).
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readAuthIMessage, writeAuthIMessage, type AuthIMessage } from './auth-i.js';
import { readAuthRMessage, writeAuthRMessage, type AuthRMessage, type DecodedAuthRMessage } from './auth-r.js';
import { readV4DataMessage, writeV4DataMessage, type V4DataMessage, type V4DataMessageBody } from './data-message.js';
import { V4_MESSAGE_TYPE, readV4Header, writeV4Header, type V4Route } from './header.js';
import { readIdentityMessage, writeIdentityMessage, type DecodedIdentityMessage, type IdentityMessage } from './identity-message.js';

/** A v4 message to encode. */
export type V4Message =
  | { readonly kind: 'identity'; readonly body: IdentityMessage }
  | { readonly kind: 'auth-r'; readonly body: AuthRMessage }
  | { readonly kind: 'auth-i'; readonly body: AuthIMessage }
  | { readonly kind: 'data'; readonly body: V4DataMessageBody };

/** A decoded v4 message with its route. */
export type DecodedV4Message = V4Route &
  (
    | { readonly kind: 'identity'; readonly body: DecodedIdentityMessage }
    | { readonly kind: 'auth-r'; readonly body: DecodedAuthRMessage }
    | { readonly kind: 'auth-i'; readonly body: AuthIMessage }
    | {
        readonly kind: 'data';
        readonly body: V4DataMessage;
        /** The bytes the authenticator covers: header through encrypted message (a view of the input). */
        readonly macInput: Uint8Array;
      }
  );

/** Decodes a whole v4 binary message. */
export function decodeV4Message(bytes: Uint8Array): DecodedV4Message | DecodeError {
  return decodeWith((): DecodedV4Message => {
    const reader = new Reader(bytes);
    const { type, senderTag, receiverTag } = readV4Header(reader);
    const bodyStart = reader.offset;
    // The body readers see only the body, so a client profile's bytes are sliced from it.
    const body = bytes.subarray(bodyStart);
    const bodyReader = new Reader(body);
    switch (type) {
      case V4_MESSAGE_TYPE.IDENTITY:
        return { senderTag, receiverTag, kind: 'identity', body: readIdentityMessage(bodyReader, body) };
      case V4_MESSAGE_TYPE.AUTH_R:
        return { senderTag, receiverTag, kind: 'auth-r', body: readAuthRMessage(bodyReader, body) };
      case V4_MESSAGE_TYPE.AUTH_I:
        return { senderTag, receiverTag, kind: 'auth-i', body: readAuthIMessage(bodyReader) };
      case V4_MESSAGE_TYPE.DATA: {
        const data = readV4DataMessage(bodyReader);
        return { senderTag, receiverTag, kind: 'data', body: data, macInput: bytes.subarray(0, bodyStart + data.macCoveredLength) };
      }
      default:
        return fail('bad-type', `v4 message type 0x${type.toString(16)}`);
    }
  });
}

const TYPE_OF_KIND = {
  identity: V4_MESSAGE_TYPE.IDENTITY,
  'auth-r': V4_MESSAGE_TYPE.AUTH_R,
  'auth-i': V4_MESSAGE_TYPE.AUTH_I,
  data: V4_MESSAGE_TYPE.DATA,
} as const;

/** Encodes a whole v4 binary message. */
export function encodeV4Message(route: V4Route, message: V4Message): Uint8Array {
  const writer = writeV4Header(new Writer(), route, TYPE_OF_KIND[message.kind]);
  switch (message.kind) {
    case 'identity':
      return writeIdentityMessage(writer, message.body).finish();
    case 'auth-r':
      return writeAuthRMessage(writer, message.body).finish();
    case 'auth-i':
      return writeAuthIMessage(writer, message.body).finish();
    case 'data':
      return writeV4DataMessage(writer, message.body).finish();
  }
}
