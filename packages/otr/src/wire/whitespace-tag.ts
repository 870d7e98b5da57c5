/**
 * Whitespace tags (Protocol-v3, "Tagged plaintext messages"): a 16-byte base
 * tag of spaces and tabs, then one 8-byte group per offered version, anywhere
 * in a plaintext message.
 *
 * | base | " \t  \t\t\t\t \t \t \t  " (16 bytes) |
 * | v1   | " \t \t  \t "  (must come first if present)  |
 * | v2   | "  \t\t  \t "                                |
 * | v3   | "  \t\t  \t\t"                               |
 *
 * Like libotr's otrl_proto_whitespace_bestversion, every 8-byte group of
 * spaces and tabs right after the base tag belongs to the tag (unknown
 * groups are skipped, for future versions), and only the first base tag
 * in the message counts.
 */

/** The base tag. */
export const WHITESPACE_BASE = '\x20\x09\x20\x20\x09\x09\x09\x09\x20\x09\x20\x09\x20\x09\x20\x20';
/** The version groups, by version. */
export const WHITESPACE_VERSION_TAGS: ReadonlyMap<number, string> = new Map([
  [1, '\x20\x09\x20\x09\x20\x20\x09\x20'],
  [2, '\x20\x20\x09\x09\x20\x20\x09\x20'],
  [3, '\x20\x20\x09\x09\x20\x20\x09\x09'],
]);
const VERSION_OF_TAG: ReadonlyMap<string, number> = new Map([...WHITESPACE_VERSION_TAGS].map(([version, tag]) => [tag, version]));
const GROUP = /^[ \t]{8}$/;

/** A found whitespace tag. */
export interface WhitespaceTagMatch {
  /** The message with the tag removed. */
  readonly text: string;
  /** The versions the tag offers (possibly none). */
  readonly versions: ReadonlySet<number>;
  /** Where the tag was, in the original text. */
  readonly start: number;
  readonly end: number;
}

/** Finds the first whitespace tag in `text`, or undefined. */
export function findWhitespaceTag(text: string): WhitespaceTagMatch | undefined {
  const start = text.indexOf(WHITESPACE_BASE);
  if (start < 0) return undefined;
  const versions = new Set<number>();
  let end = start + WHITESPACE_BASE.length;
  for (;;) {
    const group = text.slice(end, end + 8);
    if (!GROUP.test(group)) break;
    const version = VERSION_OF_TAG.get(group);
    if (version !== undefined) versions.add(version);
    end += 8;
  }
  return { text: text.slice(0, start) + text.slice(end), versions, start, end };
}

/** Finds and strips a whitespace tag; `versions` is undefined when there is no tag. */
export function parseWhitespaceTag(text: string): { text: string; versions: Set<number> | undefined } {
  const match = findWhitespaceTag(text);
  return match === undefined ? { text, versions: undefined } : { text: match.text, versions: new Set(match.versions) };
}

/** The tag offering `versions` (unknown versions are left out; version 1 first, as the spec requires). */
export function encodeWhitespaceTag(versions: Iterable<number>): string {
  let tag = WHITESPACE_BASE;
  for (const version of [...new Set(versions)].sort((a, b) => a - b)) tag += WHITESPACE_VERSION_TAGS.get(version) ?? '';
  return tag;
}
