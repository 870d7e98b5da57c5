/**
 * The Status header of REPORTs (RFC 4975 section 9):
 *
 *   Status = "Status:" SP namespace SP status-code [SP text-reason]
 *   namespace = 3DIGIT   status-code = 3DIGIT
 *
 * The namespace is `000` for MSRP's own codes.
 */

/** A parsed Status header. */
export interface Status {
  readonly namespace: string;
  readonly code: number;
  readonly reason: string;
}

/** Parses a Status value; `undefined` when malformed. Never throws. */
export function parseStatus(value: string): Status | undefined {
  const match = /^([0-9]{3}) ([0-9]{3})(?: (.*))?$/.exec(value.trim());
  if (match === null) return undefined;
  const [, namespace = '', code = '', reason = ''] = match;
  return { namespace, code: Number(code), reason };
}

/** The header value: `000 <code> <reason>`. */
export function formatStatus(code: number, reason: string): string {
  return `000 ${String(code).padStart(3, '0')} ${reason}`;
}

/** The reason phrase we write for a status code (RFC 4975 section 10.1 and RFC 4976). */
export function reasonPhrase(code: number): string {
  switch (code) {
    case 200: return 'OK';
    case 400: return 'Bad Request';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 408: return 'Request Timeout';
    case 413: return 'Message Too Large';
    case 415: return 'Unsupported Media Type';
    case 423: return 'Interval Out-of-Bounds';
    case 481: return 'No Such Session';
    case 501: return 'Not Implemented';
    case 506: return 'Wrong Connection';
    default: return 'Error';
  }
}
