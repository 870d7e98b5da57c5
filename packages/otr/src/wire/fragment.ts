/**
 * Fragment syntax (Protocol-v3, "Fragmentation"; OTRv4, "Fragmentation"):
 *
 *   version 4: "?OTR|<identifier>|<sender tag>|<receiver tag>,<k>,<n>,<piece>,"
 *   version 3: "?OTR|<sender tag>|<receiver tag>,<k>,<n>,<piece>,"
 *   version 2: "?OTR,<k>,<n>,<piece>,"
 *
 * Versions 3 and 4 share the "?OTR|" marker and are told apart by the
 * number of hexadecimal fields before the first comma: three for version 4,
 * two for version 3. The version 4 identifier is the sender's random 4-byte
 * value naming one fragmented message ("%x", like the tags), so that
 * fragments of different messages are never mixed; any value is accepted.
 *
 * Identifier and tags are hexadecimal (1 to 8 digits, either case; libotr
 * writes "%08x", otr4j "%08x" for all three). k and n are decimal unsigned
 * shorts; leading zeros are allowed (libotr and otr4j write "%05hu"). k = 0,
 * n = 0, k > n, n > 65535, signs, spaces or other non-digits, and an empty
 * piece or one containing "," are rejected. A v3 or v4 sender tag below
 * 0x100 or a receiver tag in 1..0xff is `bad-instance-tag` (Protocol-v3,
 * "Instance Tags"; OTRv4, "Instance Tags").
 *
 * Splitting writes the zero-padded form, so a v4 header takes exactly 45
 * characters with the final comma, a v3 header 36 and a v2 header 18, and
 * greedily fills every fragment to the maximum size (the last one takes the
 * rest).
 */
import { DecodeError, UsageError } from '../errors.js';
import { MAX_FRAGMENT_BYTES, MAX_FRAGMENT_COUNT } from '../limits.js';
import { isValidReceiverTag, isValidSenderTag, type ProtocolVersion } from './header.js';

/** Versions with a fragment syntax: all of them. */
export type FragmentVersion = ProtocolVersion;

/** What every fragment carries. Version 2 fragments have tags 0. */
interface FragmentFields {
  readonly senderTag: number;
  readonly receiverTag: number;
  /** k, 1-based. */
  readonly index: number;
  /** n, the number of fragments. */
  readonly count: number;
  /** This fragment's piece of the `?OTR:...` text. */
  readonly piece: string;
}

/** A parsed fragment; version 4 fragments name their message with an identifier. */
export type Fragment =
  | (FragmentFields & { readonly version: Exclude<FragmentVersion, 4> })
  | (FragmentFields & { readonly version: 4; readonly identifier: number });

/** The start of a version 3 or 4 fragment. */
export const V3_FRAGMENT_PREFIX = '?OTR|';
/** The start of a version 2 fragment. */
export const V2_FRAGMENT_PREFIX = '?OTR,';
/** Characters of a v3 header as we write it, the final comma included. */
export const V3_FRAGMENT_OVERHEAD = 36;
/** Characters of a v2 header as we write it, the final comma included. */
export const V2_FRAGMENT_OVERHEAD = 18;
/** Characters of a v4 header as we write it, the final comma included. */
export const V4_FRAGMENT_OVERHEAD = 45;

/**
 * The hex fields after "?OTR|" up to the first comma: two (v3 tags) or three
 * (v4 identifier and tags), each 1 to 8 digits. Sticky and bounded: at most
 * 27 characters are looked at.
 */
const HEX_FIELDS = /([0-9a-fA-F]{1,8})\|([0-9a-fA-F]{1,8})(?:\|([0-9a-fA-F]{1,8}))?,/y;
const DIGITS = /^[0-9]+$/;

/** True when `text` starts with a fragment marker (then {@link decodeFragment} decides). */
export function looksLikeFragment(text: string): boolean {
  return text.startsWith(V3_FRAGMENT_PREFIX) || text.startsWith(V2_FRAGMENT_PREFIX);
}

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
  let version: FragmentVersion;
  let identifier = 0;
  let senderTag = 0;
  let receiverTag = 0;
  // One character past the longest fragment, so "too long" is told apart from "no final comma".
  const cursor = new Cursor(text, at, at + MAX_FRAGMENT_BYTES + 1);
  if (text.startsWith(V3_FRAGMENT_PREFIX, at)) {
    HEX_FIELDS.lastIndex = at + V3_FRAGMENT_PREFIX.length;
    const fields = HEX_FIELDS.exec(text);
    if (fields === null || HEX_FIELDS.lastIndex > cursor.limit) {
      return new DecodeError('bad-fragment', 'fragment identifier and instance tags are not 1 to 8 hex digits');
    }
    cursor.at = HEX_FIELDS.lastIndex;
    const [, first = '', second = '', third] = fields;
    if (third === undefined) {
      version = 3;
      senderTag = parseInt(first, 16);
      receiverTag = parseInt(second, 16);
    } else {
      version = 4;
      identifier = parseInt(first, 16);
      senderTag = parseInt(second, 16);
      receiverTag = parseInt(third, 16);
    }
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
  const fragment: Fragment =
    version === 4 ? { version, identifier, senderTag, receiverTag, index, count, piece } : { version, senderTag, receiverTag, index, count, piece };
  return { fragment, end: cursor.at };
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

/** Writes one fragment as libotr and otr4j do ("%08x" identifier and tags, "%05hu" numbers). */
export function encodeFragment(fragment: Fragment): string {
  const numbers = `${pad(fragment.index, 5)},${pad(fragment.count, 5)},${fragment.piece},`;
  const tags = `${pad(fragment.senderTag, 8, 16)}|${pad(fragment.receiverTag, 8, 16)},${numbers}`;
  switch (fragment.version) {
    case 4:
      return `${V3_FRAGMENT_PREFIX}${pad(fragment.identifier, 8, 16)}|${tags}`;
    case 3:
      return `${V3_FRAGMENT_PREFIX}${tags}`;
    case 2:
      return `${V2_FRAGMENT_PREFIX}${numbers}`;
  }
}

const OVERHEAD: Readonly<Record<FragmentVersion, number>> = { 2: V2_FRAGMENT_OVERHEAD, 3: V3_FRAGMENT_OVERHEAD, 4: V4_FRAGMENT_OVERHEAD };

/** True for a v4 fragment identifier: an unsigned 32-bit number. */
export function isValidFragmentIdentifier(identifier: number): boolean {
  return Number.isInteger(identifier) && identifier >= 0 && identifier <= 0xffffffff;
}

/**
 * Splits `message` into fragments of at most `maxSize` characters each,
 * header included; version 4 fragments carry `identifier` (the caller draws
 * a fresh random one per message). Throws {@link UsageError} when `message`
 * is empty or contains ",", when a header and one character do not fit in
 * `maxSize`, when more than 65535 fragments would be needed, or for bad
 * tags or a missing or bad identifier.
 */
export function encodeFragments(
  message: string,
  maxSize: number,
  version: FragmentVersion,
  senderTag: number,
  receiverTag: number,
  identifier?: number,
): string[] {
  if (message.length === 0 || message.includes(',')) throw new UsageError('bad-fragment-input', 'only a non-empty text without "," can be fragmented');
  if (version !== 2 && (!isValidSenderTag(senderTag) || !isValidReceiverTag(receiverTag))) {
    throw new UsageError('bad-instance-tag', 'instance tags must be >= 0x100 (receiver may be 0)');
  }
  if (version === 4 && (identifier === undefined || !isValidFragmentIdentifier(identifier))) {
    throw new UsageError('bad-fragment-input', 'a version 4 fragment needs an identifier of 0 to 0xffffffff');
  }
  const overhead = OVERHEAD[version];
  const pieceSize = Math.floor(maxSize) - overhead;
  if (!(pieceSize >= 1)) throw new UsageError('max-size-too-small', `a fragment needs more than ${overhead} characters`);
  const count = Math.ceil(message.length / pieceSize);
  if (count > MAX_FRAGMENT_COUNT) throw new UsageError('too-large', 'message needs more than 65535 fragments at this maximum size');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const piece = message.slice(i * pieceSize, (i + 1) * pieceSize);
    const fields = { senderTag, receiverTag, index: i + 1, count, piece };
    out.push(encodeFragment(version === 4 ? { version, identifier: identifier ?? 0, ...fields } : { version, ...fields }));
  }
  return out;
}
