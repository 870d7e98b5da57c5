/**
 * The client's core: one OTR account on one relay connection. It turns user
 * commands into library calls, each outcome into frames for the relay and
 * {@link DriverEvent}s, keeps the library's deadlines on a timer, and decides
 * trust from the account's {@link TrustBook}. The terminal chat and the JSON
 * driver both sit on top of it and see the same events.
 */
import {
  Account,
  DeadlineTimer,
  UsageError,
  limits,
  toHex,
  type DsaPrivateKey,
  type Ed448KeyPair,
  type Ed448Point,
  type OtrEvent,
  type Outcome,
  type RandomSource,
  type RefusalReason,
} from '@sotto/otr';
import { humanFingerprint } from '@sotto/store';
import type { DriverEvent, Fingerprints } from './driver-events.js';
import { highestFingerprint, ourFingerprints, v4AccountOption } from './own-identity.js';
import { RecentMap, MAX_REMEMBERED_PEERS } from './recent-map.js';
import { policyFor, type PolicyName, type Versions } from './policy-names.js';
import type { TrustBook } from './trust-book.js';

/** How often undecodable OTR messages from one peer may be reported as `error` events. */
const ERROR_EVENT_INTERVAL_MS = 1000;

/** For a caller that tells a refused command itself (the terminal), instead of the driver contract's event. */
export interface RefusalHandler {
  readonly onRefused?: (reason: RefusalReason) => void;
}

/** The account's OTRv4 identity, as the host gives it to the library. */
export interface ChatHostV4 {
  readonly identityKey: Ed448KeyPair;
  readonly forgingKey: Ed448Point;
  /** Our stored client profile, if still usable (else the library makes one and it comes to `onProfileRefreshed`). */
  readonly profile?: Uint8Array;
  /**
   * Our address as peers know it: on the echo network the IPv4:PORT the
   * relay shows them. The DAKE binds both sides' addresses into its shared
   * session state, so it must be the name the peer gives us.
   */
  readonly address: string;
}

/** What a chat host is built from. */
export interface ChatHostOptions {
  readonly privateKey: DsaPrivateKey;
  readonly instanceTag: number;
  /** The OTRv4 identity; used when `versions` has 4 (without it the host speaks v3 and v2 only). */
  readonly v4?: ChatHostV4;
  /** Our client profile was made or refreshed: persist it (and give it back as `v4.profile` next time). */
  readonly onProfileRefreshed?: (profile: Uint8Array, expiresAt: number) => void;
  readonly trust: TrustBook;
  readonly policy: PolicyName;
  readonly versions: Versions;
  /** The transport's largest message (0 = unlimited). */
  readonly maxMessageSize: number;
  /** Receives every event, in order. */
  readonly emit: (event: DriverEvent) => void;
  /** Diagnostics (stderr). */
  readonly log: (line: string) => void;
  readonly clock?: () => number;
  readonly random?: RandomSource;
  /** Peers whose latest fingerprint and error times are remembered (default MAX_REMEMBERED_PEERS). */
  readonly maxRememberedPeers?: number;
}

/** One account's conversations, driven by user commands and relay messages. */
export class ChatHost {
  readonly #account: Account;
  readonly #options: ChatHostOptions;
  readonly #clock: () => number;
  readonly #timer: DeadlineTimer<NodeJS.Timeout>;
  /** Fingerprint (hex) of each recent peer's latest AKE, for `trust`; bounded, as a relay can send from any number of addresses. */
  readonly #lastFingerprint: RecentMap<string, string>;
  /** When an error about each recent peer was last told (rate limit); bounded likewise. */
  readonly #lastErrorEvent: RecentMap<string, number>;
  #policy: PolicyName;
  #transport: ((to: string, text: string) => void) | undefined;

  constructor(options: ChatHostOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#policy = options.policy;
    const remembered = options.maxRememberedPeers ?? MAX_REMEMBERED_PEERS;
    this.#lastFingerprint = new RecentMap(remembered);
    this.#lastErrorEvent = new RecentMap(remembered);
    this.#account = new Account({
      privateKey: options.privateKey,
      instanceTag: options.instanceTag,
      policy: policyFor(options.policy, options.versions),
      maxMessageSize: options.maxMessageSize,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...v4AccountOption(options.v4, options.versions),
    });
    this.#timer = new DeadlineTimer({
      nextDeadline: () => this.#account.nextDeadline(),
      onDeadline: (now) => this.#apply(this.#account.onDeadline(now)),
      now: this.#clock,
      // Pending protocol timers alone must not keep the process alive.
      setTimeout: (run, delay) => setTimeout(run, delay).unref(),
      clearTimeout: (handle) => clearTimeout(handle),
    });
    // A v4 account without a usable stored profile has a deadline now: make (and report) the profile at once.
    this.#timer.reschedule();
  }

  /**
   * Our address changed (the relay was rejoined from another port): the
   * OTRv4 DAKEs begun from now on bind the new one, the name peers now give
   * us. Nothing to do without version 4.
   */
  setAddress(address: string): void {
    if (this.#account.ourV4Fingerprint !== undefined) this.#account.setV4Address(address);
  }

  /** Our fingerprints by key family enabled: "3" (DSA, v2 and v3; 40 hex) when 2 or 3 is allowed, "4" (112 hex) when 4 is. */
  get fingerprints(): Fingerprints {
    return ourFingerprints(this.#account, this.#options.versions);
  }

  /** Our fingerprint for the highest version enabled, lower-case hex (40 digits for v2/v3, 112 for v4). */
  get fingerprintHex(): string {
    return highestFingerprint(this.#account, this.#options.versions);
  }

  /** Our fingerprint for `version` (the DSA one for 2 and 3), in groups of eight upper-case hex digits; undefined when that family is not enabled. */
  fingerprintHumanFor(version: number): string | undefined {
    const hex = this.fingerprints[version === 4 ? '4' : '3'];
    return hex === undefined ? undefined : humanFingerprint(hex);
  }

  /** Our fingerprint in groups of eight upper-case hex digits (libotr's five groups for v2/v3, fourteen for v4): the highest version's. */
  get fingerprintHuman(): string {
    return humanFingerprint(this.fingerprintHex);
  }

  /** The current policy's name. */
  get policy(): PolicyName {
    return this.#policy;
  }

  /** Sets where outgoing texts go (the relay connection). */
  attach(transport: (to: string, text: string) => void): void {
    this.#transport = transport;
  }

  /** A text arrived from `from`. Never throws. */
  receive(from: string, text: string): void {
    try {
      this.#apply(this.#account.receive(from, text, this.#clock()));
    } catch (error) {
      this.#options.log(`internal error on a message from ${from}: ${(error as Error).message}`);
      this.#emit({ event: 'error', peer: from, message: 'a received message could not be handled' });
    }
  }

  /** The user typed `text` to `to`. */
  send(to: string, text: string): void {
    this.#guard(to, () => this.#account.send(to, text, this.#clock()));
  }

  /** The user asks for a private conversation (a query message). */
  start(to: string): void {
    this.#guard(to, () => this.#account.startOtr(to, this.#clock()));
  }

  /** The user ends the private conversation (encrypted or finished); with none, the library's `refused` becomes an error. */
  end(to: string): void {
    this.#guard(to, () => this.#account.endOtr(to, this.#clock()));
  }

  /** The user starts SMP; without a private conversation SMP cannot run (`refused`, shown as `smp-aborted`). */
  smp(to: string, secret: string, question: string | undefined, handler: RefusalHandler = {}): void {
    this.#guard(to, () => this.#account.startSmp(to, secret, question, this.#clock()), handler);
  }

  /** The user answers the peer's SMP request. */
  smpAnswer(to: string, secret: string, handler: RefusalHandler = {}): void {
    this.#guard(to, () => this.#account.answerSmp(to, secret, this.#clock()), handler);
  }

  /** The user aborts SMP; the library reports `smp-aborted` for every user abort, as the driver contract wants. */
  smpAbort(to: string): void {
    this.#guard(to, () => this.#account.abortSmp(to, this.#clock()));
  }

  /** How many peers the per-peer state holds (each at most the cap). */
  get rememberedPeers(): { readonly fingerprints: number; readonly errorTimes: number } {
    return { fingerprints: this.#lastFingerprint.size, errorTimes: this.#lastErrorEvent.size };
  }

  /** The user verified the fingerprint of the peer's latest AKE by hand. */
  trust(to: string): void {
    const fingerprint = this.lastFingerprint(to);
    if (fingerprint === undefined) {
      this.#emit({ event: 'error', peer: to, message: `no fingerprint of ${to} to trust yet: start a private conversation first` });
      return;
    }
    this.#options.trust.verify(to, fingerprint, 'manual', new Date(this.#clock()));
    this.#emit({ event: 'trusted', peer: to, fingerprint });
  }

  /** Announces use of the extra symmetric key (v3: TLV 8; v4: TLV 7, `use` its context). */
  symkey(to: string, use: number, useData: Uint8Array): void {
    this.#guard(to, () => this.#account.useExtraSymmetricKey(to, use, useData, this.#clock()));
  }

  /** Changes the policy of every conversation (keeping the allowed versions). */
  setPolicy(name: PolicyName): void {
    this.#policy = name;
    this.#account.setPolicy(policyFor(name, this.#options.versions));
  }

  /** The library's view of the conversation with `peer`. */
  status(peer: string): ReturnType<Account['status']> {
    return this.#account.status(peer);
  }

  /** The fingerprint (hex) of the peer's latest AKE, if there was one. */
  lastFingerprint(peer: string): string | undefined {
    const remembered = this.#lastFingerprint.get(peer);
    if (remembered !== undefined) return remembered;
    // Forgotten among many addresses: the running session still knows it.
    const current = this.#account.status(peer).fingerprint;
    return current === undefined ? undefined : toHex(current);
  }

  /** Whether `fingerprint` is verified for `peer`. */
  isVerified(peer: string, fingerprint: string): boolean {
    return this.#options.trust.isVerified(peer, fingerprint);
  }

  /** Ends every private conversation (the peers see `finished`), as a chat client does on quit; a peer with none is skipped quietly. */
  endAll(peers: Iterable<string>): void {
    for (const peer of peers) this.#guard(peer, () => this.#account.endOtr(peer, this.#clock()), { onRefused: () => undefined });
  }

  /** Stops the timer and wipes every session secret. */
  close(): void {
    this.#timer.close();
    this.#account.wipe();
  }

  #emit(event: DriverEvent): void {
    this.#options.emit(event);
  }

  /** Runs a user command; misuse the library refuses becomes an `error` event, a `refused` event goes to `onRefused` when given. */
  #guard(peer: string, call: () => Outcome, handler: RefusalHandler = {}): void {
    let outcome: Outcome;
    try {
      outcome = call();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      this.#emit({ event: 'error', peer, message: error.message });
      return;
    }
    this.#apply(outcome, handler.onRefused);
  }

  #apply(outcome: Outcome, onRefused?: (reason: RefusalReason) => void): void {
    for (const message of outcome.send) {
      if (this.#transport === undefined) this.#options.log(`not connected: dropped a message to ${message.to}`);
      else this.#transport(message.to, message.text);
    }
    for (const shown of outcome.show) this.#emit({ event: 'message', from: shown.from, text: shown.text, encrypted: shown.encrypted });
    for (const event of outcome.events) {
      if (event.kind === 'refused' && onRefused !== undefined) onRefused(event.reason);
      else this.#event(event);
    }
    this.#timer.reschedule();
  }

  #event(event: OtrEvent): void {
    if (event.kind === 'profile-refreshed') {
      this.#options.onProfileRefreshed?.(event.profile, event.expiresAt);
      return;
    }
    const peer = event.peer;
    switch (event.kind) {
      case 'secure': {
        const fingerprint = toHex(event.fingerprint);
        this.#lastFingerprint.set(peer, fingerprint);
        const seen = this.#options.trust.seen(peer, fingerprint, new Date(this.#clock()));
        if (seen.changed) this.#emit({ event: 'fingerprint-changed', peer, fingerprint, ...(seen.crossVersion ? { crossVersion: true } : {}) });
        this.#emit({ event: 'secure', peer, version: event.version, fingerprint, ssid: toHex(event.ssid), trusted: seen.verified });
        return;
      }
      case 'insecure':
      case 'finished':
        this.#emit({ event: event.kind, peer });
        return;
      case 'smp-request':
        this.#emit({ event: 'smp-request', peer, question: event.question });
        return;
      case 'smp-result': {
        this.#emit({ event: 'smp-result', peer, success: event.success });
        const fingerprint = this.lastFingerprint(peer);
        if (event.success && fingerprint !== undefined) {
          this.#options.trust.verify(peer, fingerprint, 'smp', new Date(this.#clock()));
          this.#emit({ event: 'trusted', peer, fingerprint });
        }
        return;
      }
      case 'smp-aborted':
        this.#emit({ event: 'smp-aborted', peer });
        return;
      case 'extra-key': {
        const key = toHex(event.key.expose());
        event.key.wipe();
        this.#emit({ event: 'symkey', peer, use: event.use, usedata: toHex(event.useData), key });
        return;
      }
      case 'not-sent':
        // The client never picks an instance, so 'unknown-instance' cannot come; were it to, it is told as an error.
        if (event.reason === 'unknown-instance') this.#emit({ event: 'error', peer, message: `the message to ${peer} was not sent: that instance is gone` });
        else this.#emit({ event: 'not-sent', to: peer, reason: event.reason });
        return;
      case 'refused':
        this.#refused(event);
        return;
      case 'peer-error':
        // Not rate-limited here: the library already collapses a flood into one event per interval.
        this.#emit({ event: 'error', peer, message: problemText(event) });
        return;
      case 'protocol-error':
        this.#options.log(`protocol error from ${peer}: ${event.reason} (${event.detail})`);
        this.#tellError(peer, problemText(event));
        return;
      case 'dropped': {
        this.#options.log(`dropped a message from ${peer}: ${event.reason} (${event.detail})`);
        const text = problemText(event);
        if (text !== undefined) this.#tellError(peer, text);
        return;
      }
    }
  }

  /** Tells an error about `peer`, at most once per interval: a peer sending garbage must not flood the user. */
  #tellError(peer: string, message: string): void {
    const now = this.#clock();
    if (now - (this.#lastErrorEvent.get(peer) ?? -Infinity) < ERROR_EVENT_INTERVAL_MS) return;
    this.#lastErrorEvent.set(peer, now);
    this.#emit({ event: 'error', peer, message });
  }

  /** A user command the conversation's state made pointless, told as the driver contract tells it. */
  #refused(event: Extract<OtrEvent, { kind: 'refused' }>): void {
    const peer = event.peer;
    switch (event.call) {
      case 'endOtr':
        this.#emit({ event: 'error', peer, message: `there is no private conversation with ${peer} to end` });
        return;
      case 'startSmp':
        // The driver contract: SMP that cannot run is reported as aborted.
        this.#emit({ event: 'smp-aborted', peer });
        return;
      case 'answerSmp':
        this.#emit({ event: 'error', peer, message: `${peer} has not asked to authenticate; there is nothing to answer` });
        return;
      case 'useExtraSymmetricKey':
        this.#emit({
          event: 'error',
          peer,
          message: event.reason === 'needs-version-3' ? 'the extra symmetric key needs OTR version 3 or 4' : 'the extra symmetric key needs a private conversation',
        });
        return;
    }
  }
}

/**
 * The sentence the user is shown for a problem the library reports (as an
 * `error` event; the driver contract has no other fields for it), or
 * undefined for a dropped message the user need not hear about.
 */
export function problemText(event: Extract<OtrEvent, { kind: 'peer-error' | 'protocol-error' }>): string;
export function problemText(event: Extract<OtrEvent, { kind: 'dropped' }>): string | undefined;
export function problemText(event: Extract<OtrEvent, { kind: 'peer-error' | 'protocol-error' | 'dropped' }>): string | undefined {
  const peer = event.peer;
  switch (event.kind) {
    case 'peer-error':
      // Several error messages collapsed into one event: the count is told in the text.
      return `${peer} reported an OTR error: ${event.text}${event.repeated === undefined ? '' : ` (and ${event.repeated - 1} more like it)`}`;
    case 'protocol-error':
      return event.reason === 'unsupported-key'
        ? `${peer} uses an unsupported key type (not a 1024-bit DSA key); cannot start a private conversation`
        : `an OTR message from ${peer} could not be read (${event.reason})`;
    case 'dropped':
      return event.reason === 'instance-limit'
        ? `${peer} is starting too many private conversations at once (from more than ${limits.MAX_INSTANCES_PER_CONTACT} instances); one was given up`
        : undefined;
  }
}
