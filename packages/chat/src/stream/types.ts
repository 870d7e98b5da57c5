/** The vocabulary between a {@link ChatStream} and its host: payloads in and out, events, outcomes. */
import type { OtrEvent, ProtocolVersion } from '@sotto/otr';
import type { ChatIdentity } from '../identity.js';
import type { ComposingState } from '../is-composing/is-composing.js';

/** A payload for the MSRP session to send as one message (a SEND with this body). */
export interface ChatPayload {
  /**
   * The MSRP Content-Type: `message/cpim` when wrapped, else the inner type as
   * sipsimple writes it (`text/plain; charset="utf8"` for user text).
   */
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Success-Report and Failure-Report: `yes` when true (user messages), `no` when false (OTR's own messages, is-composing). */
  readonly reports: boolean;
  /** For a user message: use it as the MSRP Message-ID; REPORTs and transaction responses for it go back through `deliveryReport` and `transactionResponse`. */
  readonly id?: string;
  /** What it carries: a user message, an OTR protocol message (query, AKE, SMP, disconnect, heartbeat), or an is-composing indication. */
  readonly kind: 'message' | 'otr' | 'composing';
}

/** A complete message the MSRP session received (chunks already reassembled). */
export interface ReceivedPayload {
  /** The MSRP Content-Type header's value. */
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** A message's encryption as the history keeps it (Blink: plaintext, encrypted unverified, encrypted verified). */
export type Encryption = 'plaintext' | 'encrypted-unverified' | 'encrypted-verified';

/** Blink's lock: none (not encrypted), unverified, verified, or fingerprint-changed (red: a verified peer shows another key). */
export type LockState = 'none' | 'unverified' | 'verified' | 'fingerprint-changed';

/** What the stream needs to know of the host's trust records, keyed by the peer's SIP address (see `peerKey`). */
export interface TrustView {
  /** Whether `fingerprint` (lower-case hex) is verified for `peer`. */
  isVerified(peer: string, fingerprint: string): boolean;
  /** Whether `peer` has any verified fingerprint. */
  hasVerified(peer: string): boolean;
}

/** Notices the host shows as system messages. */
export type NoticeCode =
  /** The peer is a conference focus: no OTR in this stream. */
  | 'focus-no-otr'
  /** Something that looks like OTR arrived from a conference focus; it was shown as plain text. */
  | 'otr-from-focus'
  /** A user message waits until OTR is secure (the policy requires encryption). */
  | 'waiting-for-encryption';

/** Problems with received payloads (each also answered with an MSRP status). */
export type ReceiveProblem =
  /** Not a content type a chat stream accepts (413). */
  | 'unwanted'
  /** The CPIM wrapper could not be read (400). */
  | 'cpim'
  /** An is-composing document could not be read (400). */
  | 'is-composing'
  /** An OTR message could not be read (400, as Blink answers an undecryptable message). */
  | 'otr'
  /** Larger than the stream's bound (413). */
  | 'too-large';

/** Events, in the order they happened. */
export type ChatEvent =
  | {
      readonly kind: 'message';
      /** The text to show: text/html reduced to text; empty for a non-text type (see `body`). */
      readonly text: string;
      /** The inner content type, `type/subtype`. */
      readonly contentType: string;
      readonly encryption: Encryption;
      /** The peer's fingerprint (lower-case hex) when encrypted. */
      readonly fingerprint?: string;
      /** Who wrote it: the peer's SIP identity; from a conference focus, the participant CPIM's From names. */
      readonly sender: ChatIdentity;
      /** CPIM's DateTime in ms, when wrapped and readable. */
      readonly timestamp?: number;
      /** True for a private message inside a conference (one CPIM To that is not the focus). */
      readonly private: boolean;
      /** The body of a non-text type (image/*), bytes as received. */
      readonly body?: Uint8Array;
      /** True when an HTML body was cut at limits.MAX_HTML_LENGTH. */
      readonly truncated?: boolean;
    }
  | {
      readonly kind: 'composing';
      readonly state: ComposingState;
      /** Seconds until the state goes idle unless refreshed (120 when the peer gave none). */
      readonly refresh: number;
      readonly lastActive?: number;
      readonly contentType?: string;
      readonly encrypted: boolean;
      readonly sender: ChatIdentity;
    }
  | {
      /** The OTR state changed (secure, ended by us, finished by the peer) or the trust in the peer's key did. */
      readonly kind: 'otr-state';
      readonly state: 'plaintext' | 'encrypted' | 'finished';
      readonly lock: LockState;
      readonly fingerprint?: string;
      readonly version?: ProtocolVersion;
      /** The secure session id, hex. */
      readonly ssid?: string;
      readonly ssidHalf?: 'first' | 'second';
      /** True when a secure session was replaced by a new AKE. */
      readonly refreshed?: boolean;
    }
  | {
      /** Every other OTR event for this peer (SMP, errors, refusals, extra key, profile refresh), as @sotto/otr reports it. */
      readonly kind: 'otr';
      readonly event: OtrEvent;
    }
  | { readonly kind: 'delivered'; readonly id: string }
  | {
      readonly kind: 'not-delivered';
      readonly id: string;
      /** The MSRP status code, or 0 when the message never left (stream ended, OTR refused it, content type not accepted). */
      readonly code: number;
      readonly reason: string;
    }
  | { readonly kind: 'notice'; readonly code: NoticeCode; readonly text: string }
  | { readonly kind: 'receive-error'; readonly problem: ReceiveProblem; readonly detail: string };

/** The result of a call: payloads to send (in order) and events. */
export interface ChatOutcome {
  readonly send: readonly ChatPayload[];
  readonly events: readonly ChatEvent[];
}

/** The result of `receive`: also the status for the MSRP REPORT/response (Blink: 200, 400 or 413). */
export interface ChatReceiveOutcome extends ChatOutcome {
  readonly status: { readonly code: number; readonly comment: string };
}
