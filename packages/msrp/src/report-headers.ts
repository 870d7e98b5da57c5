/**
 * Success-Report and Failure-Report (RFC 4975 sections 7.1.2 and 9):
 *
 *   Success-Report = "Success-Report:" SP ("yes" / "no")            default no
 *   Failure-Report = "Failure-Report:" SP ("yes" / "no" / "partial") default yes
 *
 * Failure-Report `yes`: every SEND gets a transaction response; `partial`:
 * only error responses; `no`: no response and no failure REPORT at all.
 * Success-Report `yes`: the receiver sends REPORT with `Status: 000 200`
 * once the whole message arrived.
 */

/** What the sender asked for. */
export interface ReportRequest {
  readonly success: 'yes' | 'no';
  readonly failure: 'yes' | 'no' | 'partial';
}

/** The defaults when the headers are absent. */
export const DEFAULT_REPORTS: ReportRequest = { success: 'no', failure: 'yes' };

/** Parses Success-Report; `undefined` for an unknown value. */
export function parseSuccessReport(value: string | undefined): ReportRequest['success'] | undefined {
  if (value === undefined) return DEFAULT_REPORTS.success;
  const v = value.trim().toLowerCase();
  return v === 'yes' || v === 'no' ? v : undefined;
}

/** Parses Failure-Report; `undefined` for an unknown value. */
export function parseFailureReport(value: string | undefined): ReportRequest['failure'] | undefined {
  if (value === undefined) return DEFAULT_REPORTS.failure;
  const v = value.trim().toLowerCase();
  return v === 'yes' || v === 'no' || v === 'partial' ? v : undefined;
}
