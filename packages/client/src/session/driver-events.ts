/**
 * The events of the interop driver protocol (shared/interop/DRIVER.md,
 * "Events"). The chat host produces them; the JSON driver prints them as they
 * are and the terminal renders them for a person.
 */

/** One event, exactly as the driver protocol spells it. */
export type DriverEvent =
  | { event: 'ready'; address: string; fingerprint: string }
  | { event: 'message'; from: string; text: string; encrypted: boolean }
  | { event: 'secure'; peer: string; version: number; fingerprint: string; ssid: string; trusted: boolean }
  | { event: 'fingerprint-changed'; peer: string; fingerprint: string }
  | { event: 'insecure'; peer: string }
  | { event: 'finished'; peer: string }
  | { event: 'smp-request'; peer: string; question: string | null }
  | { event: 'smp-result'; peer: string; success: boolean }
  | { event: 'smp-aborted'; peer: string }
  | { event: 'trusted'; peer: string; fingerprint: string }
  | { event: 'not-sent'; to: string; reason: 'finished' | 'encryption-required' }
  | { event: 'symkey'; peer: string; use: number; usedata: string; key: string }
  | { event: 'error'; peer: string | null; message: string };
