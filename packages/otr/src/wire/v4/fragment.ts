/**
 * OTRv4 fragment syntax (otrv4.md, "Fragmentation", "Transmitting
 * Fragments"):
 *
 *   "?OTR|<identifier>|<sender tag>|<receiver tag>,<k>,<n>,<piece>,"
 *
 * The identifier is a 4-byte value chosen at random per fragmented message
 * so that reassembly never mixes fragments of different messages; it and
 * the tags are hexadecimal (1 to 8 digits, either case; we write "%08x").
 * k and n are decimal unsigned shorts with leading zeros allowed (we write
 * "%05hu"). As for v3 (wire/fragment.ts): k = 0, n = 0, k > n, values above
 * 65535, other characters, an empty piece and reserved instance tags are
 * refused. A v3 fragment ("?OTR|s|r,k,n,p,") is not a v4 one
 * (`bad-fragment`); callers try v4 first, then v3.
 */
import { DecodeError, UsageError } from '../../errors.js';
import { MAX_FRAGMENT_BYTES, MAX_FRAGMENT_COUNT } from '../../limits.js';
import { isValidReceiverTag, isValidSenderTag } from '../header.js';

/** A parsed v4 fragment. */
export interface V4Fragment {
  /** The identifier shared by the fragments of one message (unsigned 32-bit). */
  readonly identifier: number;
  readonly senderTag: number;
  readonly receiverTag: number;
  /** k, 1-based. */
  readonly index: number;
  /** n, the number of fragments. */
  readonly count: number;
  /** This fragment's piece of the `?OTR:...` text. */
  readonly piece: string;
}

/** The start of a v4 (and v3) fragment. */
export const V4_FRAGMENT_PREFIX = '?OTR|';
/** Characters of a v4 header as we write it, the final comma included. */
export const V4_FRAGMENT_OVERHEAD = 45;

/**
 * The fields before the piece, anchored: three hex fields, then k and n.
 * Bounded lengths keep the match linear in the fragment's size.
 */
const HEAD = /^\?OTR\|([0-9a-fA-F]{1,8})\|([0-9a-fA-F]{1,8})\|([0-9a-fA-F]{1,8}),([0-9]{1,16}),([0-9]{1,16}),/;
/** Longest header the pattern can match. */
const MAX_HEAD_CHARS = 5 + 3 * 9 + 2 * 17;

function parseCount(field: string | undefined): number | undefined {
  if (field === undefined) return undefined;
  const value = Number(field);
  return value >= 1 && value <= MAX_FRAGMENT_COUNT ? value : undefined;
}

/**
 * Parses a v4 fragment starting at index `at` of `text`; `end` is the index
 * just after its final comma (what follows is not looked at).
 */
export function decodeV4FragmentAt(text: string, at: number): { readonly fragment: V4Fragment; readonly end: number } | DecodeError {
  if (!text.startsWith(V4_FRAGMENT_PREFIX, at)) return new DecodeError('bad-fragment', 'not a fragment');
  const head = HEAD.exec(text.slice(at, at + MAX_HEAD_CHARS));
  if (head === null) return new DecodeError('bad-fragment', 'not a v4 fragment header');
  const [whole, identifierHex, senderHex, receiverHex, k, n] = head;
  const identifier = parseInt(identifierHex ?? '', 16);
  const senderTag = parseInt(senderHex ?? '', 16);
  const receiverTag = parseInt(receiverHex ?? '', 16);
  if (!isValidSenderTag(senderTag) || !isValidReceiverTag(receiverTag)) return new DecodeError('bad-instance-tag', 'fragment instance tag in the reserved range');
  const index = parseCount(k);
  const count = parseCount(n);
  if (index === undefined || count === undefined) return new DecodeError('bad-fragment', 'fragment numbers are not 1..65535');
  if (index > count) return new DecodeError('bad-fragment', 'fragment number k exceeds n');
  const pieceStart = at + whole.length;
  const limit = Math.min(text.length, at + MAX_FRAGMENT_BYTES);
  const comma = text.slice(0, limit).indexOf(',', pieceStart);
  if (comma < 0) {
    return text.length > at + MAX_FRAGMENT_BYTES ? new DecodeError('too-long', 'fragment too long') : new DecodeError('bad-fragment', 'fragment piece without final comma');
  }
  if (comma === pieceStart) return new DecodeError('bad-fragment', 'empty fragment piece');
  const piece = text.slice(pieceStart, comma);
  return { fragment: { identifier, senderTag, receiverTag, index, count, piece }, end: comma + 1 };
}

/** Parses a text that is exactly one v4 fragment. */
export function decodeV4Fragment(text: string): V4Fragment | DecodeError {
  if (text.length > MAX_FRAGMENT_BYTES) return new DecodeError('too-long', 'fragment too long');
  const parsed = decodeV4FragmentAt(text, 0);
  if (parsed instanceof DecodeError) return parsed;
  if (parsed.end !== text.length) return new DecodeError('trailing-bytes', 'text after the final comma of a fragment');
  return parsed.fragment;
}

const hex8 = (value: number): string => (value >>> 0).toString(16).padStart(8, '0');
const dec5 = (value: number): string => value.toString().padStart(5, '0');

/** Writes one v4 fragment ("%08x" identifier and tags, "%05hu" numbers). */
export function encodeV4Fragment(fragment: V4Fragment): string {
  return `${V4_FRAGMENT_PREFIX}${hex8(fragment.identifier)}|${hex8(fragment.senderTag)}|${hex8(fragment.receiverTag)},${dec5(fragment.index)},${dec5(fragment.count)},${fragment.piece},`;
}

/**
 * Splits `message` into v4 fragments of at most `maxSize` characters each,
 * header included, all carrying `identifier`. Throws {@link UsageError}
 * when `message` is empty or contains ",", when a header and one character
 * do not fit, when more than 65535 fragments would be needed, or for bad
 * tags or identifier.
 */
export function encodeV4Fragments(message: string, maxSize: number, identifier: number, senderTag: number, receiverTag: number): string[] {
  if (message.length === 0 || message.includes(',')) throw new UsageError('bad-fragment-input', 'only a non-empty text without "," can be fragmented');
  if (!isValidSenderTag(senderTag) || !isValidReceiverTag(receiverTag)) throw new UsageError('bad-instance-tag', 'instance tags must be >= 0x100 (receiver may be 0)');
  if (!Number.isInteger(identifier) || identifier < 0 || identifier > 0xffffffff) throw new UsageError('bad-fragment-input', 'the identifier is a 4-byte unsigned value');
  const pieceSize = Math.floor(maxSize) - V4_FRAGMENT_OVERHEAD;
  if (!(pieceSize >= 1)) throw new UsageError('max-size-too-small', `a v4 fragment needs more than ${V4_FRAGMENT_OVERHEAD} characters`);
  const count = Math.ceil(message.length / pieceSize);
  if (count > MAX_FRAGMENT_COUNT) throw new UsageError('too-large', 'message needs more than 65535 fragments at this maximum size');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(encodeV4Fragment({ identifier, senderTag, receiverTag, index: i + 1, count, piece: message.slice(i * pieceSize, (i + 1) * pieceSize) }));
  }
  return out;
}
