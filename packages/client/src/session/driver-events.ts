/**
 * The events of the interop driver protocol (shared/interop/DRIVER.md,
 * "Events"). The chat host produces them; the JSON driver prints them as they
 * are and the terminal renders them for a person.
 */

/** Our fingerprints by key family: "3" the DSA one (v2 and v3, 40 hex), "4" the OTRv4 one (112 hex); one entry per family enabled. */
export interface Fingerprints {
  readonly '3'?: string;
  readonly '4'?: string;
}

/** One event, as the driver protocol spells it (with one field for the terminal only: see fingerprint-changed). */
export type DriverEvent =
  | { event: 'ready'; address: string; fingerprint: string; fingerprints: Fingerprints }
  /** `content_type`: the inner content type, in SIP mode only (DRIVER.md, "SIP mode"). */
  | { event: 'message'; from: string; text: string; encrypted: boolean; content_type?: string }
  | { event: 'secure'; peer: string; version: number; fingerprint: string; ssid: string; trusted: boolean }
  /**
   * `crossVersion` (not in the driver protocol: the JSON driver leaves it
   * out) says the verified fingerprints are all of the other kind, OTRv3
   * or OTRv4: the peer moved between versions rather than changed its key.
   */
  | { event: 'fingerprint-changed'; peer: string; fingerprint: string; crossVersion?: boolean }
  | { event: 'insecure'; peer: string }
  | { event: 'finished'; peer: string }
  | { event: 'smp-request'; peer: string; question: string | null }
  | { event: 'smp-result'; peer: string; success: boolean }
  | { event: 'smp-aborted'; peer: string }
  | { event: 'trusted'; peer: string; fingerprint: string }
  | { event: 'not-sent'; to: string; reason: 'finished' | 'encryption-required' }
  | { event: 'symkey'; peer: string; use: number; usedata: string; key: string }
  | { event: 'error'; peer: string | null; message: string };
