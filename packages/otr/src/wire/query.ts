/**
 * Query messages (Protocol-v3, "OTR Query Messages"): "?OTR" followed by "?"
 * when version 1 is offered and/or "v" with version characters then "?".
 * Every historical spelling is read ("?OTR?", "?OTRv2?", "?OTR?v23?",
 * "?OTRv23?", "?OTR?v?", "?OTRv?"); unknown version characters are skipped.
 */

/** The explanatory text libotr sends with its query message. */
export const QUERY_EXPLANATION =
  ' has requested an Off-the-Record private conversation. However, you do not have a plugin to support that.';

/** Finds a query in `text`; returns the offered versions (1 for v1), or undefined if there is none. */
export function parseQuery(text: string): Set<number> | undefined {
  let from = 0;
  for (;;) {
    const at = text.indexOf('?OTR', from);
    if (at < 0) return undefined;
    let cursor = at + 4;
    const versions = new Set<number>();
    let isQuery = false;
    if (text[cursor] === '?') {
      versions.add(1);
      isQuery = true;
      cursor++;
    }
    if (text[cursor] === 'v') {
      const close = text.indexOf('?', cursor + 1);
      if (close >= 0 && close - cursor <= 16) {
        isQuery = true;
        for (const ch of text.slice(cursor + 1, close)) {
          if (ch >= '1' && ch <= '9') versions.add(Number(ch));
        }
      }
    }
    if (isQuery) return versions;
    from = at + 4;
  }
}

/** Encodes a query offering `versions` (e.g. [3, 2] gives "?OTRv23?"), with libotr's explanation. */
export function encodeQueryMessage(versions: readonly number[], explanation = QUERY_EXPLANATION): string {
  const sorted = [...new Set(versions)].filter((v) => v >= 2).sort((a, b) => a - b);
  return `?OTRv${sorted.join('')}?\n${explanation.trimStart()}`;
}
