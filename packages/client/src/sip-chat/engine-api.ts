/**
 * The surface of the SIP chat engine: one SIP account, its chat sessions
 * (SIP INVITE with one MSRP chat stream each, shared/interop/DRIVER.md "SIP
 * mode"), OTR on each stream as Blink does it (@sotto/chat), trust keyed by
 * the peer's SIP address, and the history. The JSON driver and the terminal
 * both sit on it and see the same events, as they sit on ChatHost for the
 * echo network.
 *
 * Commands never throw for what the user asks: a command for a peer without
 * a chat session, or an OTR command towards a conference focus, gives an
 * `error` event (DRIVER.md, "SIP mode").
 */
import type { HistoryPage } from '@sotto/store';
import type { DriverEvent, Fingerprints } from '../session/driver-events.js';

/** Blink's lock on a chat: no OTR, encrypted with an unverified or a verified fingerprint, or the contact's fingerprint changed (red). */
export type LockState = 'none' | 'unverified' | 'verified' | 'fingerprint-changed';

/** The events of DRIVER.md's SIP mode, besides those of {@link DriverEvent} (whose `message` carries `content_type` in SIP mode). */
export type SipModeEvent =
  | { event: 'incoming'; peer: string; focus: boolean }
  | { event: 'session-started'; peer: string; cpim: boolean }
  | { event: 'session-ended'; peer: string; by: 'local' | 'remote' | 'error'; reason: string }
  | { event: 'delivered'; peer: string; id: string }
  | { event: 'not-delivered'; peer: string; id: string; reason: string }
  | { event: 'composing'; peer: string; state: 'active' | 'idle' };

/**
 * Events for the terminal only (the JSON driver prints none of them: their
 * names start with `x-`, DRIVER.md's prefix for a client's own extensions).
 */
export type SipTerminalEvent =
  | { event: 'x-registration'; state: 'registered' | 'unregistered' | 'failed'; reason?: string }
  | { event: 'x-lock'; peer: string; lock: LockState }
  | { event: 'x-notice'; peer: string | null; code: string; text: string }
  | { event: 'x-sent'; peer: string; id: string; text: string; encrypted: boolean }
  /** A user message was held until OTR is secure (policy always), or delivered late. */
  | { event: 'x-held'; peer: string; id: string };

/** Every event the engine emits, in order. */
export type SipChatEvent = DriverEvent | SipModeEvent | SipTerminalEvent;

/** A chat session as the engine sees it. */
export interface SipSessionInfo {
  readonly peer: string;
  readonly direction: 'in' | 'out';
  /** incoming: offered, not answered; calling: our INVITE is out; connecting: SIP up, MSRP stream not yet; active: the stream is up. */
  readonly state: 'incoming' | 'calling' | 'connecting' | 'active';
  /** The peer is a conference focus (`isfocus`): plain chat only. */
  readonly focus: boolean;
  readonly cpim: boolean;
  readonly lock: LockState;
  /** The OTR version in use when encrypted. */
  readonly otrVersion?: number;
  /** The peer's fingerprint in the current OTR session (hex). */
  readonly theirFingerprint?: string;
  /** The peer's last is-composing state. */
  readonly composing: 'active' | 'idle';
  /** "Always use OTR" for this contact (kept in the store). */
  readonly alwaysOtr: boolean;
}

/** The engine. */
export interface SipChatEngine {
  /** Our address of record, `sip:user@domain`. */
  readonly address: string;
  /** Our fingerprints by key family. */
  readonly fingerprints: Fingerprints;
  /** Start a chat session with `peer` (INVITE with one MSRP chat stream). */
  call(peer: string): void;
  /** Answer a pending incoming session. */
  accept(peer: string): void;
  reject(peer: string): void;
  /** End the session (OTR ended first when secure, so the peer sees `finished`; then BYE). */
  hangup(peer: string): void;
  /** Send a message; `id` tags its delivery events (a fresh one when absent); returns the id used, or undefined when refused (an `error` or `not-sent` event says why). */
  send(peer: string, text: string, options?: { readonly id?: string; readonly contentType?: string }): string | undefined;
  composing(peer: string, state: 'active' | 'idle'): void;
  startOtr(peer: string): void;
  endOtr(peer: string): void;
  startSmp(peer: string, secret: string, question?: string): void;
  answerSmp(peer: string, secret: string): void;
  abortSmp(peer: string): void;
  /** Mark the fingerprint of the latest AKE with `peer` verified by hand. */
  trust(peer: string): void;
  /** The extra symmetric key (DRIVER.md `symkey`). */
  symkey(peer: string, use: number, usedata: Uint8Array): void;
  /** "Always use OTR" for this contact, kept in the store. */
  setAlwaysOtr(peer: string, on: boolean): Promise<void>;
  /** The sessions, oldest first. */
  sessions(): readonly SipSessionInfo[];
  /** The recorded history with `peer` (newest last), or `logging-off`. */
  history(peer: string, options?: { readonly search?: string; readonly limit?: number }): HistoryPage | 'logging-off';
  /** Hang up every session, unregister, close sockets; the store stays open (the caller closes it). */
  stop(): Promise<void>;
}
