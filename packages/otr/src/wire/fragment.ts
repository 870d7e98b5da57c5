/**
 * Fragment syntax (Protocol-v3, "Fragmentation"):
 *
 *   version 3: "?OTR|<sender tag>|<receiver tag>,<k>,<n>,<piece>,"
 *   version 2: "?OTR,<k>,<n>,<piece>,"
 *
 * Tags are hexadecimal (1 to 8 digits, either case; libotr writes "%08x").
 * k and n are decimal unsigned shorts; leading zeros are allowed (libotr
 * writes "%05hu"). k = 0, n = 0, k > n, n > 65535, signs, spaces or other
 * non-digits, and an empty piece or one containing "," are rejected. A v3
 * sender tag below 0x100 or a receiver tag in 1..0xff is `bad-instance-tag`
 * (Protocol-v3, "Instance Tags").
 *
 * Splitting writes libotr's zero-padded form, so a v3 header takes exactly
 * 36 characters with the final comma and a v2 header 18, and greedily fills
 * every fragment to the maximum size (the last one takes the rest).
 */
import { DecodeError, UsageError } from '../errors.js';
import { MAX_FRAGMENT_BYTES, MAX_FRAGMENT_COUNT } from '../limits.js';
import { isValidReceiverTag, isValidSenderTag, type ProtocolVersion } from './header.js';

/** A parsed fragment. Version 2 fragments have tags 0. */
export interface Fragment {
  readonly version: ProtocolVersion;
  readonly senderTag: number;
  readonly receiverTag: number;
  /** k, 1-based. */
  readonly index: number;
  /** n, the number of fragments. */
  readonly count: number;
  /** This fragment's piece of the `?OTR:...` text. */
  readonly piece: string;
}

/** The start of a version 3 fragment. */
export const V3_FRAGMENT_PREFIX = '?OTR|';
/** The start of a version 2 fragment. */
export const V2_FRAGMENT_PREFIX = '?OTR,';
/** Characters of a v3 header as we write it, the final comma included. */
export const V3_FRAGMENT_OVERHEAD = 36;
/** Characters of a v2 header as we write it, the final comma included. */
export const V2_FRAGMENT_OVERHEAD = 18;

const HEX_TAG = /^[0-9a-fA-F]{1,8}$/;
const DIGITS = /^[0-9]+$/;

/** True when `text` starts with a fragment marker (then {@link decodeFragment} decides). */
export function looksLikeFragment(text: string): boolean {
  return text.startsWith(V3_FRAGMENT_PREFIX) || text.startsWith(V2_FRAGMENT_PREFIX);
}

/** Hex digits of an instance tag at most; a longer field is refused without reading on. */
const MAX_TAG_DIGITS = 8;

/**
 * A cursor that never looks past `limit` (the end of the longest fragment
 * that could start where it began). Each search is bounded, so trying every
 * "?OTR|" of a long text costs time in proportion to the text, not to the
 * number of markers times the text.
 */
class Cursor {
  constructor(
    readonly text: string,
    public at: number,
    readonly limit: number,
  ) {}

  /** The text up to the next `terminator` within `maxLength` characters (and the limit), consuming both; else undefined. */
  until(terminator: string, maxLength = Infinity): string | undefined {
    const stop = Math.min(this.limit, this.at + maxLength + terminator.length);
    const end = this.text.slice(0, stop).indexOf(terminator, this.at);
    if (end < 0) return undefined;
    const field = this.text.slice(this.at, end);
    this.at = end + terminator.length;
    return field;
  }
}

/** A decimal k or n: digits only, leading zeros allowed, value 1..65535; else undefined. */
function parseShort(field: string | undefined): number | undefined {
  if (field === undefined || !DIGITS.test(field)) return undefined;
  const significant = field.replace(/^0+/, '');
  if (significant.length > 5) return undefined;
  const value = significant.length === 0 ? 0 : Number(significant);
  return value >= 1 && value <= MAX_FRAGMENT_COUNT ? value : undefined;
}

/**
 * Parses a fragment starting at index `at` of `text`; `end` is the index just
 * after its final comma (what follows is not looked at).
 */
export function decodeFragmentAt(text: string, at: number): { readonly fragment: Fragment; readonly end: number } | DecodeError {
  let version: ProtocolVersion;
  let senderTag = 0;
  let receiverTag = 0;
  // One character past the longest fragment, so "too long" is told apart from "no final comma".
  const cursor = new Cursor(text, at, at + MAX_FRAGMENT_BYTES + 1);
  if (text.startsWith(V3_FRAGMENT_PREFIX, at)) {
    version = 3;
    cursor.at += V3_FRAGMENT_PREFIX.length;
    const sender = cursor.until('|', MAX_TAG_DIGITS);
    const receiver = sender === undefined ? undefined : cursor.until(',', MAX_TAG_DIGITS);
    if (sender === undefined || receiver === undefined || !HEX_TAG.test(sender) || !HEX_TAG.test(receiver)) {
      return new DecodeError('bad-fragment', 'fragment instance tags are not 1 to 8 hex digits');
    }
    senderTag = parseInt(sender, 16);
    receiverTag = parseInt(receiver, 16);
    if (!isValidSenderTag(senderTag) || !isValidReceiverTag(receiverTag)) {
      return new DecodeError('bad-instance-tag', 'fragment instance tag in the reserved range');
    }
  } else if (text.startsWith(V2_FRAGMENT_PREFIX, at)) {
    version = 2;
    cursor.at += V2_FRAGMENT_PREFIX.length;
  } else {
    return new DecodeError('bad-fragment', 'not a fragment');
  }
  const index = parseShort(cursor.until(','));
  const count = index === undefined ? undefined : parseShort(cursor.until(','));
  if (index === undefined || count === undefined) return new DecodeError('bad-fragment', 'fragment numbers are not 1..65535');
  if (index > count) return new DecodeError('bad-fragment', 'fragment number k exceeds n');
  const piece = cursor.until(',');
  if (piece === undefined) {
    return text.length >= cursor.limit
      ? new DecodeError('too-long', 'fragment too long')
      : new DecodeError('bad-fragment', 'fragment piece without final comma');
  }
  if (piece.length === 0) return new DecodeError('bad-fragment', 'empty fragment piece');
  if (cursor.at - at > MAX_FRAGMENT_BYTES) return new DecodeError('too-long', 'fragment too long');
  return { fragment: { version, senderTag, receiverTag, index, count, piece }, end: cursor.at };
}

/** Parses a text that is exactly one fragment (nothing before or after it). */
export function decodeFragment(text: string): Fragment | DecodeError {
  if (text.length > MAX_FRAGMENT_BYTES) return new DecodeError('too-long', 'fragment too long');
  const parsed = decodeFragmentAt(text, 0);
  if (parsed instanceof DecodeError) return parsed;
  if (parsed.end !== text.length) return new DecodeError('trailing-bytes', 'text after the final comma of a fragment');
  return parsed.fragment;
}

const pad = (value: number, width: number, radix = 10): string => value.toString(radix).padStart(width, '0');

/** Writes one fragment as libotr does ("%08x" tags, "%05hu" numbers). */
export function encodeFragment(fragment: Fragment): string {
  const numbers = `${pad(fragment.index, 5)},${pad(fragment.count, 5)},${fragment.piece},`;
  return fragment.version === 3
    ? `${V3_FRAGMENT_PREFIX}${pad(fragment.senderTag, 8, 16)}|${pad(fragment.receiverTag, 8, 16)},${numbers}`
    : `${V2_FRAGMENT_PREFIX}${numbers}`;
}

/**
 * Splits `message` into fragments of at most `maxSize` characters each,
 * header included. Throws {@link UsageError} when `message` is empty or
 * contains ",", when a header and one character do not fit in `maxSize`,
 * when more than 65535 fragments would be needed, or for bad tags.
 */
export function encodeFragments(message: string, maxSize: number, version: ProtocolVersion, senderTag: number, receiverTag: number): string[] {
  if (message.length === 0 || message.includes(',')) throw new UsageError('bad-fragment-input', 'only a non-empty text without "," can be fragmented');
  if (version === 3 && (!isValidSenderTag(senderTag) || !isValidReceiverTag(receiverTag))) {
    throw new UsageError('bad-instance-tag', 'instance tags must be >= 0x100 (receiver may be 0)');
  }
  const overhead = version === 3 ? V3_FRAGMENT_OVERHEAD : V2_FRAGMENT_OVERHEAD;
  const pieceSize = Math.floor(maxSize) - overhead;
  if (!(pieceSize >= 1)) throw new UsageError('max-size-too-small', `a fragment needs more than ${overhead} characters`);
  const count = Math.ceil(message.length / pieceSize);
  if (count > MAX_FRAGMENT_COUNT) throw new UsageError('too-large', 'message needs more than 65535 fragments at this maximum size');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const piece = message.slice(i * pieceSize, (i + 1) * pieceSize);
    out.push(encodeFragment({ version, senderTag, receiverTag, index: i + 1, count, piece }));
  }
  return out;
}
