/**
 * Data message (otrv4.md, "Data Message Format"), type 0x03, the body
 * after the v4 header (header.ts):
 *
 * | Flags                           | BYTE  | IGNORE_UNREADABLE = 0x01                 |
 * | Previous chain message number   | INT   | the sender's pn                          |
 * | Ratchet id                      | INT   | the sender's i                           |
 * | Message id                      | INT   | the sender's j                           |
 * | Public ECDH Key                 | POINT | the sender's our_ecdh.public             |
 * | Public DH Key                   | MPI   | our_dh.public; empty (length 0) if none  |
 * | Encrypted message               | DATA  | ChaCha20 with nonce 0 (none on the wire) |
 * | Authenticator                   | MAC   | 64 bytes over version .. encrypted msg   |
 * | Old MAC keys to be revealed     | DATA  | concatenated 64-byte keys                |
 *
 * There is no NONCE field in the current spec (the nonce is fixed at 0),
 * and otr4j writes none (DataMessage4.writeDataMessageSections). A DH key
 * MPI of length 0 means "no DH key in this message" (otr4j writes an empty
 * DATA and reads a zero value as absent); with the minimal MPI encoding
 * required by v4, length 0 is the only spelling of zero.
 *
 * The authenticator covers the header and the body up to the end of the
 * encrypted message: {@link encodeDataMacInput} builds those bytes, and a
 * decoded body reports where they end. The revealed MAC keys are not
 * covered by the MAC; any length is accepted as in v3, and
 * {@link splitRevealedMacKeys} checks the 64-byte structure when wanted.
 */
import { DecodeError } from '../../errors.js';
import { MAX_DATA_FIELD_BYTES } from '../../limits.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { checkLength, DH3072_MPI_BYTES, readMpiV4, readPoint, V4_MAC_BYTES, writeMpiV4, writePoint } from './data-types.js';
import { V4_MESSAGE_TYPE, writeV4Header, type V4Route } from './header.js';

/** Flag bit: a receiver that cannot read this message should ignore it silently. */
export const V4_DATA_FLAG_IGNORE_UNREADABLE = 0x01;

/** The fields the sender chooses, all covered by the authenticator. */
export interface V4DataFields {
  readonly flags: number;
  /** pn: the number of messages in the sender's previous sending chain. */
  readonly previousChainLength: number;
  /** i. */
  readonly ratchetId: number;
  /** j. */
  readonly messageId: number;
  /** The sender's our_ecdh.public (POINT, opaque). */
  readonly ecdh: Uint8Array;
  /** The sender's our_dh.public as a minimal magnitude, or undefined when the message carries none. */
  readonly dh: Uint8Array | undefined;
  readonly encryptedMessage: Uint8Array;
}

/** A whole data message body. */
export interface V4DataMessageBody extends V4DataFields {
  /** The authenticator, 64 bytes. */
  readonly authenticator: Uint8Array;
  /** Revealed MAC keys (normally a multiple of 64 bytes). */
  readonly revealedMacKeys: Uint8Array;
}

/** A decoded data message body. */
export interface V4DataMessage extends V4DataMessageBody {
  /** Bytes of the body covered by the authenticator (flags through encrypted message). */
  readonly macCoveredLength: number;
}

/** Reads a data message body. */
export function readV4DataMessage(reader: Reader): V4DataMessage {
  const flags = reader.u8('flags');
  const previousChainLength = reader.u32('previous chain message number');
  const ratchetId = reader.u32('ratchet id');
  const messageId = reader.u32('message id');
  const ecdh = readPoint(reader, 'public ECDH key');
  const dhBytes = readMpiV4(reader, DH3072_MPI_BYTES, 'public DH key');
  const encryptedMessage = reader.data(MAX_DATA_FIELD_BYTES, 'encrypted message');
  const macCoveredLength = reader.offset;
  const authenticator = reader.fixed(V4_MAC_BYTES, 'authenticator');
  const revealedMacKeys = reader.data(MAX_DATA_FIELD_BYTES, 'old MAC keys');
  reader.end('Data message');
  const dh = dhBytes.length === 0 ? undefined : dhBytes;
  return { flags, previousChainLength, ratchetId, messageId, ecdh, dh, encryptedMessage, authenticator, revealedMacKeys, macCoveredLength };
}

/** Decodes a data message body. */
export function decodeV4DataMessage(body: Uint8Array): V4DataMessage | DecodeError {
  return decodeWith(() => readV4DataMessage(new Reader(body)));
}

function writeDataFields(writer: Writer, fields: V4DataFields): Writer {
  writer.u8(fields.flags).u32(fields.previousChainLength).u32(fields.ratchetId).u32(fields.messageId);
  writePoint(writer, fields.ecdh);
  writeMpiV4(writer, fields.dh ?? new Uint8Array(0));
  return writer.data(fields.encryptedMessage);
}

/** Writes a data message body. */
export function writeV4DataMessage(writer: Writer, body: V4DataMessageBody): Writer {
  checkLength(body.authenticator, V4_MAC_BYTES, 'the authenticator');
  return writeDataFields(writer, body).bytes(body.authenticator).data(body.revealedMacKeys);
}

/** Encodes a data message body. */
export function encodeV4DataMessage(body: V4DataMessageBody): Uint8Array {
  return writeV4DataMessage(new Writer(), body).finish();
}

/** The bytes the authenticator covers: the v4 header and the fields up to the end of the encrypted message. */
export function encodeV4DataMacInput(route: V4Route, fields: V4DataFields): Uint8Array {
  return writeDataFields(writeV4Header(new Writer(), route, V4_MESSAGE_TYPE.DATA), fields).finish();
}

/** Bytes of one revealed MAC key. */
export const REVEALED_MAC_KEY_BYTES = 64;

/** Splits revealed MAC keys into 64-byte keys; a length that is not a multiple of 64 is a DecodeError. */
export function splitRevealedMacKeys(revealed: Uint8Array): Uint8Array[] | DecodeError {
  if (revealed.length % REVEALED_MAC_KEY_BYTES !== 0) return new DecodeError('bad-field', 'revealed MAC keys are not a multiple of 64 bytes');
  const keys: Uint8Array[] = [];
  for (let i = 0; i < revealed.length; i += REVEALED_MAC_KEY_BYTES) keys.push(revealed.subarray(i, i + REVEALED_MAC_KEY_BYTES));
  return keys;
}
