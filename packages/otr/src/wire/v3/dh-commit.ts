/**
 * D-H Commit message body (Protocol-v3, "D-H Commit Message"), after the header:
 *
 * | Encrypted g^x | DATA | AES128-CTR_r(MPI(g^x)), initial counter 0 |
 * | Hashed g^x    | DATA | SHA256(MPI(g^x)), 32 bytes                |
 */
import type { DecodeError } from '../../errors.js';
import { decodeWith, fail, Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** The D-H Commit body. */
export interface DhCommit {
  readonly encryptedGx: Uint8Array;
  readonly hashedGx: Uint8Array;
}

/** Largest accepted encrypted g^x: an MPI of at most 192 bytes plus its length. */
const MAX_ENCRYPTED_GX = 4 + 192;

/** Decodes a D-H Commit body. */
export function decodeDhCommit(body: Uint8Array): DhCommit | DecodeError {
  return decodeWith(() => {
    const reader = new Reader(body);
    const encryptedGx = reader.data(MAX_ENCRYPTED_GX, 'encrypted g^x');
    const hashedGx = reader.data(32, 'hashed g^x');
    if (hashedGx.length !== 32) fail('bad-field', 'hashed g^x is not 32 bytes');
    reader.end('D-H Commit');
    return { encryptedGx, hashedGx };
  });
}

/** Encodes a D-H Commit body. */
export function encodeDhCommit(message: DhCommit): Uint8Array {
  return new Writer().data(message.encryptedGx).data(message.hashedGx).finish();
}
