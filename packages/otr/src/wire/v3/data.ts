/**
 * Data message body (Protocol-v3, "Data Message"), after the header:
 *
 * | Flags                 | BYTE | IGNORE_UNREADABLE = 0x01          |
 * | Sender keyid          | INT  | > 0                               |
 * | Recipient keyid       | INT  | > 0                               |
 * | DH y                  | MPI  | the sender's next public key      |
 * | Top half of counter   | CTR  | 8 bytes                           |
 * | Encrypted message     | DATA | AES128-CTR                        |
 * | Authenticator         | MAC  | HMAC-SHA1 of header .. message    |
 * | Old MAC keys revealed | DATA | concatenated 20-byte keys         |
 */
import type { DecodeError } from '../../errors.js';
import { MAX_DATA_FIELD_BYTES } from '../../limits.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The fields of a data message body. */
export interface DataMessage {
  readonly flags: number;
  readonly senderKeyId: number;
  readonly recipientKeyId: number;
  readonly nextDh: Uint8Array;
  readonly counter: Uint8Array;
  readonly encryptedMessage: Uint8Array;
  readonly mac: Uint8Array;
  readonly oldMacKeys: Uint8Array;
  /** Bytes of the body covered by the MAC (flags through encrypted message). */
  readonly macCoveredLength: number;
}

/** Decodes a data message body. Revealed MAC keys must be whole 20-byte keys. */
export function decodeDataMessage(body: Uint8Array): DataMessage | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(body);
    const flags = reader.u8('flags');
    const senderKeyId = reader.u32('sender keyid');
    const recipientKeyId = reader.u32('recipient keyid');
    const nextDh = reader.mpi(192, 'next DH');
    const counter = reader.fixed(8, 'counter');
    const encryptedMessage = reader.data(MAX_DATA_FIELD_BYTES, 'encrypted message');
    const macCoveredLength = reader.offset;
    const mac = reader.fixed(20, 'authenticator');
    const oldMacKeys = reader.data(MAX_DATA_FIELD_BYTES, 'old MAC keys');
    if (oldMacKeys.length % 20 !== 0) fail('bad-field', 'old MAC keys are not a multiple of 20 bytes');
    reader.end('Data message');
    return { flags, senderKeyId, recipientKeyId, nextDh, counter, encryptedMessage, mac, oldMacKeys, macCoveredLength };
  });
}

/** Encodes the MAC-covered part of a body and the part after the MAC. */
export function encodeDataMessageParts(
  fields: Pick<DataMessage, 'flags' | 'senderKeyId' | 'recipientKeyId' | 'nextDh' | 'counter' | 'encryptedMessage'>,
  oldMacKeys: Uint8Array,
): { covered: Uint8Array; trailer: Uint8Array } {
  const covered = new Writer()
    .u8(fields.flags)
    .u32(fields.senderKeyId)
    .u32(fields.recipientKeyId)
    .mpi(fields.nextDh)
    .bytes(fields.counter)
    .data(fields.encryptedMessage)
    .finish();
  return { covered, trailer: new Writer().data(oldMacKeys).finish() };
}
