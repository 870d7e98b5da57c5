/**
 * What every entry point of an {@link Account} returns: the texts to put on
 * the wire, the messages to show the user, and typed events, in order.
 * No callbacks: the host reads the outcome and acts on it.
 */
import type { Secret } from './crypto/secret.js';
import type { ProtocolErrorCode } from './errors.js';

/** A text the host must deliver to `to` over its transport. */
export interface OutgoingMessage {
  readonly to: string;
  readonly text: string;
}

/** A message for the user. `encrypted` says whether it arrived inside OTR. */
export interface ShownMessage {
  readonly from: string;
  readonly text: string;
  readonly encrypted: boolean;
  /** The sender's instance tag, when known (v3). */
  readonly instance?: number;
}

/** Which protocol version a secure session runs. */
export type ProtocolVersion = 2 | 3;

/** Events; each carries the contact (`peer`) and, when known, its instance tag. */
export type OtrEvent =
  | {
      readonly kind: 'secure';
      readonly peer: string;
      readonly instance: number;
      readonly version: ProtocolVersion;
      /** SHA-1 fingerprint of the peer's long-term DSA key (public). */
      readonly fingerprint: Uint8Array;
      /** The 64-bit secure session id (public; users compare it). */
      readonly ssid: Uint8Array;
      /** Which half of the SSID the spec says to emphasise for us ("Authenticated Key Exchange"). */
      readonly ssidHalf: 'first' | 'second';
      /** True when this replaces an already secure session (a re-AKE). */
      readonly refreshed: boolean;
    }
  | { readonly kind: 'insecure'; readonly peer: string; readonly instance: number }
  | { readonly kind: 'finished'; readonly peer: string; readonly instance: number }
  | { readonly kind: 'smp-request'; readonly peer: string; readonly instance: number; readonly question: string | null }
  | { readonly kind: 'smp-result'; readonly peer: string; readonly instance: number; readonly success: boolean }
  | {
      readonly kind: 'smp-aborted';
      readonly peer: string;
      readonly instance: number;
      readonly by: 'us' | 'peer' | 'protocol';
      /** For `by: 'protocol'`: why SMP stopped (an out-of-order, malformed or failing message). */
      readonly reason?: 'unexpected' | 'malformed' | 'bad-group-element' | 'bad-exponent' | 'bad-proof';
    }
  | {
      readonly kind: 'extra-key';
      readonly peer: string;
      readonly instance: number;
      readonly direction: 'sent' | 'received';
      readonly use: number;
      readonly useData: Uint8Array;
      /** The extra symmetric key itself; redacted when inspected. */
      readonly key: Secret;
    }
  | {
      readonly kind: 'peer-error';
      readonly peer: string;
      /** The error text (the latest one when `repeated` is set). */
      readonly text: string;
      /**
       * Set when error messages came faster than one per interval
       * (PEER_ERROR_EVENT_INTERVAL_MS): the number of error messages this
       * event stands for, received since the previous `peer-error` event.
       */
      readonly repeated?: number;
    }
  | {
      readonly kind: 'protocol-error';
      readonly peer: string;
      readonly instance?: number;
      readonly code: ProtocolErrorCode;
      readonly detail: string;
    }
  | {
      readonly kind: 'dropped';
      readonly peer: string;
      readonly instance?: number;
      readonly reason: ProtocolErrorCode;
      readonly detail: string;
    }
  | { readonly kind: 'not-sent'; readonly peer: string; readonly reason: 'finished' | 'encryption-required' };

/** The result of one call into the library. */
export interface Outcome {
  readonly send: OutgoingMessage[];
  readonly show: ShownMessage[];
  readonly events: OtrEvent[];
}

/** A mutable collector used while handling one call; frozen into an {@link Outcome}. */
export class OutcomeBuilder {
  readonly send: OutgoingMessage[] = [];
  readonly show: ShownMessage[] = [];
  readonly events: OtrEvent[] = [];

  /** Appends texts for one recipient. */
  sendAll(to: string, texts: readonly string[]): void {
    for (const text of texts) this.send.push({ to, text });
  }

  /** The finished outcome. */
  build(): Outcome {
    return { send: this.send, show: this.show, events: this.events };
  }
}
