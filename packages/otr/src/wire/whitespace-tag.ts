/**
 * Whitespace tags (Protocol-v3, "Tagged plaintext messages"): 16 bytes of
 * spaces and tabs, then one 8-byte group per offered version, anywhere in a
 * plaintext message.
 */

/** The base tag. */
export const WHITESPACE_BASE = '\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20';
const VERSION_TAGS: ReadonlyMap<string, number> = new Map([
  ['\x20\x09\x20\x09\x20\x20\x09\x20', 1],
  ['\x20\x20\x09\x09\x20\x20\x09\x20', 2],
  ['\x20\x20\x09\x09\x20\x20\x09\x09', 3],
]);
const TAG_OF_VERSION = new Map([...VERSION_TAGS].map(([tag, version]) => [version, tag]));

/** Finds and strips a whitespace tag; `versions` is undefined when there is no tag. */
export function parseWhitespaceTag(text: string): { text: string; versions: Set<number> | undefined } {
  const at = text.indexOf(WHITESPACE_BASE);
  if (at < 0) return { text, versions: undefined };
  const versions = new Set<number>();
  let end = at + WHITESPACE_BASE.length;
  for (;;) {
    const group = text.slice(end, end + 8);
    if (group.length < 8 || !/^[ \t]{8}$/.test(group)) break;
    const version = VERSION_TAGS.get(group);
    if (version !== undefined) versions.add(version);
    end += 8;
  }
  return { text: text.slice(0, at) + text.slice(end), versions };
}

/** The tag offering `versions` (2 and/or 3). */
export function encodeWhitespaceTag(versions: readonly number[]): string {
  let tag = WHITESPACE_BASE;
  for (const version of [...versions].sort((a, b) => a - b)) tag += TAG_OF_VERSION.get(version) ?? '';
  return tag;
}
