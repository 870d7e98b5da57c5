/**
 * Fragment syntax (Protocol-v3, "Fragmentation"):
 *   v3: "?OTR|sender|receiver,k,n,piece,"  (tags in hex)
 *   v2: "?OTR,k,n,piece,"
 * k and n are unsigned shorts, leading zeros allowed; k = 0, n = 0, k > n and
 * empty pieces are illegal. Splitting writes libotr's zero-padded form, so a
 * header takes at most 36 characters with the trailing comma.
 */
import { DecodeError } from '../errors.js';
import { MAX_FRAGMENT_BYTES, MAX_FRAGMENT_COUNT } from '../limits.js';

/** A parsed fragment. v2 fragments have tags 0. */
export interface Fragment {
  readonly version: 2 | 3;
  readonly senderTag: number;
  readonly receiverTag: number;
  readonly index: number;
  readonly count: number;
  readonly piece: string;
}

const V3 = /^\?OTR\|([0-9a-fA-F]{1,8})\|([0-9a-fA-F]{1,8}),(\d{1,10}),(\d{1,10}),([^,]+),$/;
const V2 = /^\?OTR,(\d{1,10}),(\d{1,10}),([^,]+),$/;

/** Characters of a v3 header with zero-padded numbers and the trailing comma. */
export const V3_FRAGMENT_OVERHEAD = 36;
/** Characters of a v2 header with zero-padded numbers and the trailing comma. */
export const V2_FRAGMENT_OVERHEAD = 19;

/** True when `text` claims to be a fragment (then {@link decodeFragment} decides). */
export function looksLikeFragment(text: string): boolean {
  return text.startsWith('?OTR|') || text.startsWith('?OTR,');
}

/** Parses a fragment. */
export function decodeFragment(text: string): Fragment | DecodeError {
  if (text.length > MAX_FRAGMENT_BYTES) return new DecodeError('too-long', 'fragment too long');
  const v3 = V3.exec(text);
  const v2 = v3 === null ? V2.exec(text) : null;
  if (v3 === null && v2 === null) return new DecodeError('bad-fragment', 'not a fragment');
  const [senderHex, receiverHex, k, n, piece] = v3 !== null ? v3.slice(1) : ['0', '0', ...(v2 ?? []).slice(1)];
  const index = Number(k);
  const count = Number(n);
  if (!(index >= 1 && count >= 1 && index <= count && count <= MAX_FRAGMENT_COUNT)) {
    return new DecodeError('bad-fragment', 'fragment numbers out of range');
  }
  if (piece === undefined || piece.length === 0) return new DecodeError('bad-fragment', 'empty piece');
  return {
    version: v3 !== null ? 3 : 2,
    senderTag: parseInt(senderHex ?? '0', 16),
    receiverTag: parseInt(receiverHex ?? '0', 16),
    index,
    count,
    piece,
  };
}

const pad = (value: number, width: number, radix = 10): string => value.toString(radix).padStart(width, '0');

/**
 * Splits an encoded message into fragments of at most `maxSize` characters.
 * Returns undefined when it would need more than 65535 fragments.
 */
export function encodeFragments(message: string, maxSize: number, version: 2 | 3, senderTag: number, receiverTag: number): string[] | undefined {
  const overhead = version === 3 ? V3_FRAGMENT_OVERHEAD : V2_FRAGMENT_OVERHEAD;
  const pieceSize = maxSize - overhead;
  if (pieceSize < 1) return undefined;
  const count = Math.ceil(message.length / pieceSize);
  if (count > MAX_FRAGMENT_COUNT) return undefined;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const piece = message.slice(i * pieceSize, (i + 1) * pieceSize);
    const numbers = `${pad(i + 1, 5)},${pad(count, 5)},${piece},`;
    out.push(version === 3 ? `?OTR|${pad(senderTag, 8, 16)}|${pad(receiverTag, 8, 16)},${numbers}` : `?OTR,${numbers}`);
  }
  return out;
}
