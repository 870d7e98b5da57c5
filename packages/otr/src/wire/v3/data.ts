/**
 * Data message (Protocol-v3, "Data Message"), type 0x03, the body after the
 * header (header.ts); versions 2 and 3 share it:
 *
 * | Flags                 | BYTE | IGNORE_UNREADABLE = 0x01                  |
 * | Sender keyid          | INT  | > 0 (checked by the key ring, not here)   |
 * | Recipient keyid       | INT  | > 0 (likewise)                            |
 * | DH y                  | MPI  | the sender's next public key              |
 * | Top half of counter   | CTR  | 8 bytes                                   |
 * | Encrypted message     | DATA | AES128-CTR of data-payload.ts's bytes     |
 * | Authenticator         | MAC  | SHA1-HMAC of protocol version .. message  |
 * | Old MAC keys revealed | DATA | concatenated 20-byte keys                 |
 *
 * The authenticator covers everything from the protocol version to the end
 * of the encrypted message: {@link encodeDataMacInput} builds those bytes
 * for sending, and message.ts slices them from a received message.
 * The old MAC keys are not covered by the MAC and only matter to
 * transcript forgers, so any length is accepted (libotr does the same);
 * {@link splitOldMacKeys} checks the 20-byte structure when wanted.
 */
import { DecodeError } from '../../errors.js';
import { MAX_DATA_FIELD_BYTES } from '../../limits.js';
import { writeHeader, MESSAGE_TYPE, type Route } from '../header.js';
import { MODP_MPI_BYTES } from '../limits-wire.js';
import { decodeWith, Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { MAC_BYTES } from './reveal-signature.js';

/** Flag bit: a receiver that cannot read this message should ignore it silently. */
export const DATA_FLAG_IGNORE_UNREADABLE = 0x01;
/** Length of the top half of the counter (CTR). */
export const COUNTER_BYTES = 8;
/** Length of one revealed MAC key. */
const OLD_MAC_KEY_BYTES = 20;

/** The fields the sender chooses, all covered by the authenticator. */
export interface DataFields {
  readonly flags: number;
  readonly senderKeyId: number;
  readonly recipientKeyId: number;
  /** The sender's next D-H public key, g^(x_{keyid+1}). */
  readonly nextDh: Uint8Array;
  /** Top half of the AES-CTR initial counter, 8 bytes. */
  readonly counter: Uint8Array;
  readonly encryptedMessage: Uint8Array;
}

/** A whole data message body. */
export interface DataMessageBody extends DataFields {
  /** The authenticator, 20 bytes. */
  readonly mac: Uint8Array;
  /** Revealed old MAC keys (normally a multiple of 20 bytes). */
  readonly oldMacKeys: Uint8Array;
}

/** A decoded data message body. */
export interface DataMessage extends DataMessageBody {
  /** Bytes of the body covered by the MAC (flags through encrypted message). */
  readonly macCoveredLength: number;
}

/** Reads a data message body; `macEnd` is the reader offset where the MAC starts. */
export function readDataMessage(reader: Reader): DataMessageBody & { readonly macEnd: number } {
  const flags = reader.u8('flags');
  const senderKeyId = reader.u32('sender keyid');
  const recipientKeyId = reader.u32('recipient keyid');
  const nextDh = reader.mpi(MODP_MPI_BYTES, 'next DH');
  const counter = reader.fixed(COUNTER_BYTES, 'counter');
  const encryptedMessage = reader.data(MAX_DATA_FIELD_BYTES, 'encrypted message');
  const macEnd = reader.offset;
  const mac = reader.fixed(MAC_BYTES, 'authenticator');
  const oldMacKeys = reader.data(MAX_DATA_FIELD_BYTES, 'old MAC keys');
  reader.end('Data message');
  return { flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage, mac, oldMacKeys, macEnd };
}

/** Decodes a data message body. */
export function decodeDataMessage(body: Uint8Array): DataMessage | DecodeError {
  return decodeWith(() => {
    const m = readDataMessage(new Reader(body));
    // Spelled out: object rest and spread are slow runtime calls on this hot path.
    return {
      flags: m.flags,
      senderKeyId: m.senderKeyId,
      recipientKeyId: m.recipientKeyId,
      nextDh: m.nextDh,
      counter: m.counter,
      encryptedMessage: m.encryptedMessage,
      mac: m.mac,
      oldMacKeys: m.oldMacKeys,
      macCoveredLength: m.macEnd,
    };
  });
}

function writeDataFields(writer: Writer, fields: DataFields): Writer {
  return writer
    .u8(fields.flags)
    .u32(fields.senderKeyId)
    .u32(fields.recipientKeyId)
    .mpi(fields.nextDh)
    .bytes(fields.counter)
    .data(fields.encryptedMessage);
}

/** Encodes a data message body. */
export function encodeDataMessage(body: DataMessageBody): Uint8Array {
  return writeDataFields(new Writer(), body).bytes(body.mac).data(body.oldMacKeys).finish();
}

/**
 * The bytes the authenticator covers: the header (protocol version, type,
 * and for version 3 the instance tags) and the fields up to the end of the
 * encrypted message.
 */
export function encodeDataMacInput(route: Route, fields: DataFields): Uint8Array {
  return writeDataFields(writeHeader(new Writer(), route, MESSAGE_TYPE.DATA), fields).finish();
}

/**
 * A whole data message, header included, in one array: `authenticate`
 * receives the bytes the authenticator covers (a view of the array being
 * built) and returns the 20-byte MAC that follows them.
 */
export function encodeAuthenticatedDataMessage(
  route: Route,
  fields: DataFields,
  oldMacKeys: Uint8Array,
  authenticate: (macInput: Uint8Array) => Uint8Array,
): Uint8Array {
  const covered = writeDataFields(writeHeader(new Writer(), route, MESSAGE_TYPE.DATA), fields);
  const macEnd = covered.length;
  const out = covered.finish(MAC_BYTES + 4 + oldMacKeys.length);
  const mac = authenticate(out.subarray(0, macEnd));
  if (mac.length !== MAC_BYTES) throw new RangeError('the authenticator must be 20 bytes');
  out.set(mac, macEnd);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(macEnd + MAC_BYTES, oldMacKeys.length);
  out.set(oldMacKeys, macEnd + MAC_BYTES + 4);
  return out;
}

/** Splits revealed MAC keys into 20-byte keys; a length that is not a multiple of 20 is a DecodeError. */
export function splitOldMacKeys(oldMacKeys: Uint8Array): Uint8Array[] | DecodeError {
  if (oldMacKeys.length % OLD_MAC_KEY_BYTES !== 0) return new DecodeError('bad-field', 'old MAC keys are not a multiple of 20 bytes');
  const keys: Uint8Array[] = [];
  for (let i = 0; i < oldMacKeys.length; i += OLD_MAC_KEY_BYTES) keys.push(oldMacKeys.subarray(i, i + OLD_MAC_KEY_BYTES));
  return keys;
}
