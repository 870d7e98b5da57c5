/**
 * The secure-channel interface: what session/ needs from a protocol version
 * (v3 today, v4 beside it). A version provides a {@link KeyExchange} per
 * instance (establish: AKE or DAKE messages in and out) which, once it
 * completes, yields a {@link SecureChannel} (seal, open, SMP, extra
 * symmetric key, end, wipe). session/ routes messages, keeps instances,
 * applies policies and fragments what the channel produces; it never sees a
 * key, a TLV or a version's state machine.
 *
 * Wiping. A version's state transitions (AKE and DAKE steps, SMP steps, key
 * rotations and ratchet steps) wipe nothing: each returns the secrets it
 * consumed (of the state it left, and any it made and used up on the way),
 * and the channel or key exchange running it adds them to the call's
 * {@link ChannelContext.consumed} (or, for {@link KeyExchange.expire} and
 * {@link KeyExchange.abandon}, which take no context, returns them). The one
 * place that wipes them is session/instance.ts (`wipeConsumed`): it gives
 * every call a fresh `consumed` and wipes it once the call has returned, so
 * after the version installed its next state, or thrown. A consumed secret
 * is wiped there exactly once, and nothing that still holds it may wipe it
 * again. Apart from that only teardown wipes: {@link SecureChannel.wipe}
 * (and the exchange's end with its instance) wipe what they still hold.
 */
import type { DsaPrivateKey, RandomSource, Secret, Wipeable } from './crypto/index.js';
import type { Ed448KeyPair } from './crypto/v4/index.js';
import type { ProtocolErrorCode, SmpAbortReason } from './errors.js';
import type { OwnClientProfile } from './v4/profile/index.js';
import type { ProtocolVersion } from './version.js';

/** Our OTRv4 identity as a call sees it: the long-term key, the current Client Profile and how peers name us. */
export interface V4Identity {
  /** The long-term Ed448 key pair (H). */
  readonly identityKey: Ed448KeyPair;
  /** Our Client Profile at the time of the call (refreshed by the account before it expires). */
  readonly profile: OwnClientProfile;
  /** Our OTRv4 fingerprint (56 bytes; SMP hashes it). */
  readonly fingerprint: Uint8Array;
  /** Our identifier in the shared session state phi: the address peers know us by. */
  readonly address: string;
}

/** What a version needs from the session for one call: identity, randomness, the clock and the route. */
export interface ChannelContext {
  readonly privateKey: DsaPrivateKey;
  readonly ourFingerprint: Uint8Array;
  /** Our v4 identity; undefined when the account has none (v4 is then never offered). */
  readonly v4: V4Identity | undefined;
  /** The contact's address (their identifier in phi). */
  readonly peer: string;
  readonly random: RandomSource;
  readonly now: number;
  readonly ourTag: number;
  readonly theirTag: number;
  /**
   * Where the version puts every secret its transitions consumed during this
   * call; the session wipes them when the call returns or throws ("Wiping" above).
   */
  readonly consumed: Wipeable[];
}

/** Events a channel reports (the session adds peer and instance tag). */
export type ChannelEvent =
  | { readonly kind: 'smp-request'; readonly question: string | null }
  | { readonly kind: 'smp-result'; readonly success: boolean }
  | { readonly kind: 'smp-aborted'; readonly by: 'us' | 'peer' }
  | { readonly kind: 'smp-aborted'; readonly by: 'protocol'; readonly reason: SmpAbortReason }
  /** The peer announced use of the extra symmetric key; the receiver of the effect owns `key`. */
  | { readonly kind: 'extra-key'; readonly use: number; readonly useData: Uint8Array; readonly key: Secret }
  /** A message can no longer be read (v4: the stored key of a skipped message was evicted to keep the store bounded). */
  | { readonly kind: 'dropped'; readonly reason: ProtocolErrorCode; readonly detail: string };

/** One effect of a channel call, in order: a message to send (encoded, not yet fragmented) or an event. */
export type ChannelEffect = { readonly kind: 'send'; readonly text: string } | { readonly kind: 'event'; readonly event: ChannelEvent };

/** Where the SMP of a channel stands, for display. */
export type SmpStatus = 'idle' | 'in-progress' | 'awaiting-answer';

/** A received data message, opened. */
export interface Opened {
  readonly kind: 'opened';
  /** The user's text (may be empty). */
  readonly text: string;
  /** Whether the message carried anything but padding (a heartbeat is owed then). */
  readonly meaningful: boolean;
  /** The peer ended the session (disconnected TLV). */
  readonly disconnected: boolean;
  /** What the TLVs caused, in order (SMP replies and events, extra keys). */
  readonly effects: readonly ChannelEffect[];
}

/** A received data message that could not be opened (keys, MAC, counter, values). */
export interface OpenFailure {
  readonly kind: 'failure';
  readonly code: ProtocolErrorCode;
  readonly detail: string;
  /**
   * The message was read before (a duplicate the version recognises as
   * such, v4): reported as dropped, never answered with an error message,
   * since nothing was lost.
   */
  readonly duplicate?: boolean;
}

/** An established secure session of one version (MSGSTATE_ENCRYPTED's contents). */
export interface SecureChannel<Incoming> {
  readonly version: ProtocolVersion;
  /** Fingerprint of the peer's long-term key (public). */
  readonly theirFingerprint: Uint8Array;
  readonly ssid: Uint8Array;
  readonly ssidHalf: 'first' | 'second';
  readonly smpStatus: SmpStatus;
  /** Encrypts the user's text (empty: a heartbeat) as an encoded message; undefined when the keys are spent. */
  seal(text: string, flags: number, context: ChannelContext): string | undefined;
  /** Verifies and decrypts a received data message, handling its TLVs. */
  open(message: Incoming, context: ChannelContext): Opened | OpenFailure;
  /** The message telling the peer we end the session (the caller then wipes the channel). */
  end(context: ChannelContext): string | undefined;
  /** SMP commands of our user. */
  startSmp(secret: Uint8Array, question: string | undefined, context: ChannelContext): ChannelEffect[];
  answerSmp(secret: Uint8Array, context: ChannelContext): ChannelEffect[];
  abortSmp(context: ChannelContext): ChannelEffect[];
  /** Announces use of the extra symmetric key; the returned key belongs to the caller (who hands it to the host). */
  useExtraKey(use: number, useData: Uint8Array, context: ChannelContext): { readonly send: string; readonly key: Secret } | undefined;
  /** Wipes every secret the channel holds; the channel is unusable afterwards. */
  wipe(): void;
}

/** The result of one key-exchange step. */
export interface ExchangeStep<Incoming> {
  /** Messages to send (encoded, not yet fragmented), each with the version of its header. */
  readonly send: readonly { readonly text: string; readonly version: ProtocolVersion }[];
  /**
   * Set when a message was ignored because a check failed. `expected`: the
   * spec's own flow ignores it (an Identity message resent after
   * simultaneous starts), so the session reports it as `dropped`, not as a
   * protocol error.
   */
  readonly rejected?: { readonly code: ProtocolErrorCode; readonly detail: string; readonly expected?: true };
  /** The exchange completed: the new channel (the caller installs it and wipes the one it replaces). */
  readonly established?: SecureChannel<Incoming>;
  /** The exchange completed with the keys the current channel already uses: nothing changes. */
  readonly unchanged?: true;
}

/** The key exchange (AKE, DAKE) of one instance. */
export interface KeyExchange<Message, Incoming> {
  /** When the running exchange last made progress; undefined when none runs. */
  readonly since: number | undefined;
  /** Starts a fresh exchange for `version`, dropping any running one. */
  start(version: ProtocolVersion, context: ChannelContext): ExchangeStep<Incoming>;
  /** Handles a received exchange message; `current` is the channel in use, if any. */
  receive(message: Message, current: SecureChannel<Incoming> | undefined, context: ChannelContext): ExchangeStep<Incoming>;
  /** When the running exchange times out. */
  deadline(): number | undefined;
  /** Abandons an exchange that timed out at `now`; returns its secrets, for the session to wipe. */
  expire(now: number): readonly Wipeable[];
  /** Gives up the running exchange; returns its secrets, for the session to wipe. */
  abandon(): readonly Wipeable[];
}
