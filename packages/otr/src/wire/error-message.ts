/** OTR error messages (Protocol-v3, "OTR Error Messages"): any message containing "?OTR Error:". */

/** The marker of an error message. */
export const ERROR_PREFIX = '?OTR Error:';

/** The human-readable part of an error message, or undefined when `text` is not one. */
export function parseErrorMessage(text: string): string | undefined {
  const at = text.indexOf(ERROR_PREFIX);
  if (at < 0) return undefined;
  return text.slice(at + ERROR_PREFIX.length).trim();
}

/** Encodes an error message as libotr does ("?OTR Error: " then the text). */
export function encodeErrorMessage(text: string): string {
  return `${ERROR_PREFIX} ${text}`;
}
