/** Typed failures of the MSRP networking (sockets, TLS, relay AUTH, listening); messages carry no peer bytes. */

export type MsrpNetErrorCode =
  /** Cannot connect (refused, unreachable, closed while connecting, no answer in time). */
  | 'connect-failed'
  /** The TLS certificate did not verify. */
  | 'tls-untrusted'
  /** The CA file cannot be read. */
  | 'ca-file'
  /** The relay refused our AUTH or answered nonsense. */
  | 'relay-failed'
  /** Listening is not possible (no address, MSRP over TLS without a certificate). */
  | 'cannot-listen'
  /** The peer never connected to us in time. */
  | 'no-connection'
  /** The connection was lost. */
  | 'connection-lost'
  /** The session's bounds were exceeded (write queue) or its framing was lost. */
  | 'overflow';

export class MsrpNetError extends Error {
  constructor(readonly code: MsrpNetErrorCode, message: string) {
    super(message);
    this.name = 'MsrpNetError';
  }
}
