/** Recognising text that looks like OTR, for streams that do not speak it (a conference focus). */

/** The base of the OTR whitespace tag (Protocol-v3, "Tagged plaintext messages"). */
const WHITESPACE_TAG_BASE = ' \t  \t\t\t\t \t \t \t  ';

/** True for a query, error, data message or fragment marker, or a whitespace tag. */
export function looksLikeOtr(text: string): boolean {
  return text.includes('?OTR') || text.includes(WHITESPACE_TAG_BASE);
}
