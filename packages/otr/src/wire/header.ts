/**
 * The common header of binary messages (Protocol-v3, "D-H Commit Message" and
 * following): protocol version (SHORT), message type (BYTE), and for version 3
 * the sender and receiver instance tags (INT each, unsigned 32-bit).
 */
import { DecodeError } from '../errors.js';
import { decodeWith, fail, Reader } from './reader.js';
import { Writer } from './writer.js';

/** Message type bytes. */
export const MESSAGE_TYPE = {
  DATA: 0x03,
  DH_COMMIT: 0x02,
  DH_KEY: 0x0a,
  REVEAL_SIGNATURE: 0x11,
  SIGNATURE: 0x12,
} as const;

/** A decoded header; v2 messages have tags 0. */
export interface Header {
  readonly version: 2 | 3;
  readonly type: number;
  readonly senderTag: number;
  readonly receiverTag: number;
  /** Where the message body starts. */
  readonly bodyOffset: number;
}

/** Decodes the header; versions other than 2 and 3 are `bad-version`. */
export function decodeHeader(bytes: Uint8Array): Header | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(bytes);
    const version = reader.u16('protocol version');
    if (version !== 2 && version !== 3) fail('bad-version', `protocol version ${version}`);
    const type = reader.u8('message type');
    const senderTag = version === 3 ? reader.u32('sender instance tag') : 0;
    const receiverTag = version === 3 ? reader.u32('receiver instance tag') : 0;
    return { version, type, senderTag, receiverTag, bodyOffset: reader.offset };
  });
}

/** Encodes a header. */
export function encodeHeader(header: Omit<Header, 'bodyOffset'>): Uint8Array {
  const writer = new Writer().u16(header.version).u8(header.type);
  if (header.version === 3) writer.u32(header.senderTag).u32(header.receiverTag);
  return writer.finish();
}
