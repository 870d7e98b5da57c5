/**
 * What every entry point of an {@link Account} returns: the texts to put on
 * the wire, the messages to show the user, and typed events, in order.
 * No callbacks: the host reads the outcome and acts on it.
 */
import type { Secret } from './crypto/secret.js';
import type { ProtocolErrorCode, SmpAbortReason } from './errors.js';
import type { ProtocolVersion } from './version.js';

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

export type { ProtocolVersion } from './version.js';

/** Events; each carries the contact (`peer`) and, when known, its instance tag. */
export type OtrEvent =
  | {
      readonly kind: 'secure';
      readonly peer: string;
      readonly instance: number;
      readonly version: ProtocolVersion;
      /**
       * The peer's fingerprint (public); its length depends on the version:
       * versions 2 and 3, the 20-byte SHA-1 fingerprint of the long-term DSA
       * key; version 4, the 56-byte OTRv4 fingerprint of the identity and
       * forging keys of the peer's Client Profile.
       */
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
      /** `us`: our user's abortSmp, or a startSmp that replaced a running SMP; `peer`: the peer's abort. */
      readonly by: 'us' | 'peer';
    }
  | {
      readonly kind: 'smp-aborted';
      readonly peer: string;
      readonly instance: number;
      /** SMP stopped over a received message: out of order, malformed or failing a check. */
      readonly by: 'protocol';
      readonly reason: SmpAbortReason;
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
      /**
       * The error's code when the text starts with one, as OTRv4 error
       * messages do (OTRv4, "OTR Error Messages": "ERROR_1" unreadable
       * message, "ERROR_2" not in a private state, "ERROR_3" malformed;
       * other "ERROR_<digits>" codes are passed on as they are): a host may
       * show its own words for a known code. Absent for v2 and v3 error
       * messages, which carry text only.
       */
      readonly code?: string;
      /**
       * The error text after "?OTR Error:", trimmed, any code included
       * ("ERROR_2: Not in private state message") (the latest one when
       * `repeated` is set).
       */
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
      readonly reason: ProtocolErrorCode;
      /** A short English description, never containing message contents or secrets. */
      readonly detail: string;
    }
  | {
      readonly kind: 'dropped';
      readonly peer: string;
      readonly instance?: number;
      readonly reason: ProtocolErrorCode;
      readonly detail: string;
    }
  | {
      /**
       * Our OTRv4 Client Profile was replaced (made the first time, or
       * refreshed before it expires): persist `profile` (the CLIENT-PROF
       * bytes) and hand it back as `AccountOptions.v4.profile` next time.
       * Account-wide: no peer.
       */
      readonly kind: 'profile-refreshed';
      readonly profile: Uint8Array;
      /** When the new profile expires (host clock, ms). */
      readonly expiresAt: number;
    }
  | { readonly kind: 'not-sent'; readonly peer: string; readonly reason: Extract<RefusalReason, 'finished' | 'encryption-required' | 'unknown-instance'> }
  | {
      readonly kind: 'refused';
      readonly peer: string;
      /** The remote instance the call was for, when one was found. */
      readonly instance?: number;
      /** The call that did nothing. */
      readonly call: RefusedCall;
      readonly reason: RefusalReason;
    };

/** Calls that report a state the peer can change (rather than throw) with a `refused` event. */
export type RefusedCall = 'endOtr' | 'startSmp' | 'answerSmp' | 'useExtraSymmetricKey';

/**
 * Why a call did nothing, in `not-sent` and `refused` events: states the
 * peer can bring about between the host's look at `status` and its call.
 */
export type RefusalReason =
  /** No private conversation (never started, ended, or expired). */
  | 'not-secure'
  /** The peer ended the private conversation: end it too (endOtr) or start a new one. */
  | 'finished'
  /** The policy requires encryption: the message is held and sent once the session is secure. */
  | 'encryption-required'
  /** No SMP request of the peer waits for an answer (never sent, aborted, or already answered). */
  | 'no-smp-request'
  /** The session runs OTR version 2, which has no extra symmetric key. */
  | 'needs-version-3'
  /** The chosen remote instance is not (or no longer) known. */
  | 'unknown-instance';

/** The result of one call into the library; read-only, in the order the effects happened. */
export interface Outcome {
  readonly send: readonly OutgoingMessage[];
  readonly show: readonly ShownMessage[];
  readonly events: readonly OtrEvent[];
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
