/**
 * The header of every OTRv4 binary message (otrv4.md, "Identity Message",
 * "Auth-R Message", "Auth-I Message", "Data Message Format"):
 *
 * | Protocol version      | SHORT | 0x0004                           |
 * | Message type          | BYTE  | see {@link V4_MESSAGE_TYPE}      |
 * | Sender instance tag   | INT   | >= 0x100                         |
 * | Receiver instance tag | INT   | 0 or >= 0x100                    |
 *
 * Instance tags are checked as for version 3 (otrv4.md, "Instance Tags").
 */
import type { DecodeError } from '../../errors.js';
import { isValidReceiverTag, isValidSenderTag } from '../header.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The protocol version field of OTRv4 messages. */
export const PROTOCOL_VERSION_4 = 4;

/** Message type bytes of the interactive OTRv4 messages. */
export const V4_MESSAGE_TYPE = {
  DATA: 0x03,
  IDENTITY: 0x35,
  AUTH_R: 0x36,
  AUTH_I: 0x37,
} as const;

/** One of the {@link V4_MESSAGE_TYPE} bytes. */
export type V4MessageType = (typeof V4_MESSAGE_TYPE)[keyof typeof V4_MESSAGE_TYPE];

/** Bytes of a v4 header (2 + 1 + 4 + 4). */
export const V4_HEADER_BYTES = 11;

/** Who a v4 message is from and to. */
export interface V4Route {
  readonly senderTag: number;
  readonly receiverTag: number;
}

/** A decoded v4 header. */
export interface V4Header extends V4Route {
  /** The message type byte; unknown types are left to the caller. */
  readonly type: number;
}

/** Reads a v4 header: a version other than 4 is `bad-version`, a reserved tag `bad-instance-tag`. */
export function readV4Header(reader: Reader): V4Header {
  const version = reader.u16('protocol version');
  if (version !== PROTOCOL_VERSION_4) fail('bad-version', `protocol version ${version}`);
  const type = reader.u8('message type');
  const senderTag = reader.u32('sender instance tag');
  const receiverTag = reader.u32('receiver instance tag');
  if (!isValidSenderTag(senderTag)) fail('bad-instance-tag', 'sender instance tag below 0x100');
  if (!isValidReceiverTag(receiverTag)) fail('bad-instance-tag', 'receiver instance tag between 1 and 0xff');
  return { type, senderTag, receiverTag };
}

/** Decodes the v4 header at the start of `bytes` (what follows is not looked at). */
export function decodeV4Header(bytes: Uint8Array): V4Header | DecodeError {
  return decodeWith(() => readV4Header(new Reader(bytes)));
}

/** Writes a v4 header. Tags the spec says to discard are a RangeError (a local mistake). */
export function writeV4Header(writer: Writer, route: V4Route, type: number): Writer {
  if (!isValidSenderTag(route.senderTag) || !isValidReceiverTag(route.receiverTag)) throw new RangeError('instance tags must be >= 0x100 (receiver may be 0)');
  return writer.u16(PROTOCOL_VERSION_4).u8(type).u32(route.senderTag).u32(route.receiverTag);
}

/** Encodes a v4 header. */
export function encodeV4Header(header: V4Header): Uint8Array {
  return writeV4Header(new Writer(), header, header.type).finish();
}
