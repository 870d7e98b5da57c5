/**
 * The Byte-Range header (RFC 4975 section 9):
 *
 *   Byte-Range = "Byte-Range:" SP range-start "-" range-end "/" total
 *   range-start = 1*DIGIT   range-end = 1*DIGIT / "*"   total = 1*DIGIT / "*"
 *
 * Positions count from 1. `1-0/0` is the range of an empty SEND.
 */

/** A parsed Byte-Range. `end` and `total` are `undefined` for `*`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number | undefined;
  readonly total: number | undefined;
}

/** Digits only, at most 15 of them (exact in a double). */
function count(text: string): number | undefined {
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : undefined;
}

/** Parses a Byte-Range value; `undefined` when malformed or inconsistent. Never throws. */
export function parseByteRange(value: string): ByteRange | undefined {
  const match = /^([0-9]+)-([0-9]+|\*)\/([0-9]+|\*)$/.exec(value.trim());
  if (match === null) return undefined;
  const [, startText = '', endText = '', totalText = ''] = match;
  const start = count(startText);
  const end = endText === '*' ? undefined : count(endText);
  const total = totalText === '*' ? undefined : count(totalText);
  if (start === undefined || start < 1) return undefined;
  if (endText !== '*' && end === undefined) return undefined;
  if (totalText !== '*' && total === undefined) return undefined;
  if (end !== undefined && end < start - 1) return undefined;
  if (end !== undefined && total !== undefined && end > total) return undefined;
  return { start, end, total };
}

/** The header value of a range (`*` for an unknown end or total). */
export function formatByteRange(range: ByteRange): string {
  return `${range.start}-${range.end ?? '*'}/${range.total ?? '*'}`;
}
