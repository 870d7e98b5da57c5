/**
 * An MSRP frame (RFC 4975 section 7, ABNF in section 9): a request
 * (`MSRP tid METHOD`) or a response (`MSRP tid code [comment]`), header
 * fields, an optional body, and the end-line `-------tid` with its flag:
 * `$` the last chunk, `+` more chunks follow, `#` the message is aborted.
 */

/** One header field as it appeared (name case preserved). */
export interface Header {
  readonly name: string;
  readonly value: string;
}

/** The continuation flag of the end-line. */
export type ContinuationFlag = '$' | '+' | '#';

interface FrameBase {
  readonly transactionId: string;
  readonly headers: readonly Header[];
  /** The body; `undefined` for a header-only frame. */
  readonly body: Uint8Array | undefined;
  readonly flag: ContinuationFlag;
}

/** A request frame. */
export interface RequestFrame extends FrameBase {
  readonly type: 'request';
  /** The method in upper case (SEND, REPORT, AUTH, or an extension). */
  readonly method: string;
}

/** A response frame. */
export interface ResponseFrame extends FrameBase {
  readonly type: 'response';
  readonly status: number;
  /** The reason phrase, possibly empty. */
  readonly comment: string;
}

/** A request or a response. */
export type Frame = RequestFrame | ResponseFrame;

/** The first header called `name` (case-insensitive), if any. */
export function headerValue(frame: { readonly headers: readonly Header[] }, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const header of frame.headers) if (header.name.toLowerCase() === lower) return header.value;
  return undefined;
}
