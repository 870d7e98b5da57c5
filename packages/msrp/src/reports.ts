/**
 * REPORT requests (RFC 4975 section 7.1.2): sent to the From-Path of the
 * message's chunks, with its Message-ID, the Byte-Range covered and a
 * Status. A success REPORT (`000 200 OK`) goes out once the whole message
 * arrived when Success-Report is yes; a failure REPORT only when
 * Failure-Report is yes or partial. REPORTs are never answered.
 */
import { formatByteRange } from './byte-range.js';
import { serializeRequest } from './serializer.js';
import { formatStatus, reasonPhrase } from './status.js';
import type { MsrpUri } from './uri.js';

/** What a REPORT says. */
export interface ReportSpec {
  readonly transactionId: string;
  /** The message's From-Path, as received (the REPORT's To-Path). */
  readonly toPath: readonly MsrpUri[];
  /** Our own URI. */
  readonly fromPath: readonly MsrpUri[];
  readonly messageId: string;
  /** Bytes of the message the report covers (1..size). */
  readonly size: number;
  /** 200 for success, else the error code. */
  readonly status: number;
}

/** The REPORT frame. */
export function serializeReport(spec: ReportSpec): Uint8Array {
  return serializeRequest({
    transactionId: spec.transactionId,
    method: 'REPORT',
    toPath: spec.toPath,
    fromPath: spec.fromPath,
    headers: [
      { name: 'Message-ID', value: spec.messageId },
      { name: 'Byte-Range', value: formatByteRange({ start: 1, end: spec.size, total: spec.size }) },
      { name: 'Status', value: formatStatus(spec.status, reasonPhrase(spec.status)) },
    ],
  });
}
