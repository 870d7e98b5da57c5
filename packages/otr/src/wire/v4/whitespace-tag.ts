/**
 * The OTRv4 whitespace tag (otrv4.md, "Whitespace Tags"): the 16-byte base
 * of wire/whitespace-tag.ts followed by 8-byte version groups, where
 * "\x20\x20\x09\x09\x20\x09\x20\x20" offers version 4. wire/whitespace-tag.ts
 * already steps over every 8-byte group of spaces and tabs; these functions
 * add the version 4 group to what it reads and writes.
 *
 * Query messages need nothing new: wire/query.ts reads "?OTRv34?" as
 * versions 3 and 4, "?OTRv45x?" as 4 and 5, and "?OTRv?4?" as a query with
 * no version (the spec calls it invalid and says not to answer; an empty
 * offer gets no answer either). encodeQueryTag([3, 4]) writes "?OTRv34?".
 */
import { findWhitespaceTag, WHITESPACE_BASE, WHITESPACE_VERSION_TAGS, type WhitespaceTagMatch } from '../whitespace-tag.js';

/** The 8-byte group offering version 4. */
export const WHITESPACE_TAG_V4 = '\x20\x20\x09\x09\x20\x09\x20\x20';

/** Finds the first whitespace tag in `text`, reading the version 4 group too; undefined if none. */
export function findWhitespaceTagV4(text: string): WhitespaceTagMatch | undefined {
  const match = findWhitespaceTag(text);
  if (match === undefined) return undefined;
  const versions = new Set(match.versions);
  for (let at = match.start + WHITESPACE_BASE.length; at + 8 <= match.end; at += 8) {
    if (text.slice(at, at + 8) === WHITESPACE_TAG_V4) versions.add(4);
  }
  return { ...match, versions };
}

/** The tag offering `versions` (1, 2, 3 and 4; others are left out), in increasing order. */
export function encodeWhitespaceTagV4(versions: Iterable<number>): string {
  let tag = WHITESPACE_BASE;
  for (const version of [...new Set(versions)].sort((a, b) => a - b)) {
    tag += version === 4 ? WHITESPACE_TAG_V4 : (WHITESPACE_VERSION_TAGS.get(version) ?? '');
  }
  return tag;
}
