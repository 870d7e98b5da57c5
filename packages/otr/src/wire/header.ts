/**
 * The header every binary OTR message starts with (Protocol-v3, "D-H Commit
 * Message" through "Data Message", and "Instance Tags"):
 *
 * | Protocol version      | SHORT | 0x0003 (or 0x0002)                 |
 * | Message type          | BYTE  | see {@link MESSAGE_TYPE}           |
 * | Sender instance tag   | INT   | version 3 only; >= 0x100           |
 * | Receiver instance tag | INT   | version 3 only; 0 or >= 0x100      |
 *
 * Version 2 messages have no instance tags; the decoded header then carries
 * 0 for both, the spec's "no tag". Tags are unsigned 32-bit numbers: they are
 * compared and printed as numbers, never combined with `|` or `<<`, which
 * would turn tags >= 0x80000000 negative.
 */
import { DecodeError } from '../errors.js';
import { MIN_INSTANCE_TAG } from '../limits.js';
import { decodeWith, fail, Reader } from './reader.js';
import { Writer } from './writer.js';
import type { ProtocolVersion } from '../version.js';

export type { ProtocolVersion } from '../version.js';

/** Versions whose binary header this module reads and writes. */
export type HeaderVersion = Extract<ProtocolVersion, 2 | 3>;

/** Message type bytes (Protocol-v3, one per message section). */
export const MESSAGE_TYPE = {
  DH_COMMIT: 0x02,
  DATA: 0x03,
  DH_KEY: 0x0a,
  REVEAL_SIGNATURE: 0x11,
  SIGNATURE: 0x12,
} as const;

/** One of the {@link MESSAGE_TYPE} bytes. */
export type MessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE];

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(MESSAGE_TYPE));

/** True for the five message types of versions 2 and 3. */
export function isMessageType(type: number): type is MessageType {
  return KNOWN_TYPES.has(type);
}

/** Who a message is from and to, and in which version. Version 2: both tags 0. */
export interface Route {
  readonly version: HeaderVersion;
  readonly senderTag: number;
  readonly receiverTag: number;
}

/** A decoded header. */
export interface Header extends Route {
  /** The message type byte; unknown types are left to the caller. */
  readonly type: number;
  /** Where the message body starts in the decoded bytes. */
  readonly bodyOffset: number;
}

/** Bytes of a version 3 header (2 + 1 + 4 + 4). */
export const V3_HEADER_BYTES = 11;
/** Bytes of a version 2 header (2 + 1). */
export const V2_HEADER_BYTES = 3;

/**
 * True when `tag` may appear as a sender instance tag: the spec says to
 * discard messages whose sender tag is below 0x100.
 */
export function isValidSenderTag(tag: number): boolean {
  return Number.isInteger(tag) && tag >= MIN_INSTANCE_TAG && tag <= 0xffffffff;
}

/** True when `tag` may appear as a receiver instance tag: 0 ("unknown yet") or >= 0x100. */
export function isValidReceiverTag(tag: number): boolean {
  return tag === 0 || isValidSenderTag(tag);
}

/**
 * Reads a header from `reader`, failing with `bad-version` for versions
 * other than 2 and 3 and `bad-instance-tag` for tags the spec says to
 * discard. The message type is not checked here (see {@link isMessageType}).
 */
export function readHeader(reader: Reader): Omit<Header, 'bodyOffset'> {
  const version = reader.u16('protocol version');
  if (version !== 2 && version !== 3) fail('bad-version', `protocol version ${version}`);
  const type = reader.u8('message type');
  if (version === 2) return { version, type, senderTag: 0, receiverTag: 0 };
  const senderTag = reader.u32('sender instance tag');
  const receiverTag = reader.u32('receiver instance tag');
  if (!isValidSenderTag(senderTag)) fail('bad-instance-tag', 'sender instance tag below 0x100');
  if (!isValidReceiverTag(receiverTag)) fail('bad-instance-tag', 'receiver instance tag between 1 and 0xff');
  return { version, type, senderTag, receiverTag };
}

/** Decodes the header at the start of a binary message (the body is not looked at). */
export function decodeHeader(bytes: Uint8Array): Header | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const { version, type, senderTag, receiverTag } = readHeader(reader);
    // Spelled out: object spread is a slow runtime call on this hot path.
    return { version, type, senderTag, receiverTag, bodyOffset: reader.offset };
  });
}

/** Writes a header; for version 2 the tags are not written. */
export function writeHeader(writer: Writer, route: Route, type: number): Writer {
  writer.u16(route.version).u8(type);
  if (route.version === 3) writer.u32(route.senderTag).u32(route.receiverTag);
  return writer;
}

/** Encodes a header (the tags are ignored for version 2). */
export function encodeHeader(header: Route & { readonly type: number }): Uint8Array {
  return writeHeader(new Writer(), header, header.type).finish();
}
