/**
 * OTR error messages (Protocol-v3, "OTR Error Messages"): any message
 * containing "?OTR Error:" is one, and the rest of it is human-readable.
 * libotr writes "?OTR Error: " and the text. OTRv4 peers put a code first
 * ("?OTR Error: ERROR_2: Not in private state message"); it is split off
 * when present but the whole thing stays readable as plain text.
 */

/** The marker of an error message. */
export const ERROR_PREFIX = '?OTR Error:';

/** A parsed error message. */
export interface ErrorMessage {
  /** The human-readable text after the marker, trimmed (includes any code). */
  readonly text: string;
  /** An OTRv4-style code such as "ERROR_1", when the text starts with one. */
  readonly code?: string;
  /** Where the marker was found. */
  readonly start: number;
}

const V4_CODE = /^(ERROR_\d{1,4}):/;

/** Parses the first error message marker in `text`, or undefined. */
export function decodeErrorMessage(text: string): ErrorMessage | undefined {
  const start = text.indexOf(ERROR_PREFIX);
  if (start < 0) return undefined;
  const rest = text.slice(start + ERROR_PREFIX.length).trim();
  const code = V4_CODE.exec(rest)?.[1];
  return code === undefined ? { text: rest, start } : { text: rest, code, start };
}

/** The human-readable part of an error message, or undefined when `text` is not one. */
export function parseErrorMessage(text: string): string | undefined {
  return decodeErrorMessage(text)?.text;
}

/** Encodes an error message as libotr does ("?OTR Error: " then the text). */
export function encodeErrorMessage(text: string): string {
  return `${ERROR_PREFIX} ${text}`;
}
