/**
 * OTRv4 error messages (otrv4.md, "OTR Error Messages"): "?OTR Error: "
 * at the START of the message (not anywhere, unlike v3), then optionally a
 * code and ": ", then human-readable text:
 *
 * | ERROR_1 | the message is undecryptable    | "Unreadable message"           |
 * | ERROR_2 | not in an encrypted state       | "Not in private state message" |
 * | ERROR_3 | the instance tags do not match  | "Malformed message"            |
 *
 * otr4j writes "?OTR Error: ERROR_1: <text>" and reads the code with
 * "(ERROR_\d+):\s(.*)" after the marker (MessageProcessor).
 */

/** The marker, as the spec writes it. */
export const V4_ERROR_PREFIX = '?OTR Error:';

/** The codes the spec defines, with the texts it gives them. */
export const V4_ERROR_TEXT = {
  ERROR_1: 'Unreadable message',
  ERROR_2: 'Not in private state message',
  ERROR_3: 'Malformed message',
} as const;

/** One of the spec's error codes. */
export type V4ErrorCode = keyof typeof V4_ERROR_TEXT;

/** A parsed v4 error message. */
export interface V4ErrorMessage {
  /** The code when the text starts with one of the spec's codes. */
  readonly code?: V4ErrorCode;
  /** Another "ERROR_<digits>" code, kept as text (future codes). */
  readonly otherCode?: string;
  /** The human-readable part, trimmed, the code removed. */
  readonly text: string;
}

const CODE = /^(ERROR_\d{1,9}):\s*/;
const isKnownCode = (code: string): code is V4ErrorCode => Object.hasOwn(V4_ERROR_TEXT, code);

/** Parses `text` as a v4 error message; undefined when it does not start with the marker. */
export function decodeV4ErrorMessage(text: string): V4ErrorMessage | undefined {
  if (!text.startsWith(V4_ERROR_PREFIX)) return undefined;
  const rest = text.slice(V4_ERROR_PREFIX.length).trim();
  const found = CODE.exec(rest);
  if (found === null) return { text: rest };
  const code = found[1] ?? '';
  const human = rest.slice(found[0].length);
  return isKnownCode(code) ? { code, text: human } : { otherCode: code, text: human };
}

/** Encodes "?OTR Error: ERROR_N: text", the text defaulting to the spec's. */
export function encodeV4ErrorMessage(code: V4ErrorCode, text: string = V4_ERROR_TEXT[code]): string {
  return `${V4_ERROR_PREFIX} ${code}: ${text}`;
}
