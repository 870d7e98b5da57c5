/**
 * Query messages (Protocol-v3, "OTR Query Messages"): "?OTR", then "?" if
 * version 1 is offered, then optionally "v", the version characters and "?".
 * Every historical spelling is read:
 *
 * | "?OTR?"      | version 1                        |
 * | "?OTRv2?"    | version 2                        |
 * | "?OTRv23?"   | versions 2 and 3                 |
 * | "?OTR?v23?"  | versions 1, 2 and 3              |
 * | "?OTR?v?"    | version 1                        |
 * | "?OTRv?"     | no version at all (still a query)|
 * | "?OTRv24x?"  | 2 and 4; "x" is skipped          |
 *
 * As in libotr's otrl_proto_query_bestversion, the query may stand anywhere
 * in the text. Unlike libotr, "?OTRv" without a closing "?" is not a query
 * (libotr would swallow a plaintext like "?OTRvery"), and neither is "?OTR"
 * followed by anything else. Digits inside the "v...?" list are versions;
 * "1" there means nothing (version 1 is only the leading "?").
 */

/** Where a query was found and what it offers. */
export interface QueryMatch {
  /** Offered versions: 1 for the leading "?", then every digit 2..9 in the list. */
  readonly versions: ReadonlySet<number>;
  /** Index of "?OTR" in the text. */
  readonly start: number;
  /** Index just after the query. */
  readonly end: number;
}

const QUERY_MARK = '?OTR';

/** Parses a query starting at `at` (where "?OTR" stands), or undefined. */
export function parseQueryAt(text: string, at: number): QueryMatch | undefined {
  if (!text.startsWith(QUERY_MARK, at)) return undefined;
  let cursor = at + QUERY_MARK.length;
  const versions = new Set<number>();
  let isQuery = false;
  if (text[cursor] === '?') {
    versions.add(1);
    isQuery = true;
    cursor++;
  }
  if (text[cursor] === 'v') {
    const close = text.indexOf('?', cursor + 1);
    if (close >= 0) {
      for (const ch of text.slice(cursor + 1, close)) {
        if (ch >= '2' && ch <= '9') versions.add(Number(ch));
      }
      isQuery = true;
      cursor = close + 1;
    }
  }
  return isQuery ? { versions, start: at, end: cursor } : undefined;
}

/** Finds the first query anywhere in `text`. */
export function findQuery(text: string): QueryMatch | undefined {
  for (let at = text.indexOf(QUERY_MARK); at >= 0; at = text.indexOf(QUERY_MARK, at + 1)) {
    const match = parseQueryAt(text, at);
    if (match !== undefined) return match;
  }
  return undefined;
}

/** The versions offered by the first query in `text`, or undefined if there is none. */
export function parseQuery(text: string): Set<number> | undefined {
  const match = findQuery(text);
  return match === undefined ? undefined : new Set(match.versions);
}

/** The version tag of a query: "?OTR" + ("?" for 1) + "v" + digits + "?". */
export function encodeQueryTag(versions: Iterable<number>): string {
  const unique = [...new Set(versions)].filter((v) => Number.isInteger(v) && v >= 1 && v <= 9).sort((a, b) => a - b);
  const others = unique.filter((v) => v >= 2);
  return `${QUERY_MARK}${unique.includes(1) ? '?' : ''}${others.length > 0 || !unique.includes(1) ? `v${others.join('')}?` : ''}`;
}

/** HTML-escapes an account name for the explanation text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);
}

/**
 * The explanation libotr's otrl_proto_default_query_msg sends after the tag,
 * for peers without OTR, naming the sender's account. libotr inserts the
 * name unescaped; we escape HTML in it, which changes nothing for ordinary
 * account names.
 */
export function queryExplanation(accountName: string): string {
  return (
    `<b>${escapeHtml(accountName)}</b> has requested an <a href="https://otr.cypherpunks.ca/">Off-the-Record ` +
    'private conversation</a>.  However, you do not have a plugin to support that.\n' +
    'See <a href="https://otr.cypherpunks.ca/">https://otr.cypherpunks.ca/</a> for more information.'
  );
}

/**
 * The explanation used when no account name is given: plain text and short
 * enough that tag and text fit a 140-character transport, since query
 * messages are never fragmented.
 */
export const QUERY_EXPLANATION = 'Your contact has requested an Off-the-Record private conversation, but you do not have a plugin to support that.';

/**
 * A query message: the tag (e.g. "?OTRv23?"), a newline and an explanation.
 * With `accountName` it is libotr's text, byte-identical for that name;
 * without, the short {@link QUERY_EXPLANATION}.
 */
export function encodeQueryMessage(versions: readonly number[], accountName?: string): string {
  return `${encodeQueryTag(versions)}\n${accountName === undefined ? QUERY_EXPLANATION : queryExplanation(accountName)}`;
}
