/**
 * Splitting a message into SEND chunks (RFC 4975 section 5.1): each chunk
 * carries at most `chunkSize` body bytes, `Byte-Range: start-end/total`,
 * and the end-line flag `+` on all but the last (`$`). Kamailio's relay
 * drops frames with bodies over 10240 bytes, so the size is bounded
 * (limits.MAX_CHUNK_SIZE).
 */
import { formatByteRange } from './byte-range.js';
import type { ContinuationFlag } from './frame.js';

/** One chunk of a message. */
export interface Chunk {
  readonly body: Uint8Array;
  readonly byteRange: string;
  readonly flag: ContinuationFlag;
}

/** The chunks of `body` (non-empty) at `chunkSize` bytes each. */
export function chunkMessage(body: Uint8Array, chunkSize: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let offset = 0; offset < body.length; offset += chunkSize) {
    const piece = body.subarray(offset, Math.min(body.length, offset + chunkSize));
    const last = offset + piece.length >= body.length;
    chunks.push({
      body: piece,
      byteRange: formatByteRange({ start: offset + 1, end: offset + piece.length, total: body.length }),
      flag: last ? '$' : '+',
    });
  }
  return chunks;
}
