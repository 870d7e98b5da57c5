/**
 * The SIP chat engine (engine-api.ts): one SIP account (SipAccount), its
 * chat sessions (an INVITE with one MSRP chat stream each), one shared OTR
 * account, and per session an MsrpChannel (the MSRP session and its
 * connection) and a ChatStream (Blink's chat logic). Trust comes from the
 * TrustBook keyed by the peer's SIP address; "always use OTR" per contact
 * from the store; user messages go to the history when logging is on.
 *
 * Connections (sip-msrp.md 4.1, 6.1): as caller we are `a=setup:active`
 * and connect to the callee's first path hop (or, with a relay, send over
 * our AUTHed relay connection); as callee of an `active` offer we are
 * passive: AUTH at the relay and answer with its Use-Path, or listen; as
 * callee of an `actpass`/`passive` offer we answer active and connect.
 * The stream starts (OTR query per policy) when the active side has bound
 * the connection, and on the passive side when the peer's first bytes
 * arrive.
 */
import { Account, DeadlineTimer, Policies, UsageError, type DsaPrivateKey, type Ed448KeyPair, type Ed448Point, type Outcome, type Policy } from '@sotto/otr';
import { CHAT_ACCEPT_TYPES, CHAT_ACCEPT_WRAPPED_TYPES, ChatStream, ChatUsageError, peerKey, type ChatEvent, type ChatOutcome } from '@sotto/chat';
import { formatMsrpUri, newSessionId, parseMsrpUri, parsePath, systemRandom, weConnect, type MsrpEvent, type MsrpUri } from '@sotto/msrp';
import type { History, HistoryPage } from '@sotto/store';
import { RecentMap } from '../session/recent-map.js';
import { policyFor, type PolicyName, type Versions } from '../session/policy-names.js';
import type { TrustBook } from '../session/trust-book.js';
import type { Fingerprints } from '../session/driver-events.js';
import { highestFingerprint, ourFingerprints, v4AccountOption } from '../session/own-identity.js';
import { SipAccount, type ChatSession, type SessionEnded } from '../sip/account.js';
import { answerSetup, type ChatSdp, type ChatSdpInput, type MsrpSdpTransport } from '../sip/sdp.js';
import type { SipTlsOptions } from '../sip/transport.js';
import type { SipChatEngine, SipChatEvent, SipSessionInfo } from './engine-api.js';
import { MsrpChannel } from './msrp-net/channel.js';
import { msrpServerContext } from './msrp-net/certificate.js';
import { connectMsrp } from './msrp-net/connect.js';
import { MsrpNetError } from './msrp-net/errors.js';
import { MsrpLink } from './msrp-net/link.js';
import { MsrpListener } from './msrp-net/listener.js';
import { authenticateAtRelay, type RelayConnection, type RelaySettings } from './msrp-net/relay-auth.js';
import { tellOtrEvent, type OtrEventSink } from './otr-events.js';

/** The policy names of SIP mode: the three of the echo network, and `never` (no OTR at all). */
export type SipPolicyName = PolicyName | 'never';

/** Chat sessions at once (each holds a connection, an MSRP session and an OTR conversation). */
export const MAX_SESSIONS = 32;
/** User message ids remembered per session to name their delivery events. */
const MAX_IDS_PER_SESSION = 1024;
/** How often undecodable OTR from one peer may be told as an `error`. */
const ERROR_EVENT_INTERVAL_MS = 1000;
/**
 * After ending OTR at hang-up, the BYE waits this long once the disconnect
 * message left, so that it reaches the peer (through its relay) before the
 * BYE (through the proxy): the peer then sees `finished` first.
 */
const END_OTR_GRACE_MS = 300;
/** After the peer's MSRP connection closed, how long a BYE may take to arrive before the session is ended as an error. */
const BYE_GRACE_MS = 2000;
/** The port Blink advertises when nothing listens (its caller's a=path). */
const NOT_LISTENING_PORT = 2855;
/** The port advertised with `unreachableOwnUri` (discard: nothing answers there). */
const UNREACHABLE_PORT = 9;

/** The engine's OTRv4 identity (the store's). */
export interface EngineV4Identity {
  readonly identityKey: Ed448KeyPair;
  readonly forgingKey: Ed448Point;
  readonly profile?: Uint8Array | undefined;
}

/** What the engine is built from. */
export interface SipChatEngineOptions {
  /** `sip:user@domain`. */
  readonly aor: string;
  readonly password?: string | undefined;
  readonly displayName?: string | undefined;
  readonly proxy: { readonly host: string; readonly port: number; readonly transport: 'tcp' | 'tls' };
  readonly tls?: SipTlsOptions | undefined;
  /** The MSRP relay to AUTH at (with the SIP credentials); absent: none. */
  readonly msrpRelay?: { readonly host: string; readonly port: number; readonly transport: 'tcp' | 'tls'; readonly sendDigestUri?: boolean | undefined } | undefined;
  /** MSRP transport of our offers: tcp (`TCP/MSRP`) or tls (`TCP/TLS/MSRP`, Blink's default). */
  readonly msrpTransport: 'tcp' | 'tls';
  /** Relay the caller's MSRP through the relay too (AUTH before the INVITE). Default: when a relay is configured. */
  readonly relayForOutgoing?: boolean | undefined;
  /** The state directory: where the self-signed certificate for MSRP over TLS without a relay is kept; absent: no such listening. */
  readonly stateDir?: string | undefined;
  /** Advertise an own MSRP URI nobody can reach (tests of the NAT case). */
  readonly unreachableOwnUri?: boolean | undefined;
  readonly policy: SipPolicyName;
  readonly versions: Versions;
  readonly privateKey: DsaPrivateKey;
  readonly instanceTag: number;
  readonly v4?: EngineV4Identity | undefined;
  readonly onProfileRefreshed?: ((profile: Uint8Array, expiresAt: number) => void) | undefined;
  readonly trust: TrustBook;
  /** Per-contact settings ("always use OTR"), the store's. */
  readonly contacts: {
    contactSettings(account: string, contact: string): { requireEncryption: boolean };
    setContactSettings(account: string, contact: string, settings: { requireEncryption: boolean }): Promise<void>;
  };
  readonly history?: History | undefined;
  readonly emit: (event: SipChatEvent) => void;
  readonly log: (line: string) => void;
  readonly clock?: () => number;
  /** SIP reconnection backoff (tests). */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number } | undefined;
}

interface Entry {
  readonly peer: string;
  readonly direction: 'in' | 'out';
  readonly sip: ChatSession;
  state: SipSessionInfo['state'];
  focus: boolean;
  remote: ChatSdp | undefined;
  channel: MsrpChannel | undefined;
  relay: RelayConnection | undefined;
  stream: ChatStream | undefined;
  stopListening: (() => void) | undefined;
  composing: 'active' | 'idle';
  /** Stream message id -> the user's id and text (until sent or failed). */
  readonly ids: RecentMap<string, { readonly id: string; readonly text: string; readonly contentType: string }>;
  /** How the session ends, when we know better than SIP does. */
  endedBy: { by: 'local' | 'remote' | 'error'; reason: string } | undefined;
  ended: boolean;
  lastFingerprint: string | undefined;
  /** Runs out when the MSRP connection closed and no BYE followed. */
  lostTimer: NodeJS.Timeout | undefined;
}

/** The OTR whitespace tag (its base and the 8-character version tags after it; Protocol-v3, "Tagged plaintext messages"). */
const WHITESPACE_TAG = / \t {2}\t{4} \t \t \t {2}(?:[ \t]{8})*/g;

/** `text` without OTR whitespace tags. */
export function withoutWhitespaceTag(text: string): string {
  return text.replace(WHITESPACE_TAG, '');
}

/** Whether a session ended while we waited (read afresh after an await). */
function gone(entry: Entry, channel: MsrpChannel): boolean {
  return entry.ended || channel.closed;
}

/** Makes the engine and registers; rejects (with the account stopped) when the first REGISTER fails. */
export async function startSipChatEngine(options: SipChatEngineOptions): Promise<SipChatEngineImpl> {
  const engine = new SipChatEngineImpl(options);
  await engine.start();
  return engine;
}

/** The engine. */
export class SipChatEngineImpl implements SipChatEngine, OtrEventSink {
  readonly address: string;
  readonly #options: SipChatEngineOptions;
  readonly #sip: SipAccount;
  readonly #account: Account;
  readonly #timer: DeadlineTimer<NodeJS.Timeout>;
  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #lastError = new RecentMap<string, number>(256);
  #listener: Promise<MsrpListener> | undefined;
  #tlsListener: Promise<MsrpListener> | undefined;
  #stopped = false;
  #stopping: Promise<void> | undefined;

  constructor(options: SipChatEngineOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.address = peerKey(options.aor);
    this.#account = new Account({
      privateKey: options.privateKey,
      instanceTag: options.instanceTag,
      policy: this.#defaultPolicy(),
      // The DAKE binds both addresses: ours is the address of record, as the peer names us.
      ...v4AccountOption(options.v4 === undefined ? undefined : { ...options.v4, address: this.address }, options.versions),
    });
    this.#timer = new DeadlineTimer({
      nextDeadline: () => this.#account.nextDeadline(),
      onDeadline: (now) => this.#onOtrDeadline(this.#account.onDeadline(now), now),
      now: this.#clock,
      setTimeout: (run, delay) => setTimeout(run, delay).unref(),
      clearTimeout: (handle) => clearTimeout(handle),
    });
    this.#timer.reschedule();
    this.#sip = new SipAccount({
      aor: options.aor,
      password: options.password,
      displayName: options.displayName,
      proxy: options.proxy,
      tls: options.tls,
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    });
    this.#sip.on('registration', ({ state }) => {
      if (state === 'registered') this.emit({ event: 'x-registration', state: 'registered' });
      else if (state === 'unregistered' && !this.#stopped) this.emit({ event: 'x-registration', state: 'unregistered' });
    });
    this.#sip.on('registration-failed', ({ reason }) => this.emit({ event: 'x-registration', state: 'failed', reason }));
    this.#sip.on('incoming', (session) => this.#incoming(session));
    this.#sip.on('incoming-refused', ({ from, reason }) => this.#options.log(`refused an INVITE from ${from}: ${reason}`));
    this.#sip.on('error', (error) => this.#options.log(`SIP: ${error.code}: ${error.message}`));
  }

  /** Registers; resolves once registered. */
  async start(): Promise<void> {
    await this.#sip.start();
  }

  /** Our fingerprints by key family enabled. */
  get fingerprints(): Fingerprints {
    return ourFingerprints(this.#account, this.#options.versions);
  }

  /** Our fingerprint for the highest version enabled. */
  get fingerprint(): string {
    return highestFingerprint(this.#account, this.#options.versions);
  }

  // ---- commands ----

  call(peerText: string): void {
    const peer = this.#peerOf(peerText);
    if (peer === undefined) return;
    if (this.#entries.has(peer)) {
      this.emit({ event: 'error', peer, message: `there is already a chat session with ${peer}` });
      return;
    }
    if (this.#entries.size >= MAX_SESSIONS) {
      this.emit({ event: 'error', peer, message: `too many chat sessions (at most ${MAX_SESSIONS})` });
      return;
    }
    const ownUri = this.#ownUri(NOT_LISTENING_PORT);
    const useRelay = this.#options.msrpRelay !== undefined && (this.#options.relayForOutgoing ?? true);
    const holder: { entry?: Entry } = {};
    const offer = async (): Promise<ChatSdpInput> => {
      let path: readonly MsrpUri[] = [ownUri];
      if (useRelay) {
        const relay = await authenticateAtRelay(this.#relaySettings(), ownUri, this.#clock);
        const entry = holder.entry;
        if (entry === undefined || entry.ended) {
          relay.link.close();
          throw new MsrpNetError('connection-lost', 'the session ended');
        }
        entry.relay = relay;
        path = relay.path;
      }
      return this.#description(path, 'active', this.#ourTransport());
    };
    let sip: ChatSession;
    try {
      sip = this.#sip.call(peer, offer);
    } catch (error) {
      this.emit({ event: 'error', peer, message: `cannot call ${peer}: ${(error as Error).message}` });
      return;
    }
    const made = this.#track(peer, 'out', sip, 'calling');
    holder.entry = made;
    sip.on('established', ({ remote, focus }) => {
      made.remote = remote;
      made.focus = focus;
      made.state = 'connecting';
      void this.#connectOut(made, ownUri);
    });
  }

  accept(peerText: string): void {
    const peer = this.#peerOf(peerText);
    if (peer === undefined) return;
    const entry = this.#entries.get(peer);
    if (entry?.state !== 'incoming') {
      this.emit({ event: 'error', peer, message: `no incoming chat session from ${peer} to accept` });
      return;
    }
    entry.state = 'connecting';
    void this.#answer(entry).catch((error: unknown) => {
      this.#options.log(`cannot accept ${peer}: ${(error as Error).message}`);
      entry.endedBy ??= { by: 'error', reason: (error as Error).message };
      void entry.sip.reject(488).catch(() => undefined);
      this.#finish(entry, { by: 'error', reason: (error as Error).message });
    });
  }

  reject(peerText: string): void {
    const peer = this.#peerOf(peerText);
    if (peer === undefined) return;
    const entry = this.#entries.get(peer);
    if (entry?.state !== 'incoming') {
      this.emit({ event: 'error', peer, message: `no incoming chat session from ${peer} to reject` });
      return;
    }
    void entry.sip.reject(603).catch(() => undefined);
  }

  hangup(peerText: string): void {
    const peer = this.#peerOf(peerText);
    if (peer === undefined) return;
    const entry = this.#entries.get(peer);
    if (entry === undefined) {
      this.emit({ event: 'error', peer, message: `no chat session with ${peer}` });
      return;
    }
    void this.#hangup(entry);
  }

  send(peerText: string, text: string, options: { readonly id?: string; readonly contentType?: string } = {}): string | undefined {
    const entry = this.#active(peerText);
    if (entry?.stream === undefined) return undefined;
    const stream = entry.stream;
    let outcome: ChatOutcome & { readonly id: string };
    try {
      outcome = stream.sendMessage(text, this.#clock(), options.contentType === undefined ? {} : { contentType: options.contentType });
    } catch (error) {
      this.emit({ event: 'error', peer: entry.peer, message: (error as Error).message });
      return undefined;
    }
    const id = options.id ?? outcome.id;
    entry.ids.set(outcome.id, { id, text, contentType: options.contentType ?? 'text/plain' });
    this.#apply(entry, outcome);
    if (outcome.events.some((event) => event.kind === 'notice' && event.code === 'waiting-for-encryption')) {
      // DRIVER.md, policy always: the send starts the AKE and is told as not sent; the text goes out once secure.
      this.emit({ event: 'not-sent', to: entry.peer, reason: 'encryption-required' });
      this.emit({ event: 'x-held', peer: entry.peer, id });
    }
    return id;
  }

  composing(peerText: string, state: 'active' | 'idle'): void {
    const entry = this.#active(peerText);
    if (entry?.stream === undefined) return;
    this.#apply(entry, entry.stream.sendComposing(state, this.#clock()));
  }

  startOtr(peer: string): void {
    this.#otr(peer, (stream, now) => stream.startOtr(now));
  }

  endOtr(peer: string): void {
    this.#otr(peer, (stream, now) => stream.endOtr(now));
  }

  startSmp(peer: string, secret: string, question?: string): void {
    this.#otr(peer, (stream, now) => stream.startSmp(secret, question, now));
  }

  answerSmp(peer: string, secret: string): void {
    this.#otr(peer, (stream, now) => stream.answerSmp(secret, now));
  }

  abortSmp(peer: string): void {
    this.#otr(peer, (stream, now) => stream.abortSmp(now));
  }

  trust(peerText: string): void {
    const entry = this.#active(peerText);
    if (entry === undefined) return;
    if (entry.focus) {
      this.emit({ event: 'error', peer: entry.peer, message: 'no OTR with a conference focus' });
      return;
    }
    const fingerprint = entry.lastFingerprint;
    if (fingerprint === undefined) {
      this.emit({ event: 'error', peer: entry.peer, message: `no fingerprint of ${entry.peer} to trust yet: start a private conversation first` });
      return;
    }
    this.#options.trust.verify(entry.peer, fingerprint, 'manual', new Date(this.#clock()));
    this.emit({ event: 'trusted', peer: entry.peer, fingerprint });
    if (entry.stream !== undefined) this.#apply(entry, entry.stream.refreshTrust());
  }

  symkey(peerText: string, use: number, usedata: Uint8Array): void {
    const entry = this.#active(peerText);
    if (entry?.stream === undefined) return;
    if (!entry.stream.otrAvailable) {
      this.emit({ event: 'error', peer: entry.peer, message: entry.focus ? 'no OTR with a conference focus' : 'OTR is off' });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = this.#account.useExtraSymmetricKey(entry.peer, use, usedata, this.#clock());
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      this.emit({ event: 'error', peer: entry.peer, message: error.message });
      return;
    }
    this.#apply(entry, entry.stream.onOtrOutcome(outcome, this.#clock()));
  }

  async setAlwaysOtr(peerText: string, on: boolean): Promise<void> {
    const peer = this.#peerOf(peerText);
    if (peer === undefined) return;
    await this.#options.contacts.setContactSettings(this.address, peer, { requireEncryption: on });
  }

  sessions(): readonly SipSessionInfo[] {
    return [...this.#entries.values()].map((entry) => {
      const stream = entry.stream;
      const status = stream === undefined ? undefined : this.#account.status(entry.peer);
      const encrypted = stream?.otrState === 'encrypted';
      return {
        peer: entry.peer,
        direction: entry.direction,
        state: entry.state,
        focus: entry.focus,
        cpim: stream?.cpim ?? false,
        lock: stream?.lock ?? 'none',
        ...(encrypted && status?.version !== undefined ? { otrVersion: status.version } : {}),
        ...(encrypted && entry.lastFingerprint !== undefined ? { theirFingerprint: entry.lastFingerprint } : {}),
        composing: entry.composing,
        alwaysOtr: this.#alwaysOtr(entry.peer),
      };
    });
  }

  history(peerText: string, options: { readonly search?: string; readonly limit?: number } = {}): HistoryPage | 'logging-off' {
    const history = this.#options.history;
    const peer = peerKey(peerText);
    if (history === undefined || !history.loggingEnabled) return 'logging-off';
    if (options.search !== undefined) {
      const found = history.search(this.address, options.search, { peer, ...(options.limit === undefined ? {} : { limit: options.limit }) });
      return Array.isArray(found) ? { messages: found, hasOlder: false } : found;
    }
    return history.messages(this.address, peer, options.limit === undefined ? {} : { limit: options.limit });
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    await Promise.allSettled([...this.#entries.values()].map((entry) => this.#hangup(entry)));
    this.#stopped = true;
    await this.#sip.stop();
    for (const entry of [...this.#entries.values()]) this.#finish(entry, { by: 'local', reason: 'stopped' });
    this.#timer.close();
    this.#account.wipe();
    for (const listener of [this.#listener, this.#tlsListener]) {
      if (listener !== undefined) await (await listener.catch(() => undefined))?.close();
    }
  }

  // ---- OtrEventSink ----

  emit(event: SipChatEvent): void {
    this.#options.emit(event);
  }

  tellError(peer: string, message: string): void {
    const now = this.#clock();
    if (now - (this.#lastError.get(peer) ?? -Infinity) < ERROR_EVENT_INTERVAL_MS) return;
    this.#lastError.set(peer, now);
    this.emit({ event: 'error', peer, message });
  }

  smpSucceeded(peer: string): void {
    const entry = this.#entries.get(peer);
    const fingerprint = entry?.lastFingerprint;
    if (entry === undefined || fingerprint === undefined) return;
    this.#options.trust.verify(peer, fingerprint, 'smp', new Date(this.#clock()));
    this.emit({ event: 'trusted', peer, fingerprint });
    if (entry.stream !== undefined) this.#apply(entry, entry.stream.refreshTrust());
  }

  log(line: string): void {
    this.#options.log(line);
  }

  // ---- sessions ----

  #track(peer: string, direction: 'in' | 'out', sip: ChatSession, state: SipSessionInfo['state']): Entry {
    const entry: Entry = {
      peer,
      direction,
      sip,
      state,
      focus: sip.focus,
      remote: sip.remote,
      channel: undefined,
      relay: undefined,
      stream: undefined,
      stopListening: undefined,
      composing: 'idle',
      ids: new RecentMap(MAX_IDS_PER_SESSION),
      endedBy: undefined,
      ended: false,
      lastFingerprint: undefined,
      lostTimer: undefined,
    };
    this.#entries.set(peer, entry);
    sip.on('ended', (ended) => this.#finish(entry, ended));
    return entry;
  }

  #incoming(sip: ChatSession): void {
    const peer = peerKey(sip.remoteUri);
    if (this.#entries.has(peer) || this.#entries.size >= MAX_SESSIONS || this.#stopping !== undefined) {
      void sip.reject(486).catch(() => undefined);
      return;
    }
    this.#track(peer, 'in', sip, 'incoming');
    this.emit({ event: 'incoming', peer, focus: sip.focus });
  }

  async #answer(entry: Entry): Promise<void> {
    const remote = entry.remote;
    if (remote === undefined) throw new MsrpNetError('connect-failed', 'no offer');
    const remotePath = parsePath(remote.media.path.join(' '));
    if (remotePath === undefined || remotePath.length === 0) throw new MsrpNetError('connect-failed', 'the offer has no usable MSRP path');
    const transport = remote.media.transport;
    const setup = answerSetup(remote.media.setup);
    const tls = transport === 'TCP/TLS/MSRP';
    if (setup === 'active') {
      // We connect once the session is up; our URI is advertised as Blink's caller does (nothing listens there).
      const ownUri = this.#ownUri(NOT_LISTENING_PORT, tls);
      entry.sip.on('established', () => void this.#connectActive(entry, ownUri, remotePath));
      await entry.sip.accept(this.#description([ownUri], 'active', transport));
      return;
    }
    // Passive: the caller connects to our first path hop.
    if (this.#options.msrpRelay !== undefined) {
      const ownUri = this.#ownUri(NOT_LISTENING_PORT, tls);
      const relay = await authenticateAtRelay(this.#relaySettings(), ownUri, this.#clock);
      if (entry.ended) {
        relay.link.close();
        return;
      }
      entry.relay = relay;
      const channel = this.#channel(entry, relay.path, remotePath, relay);
      channel.attach(relay.link);
      await entry.sip.accept(this.#description(relay.path, 'passive', transport));
      return;
    }
    const listener = await (tls ? this.#ensureTlsListener() : this.#ensureListener());
    if (entry.ended) return;
    const ownUri = this.#ownUri(listener.port, tls);
    const channel = this.#channel(entry, [ownUri], remotePath, undefined);
    entry.stopListening = listener.expect(ownUri.sessionId ?? '', (socket, bytes) => {
      entry.stopListening?.();
      entry.stopListening = undefined;
      if (channel.attached || channel.closed) {
        socket.destroy();
        return;
      }
      channel.attach(new MsrpLink(socket, [bytes]));
    });
    await entry.sip.accept(this.#description([ownUri], 'passive', transport));
  }

  async #connectOut(entry: Entry, ownUri: MsrpUri): Promise<void> {
    const remote = entry.remote;
    const remotePath = remote === undefined ? undefined : parsePath(remote.media.path.join(' '));
    if (remote === undefined || remotePath === undefined || remotePath.length === 0) {
      this.#fail(entry, 'the answer has no usable MSRP path');
      return;
    }
    if (!weConnect('active', remote.media.setup, true)) {
      this.#fail(entry, 'the peer wants to connect to us, but we offered to connect');
      return;
    }
    if (entry.relay !== undefined) {
      const channel = this.#channel(entry, entry.relay.path, remotePath, entry.relay);
      channel.attach(entry.relay.link);
      channel.bind();
      this.#startStream(entry);
      return;
    }
    await this.#connectActive(entry, ownUri, remotePath);
  }

  async #connectActive(entry: Entry, ownUri: MsrpUri, remotePath: readonly MsrpUri[]): Promise<void> {
    const first = remotePath[0];
    if (first === undefined || entry.ended) return;
    const channel = this.#channel(entry, [ownUri], remotePath, undefined);
    try {
      // Straight to the peer (a one-hop path): its certificate is self-signed, taken unchecked as msrplib does; a relay's is verified.
      const socket = await connectMsrp(first, { ...this.#tlsOptions(), verify: remotePath.length > 1 });
      if (gone(entry, channel)) {
        socket.destroy();
        return;
      }
      channel.attach(new MsrpLink(socket));
    } catch (error) {
      this.#fail(entry, error instanceof MsrpNetError ? error.message : 'cannot connect for MSRP');
      return;
    }
    channel.bind();
    this.#startStream(entry);
  }

  #channel(entry: Entry, localPath: readonly MsrpUri[], remotePath: readonly MsrpUri[], relay: RelayConnection | undefined): MsrpChannel {
    const channel = new MsrpChannel(
      { localPath, remotePath, relay: relay?.client, now: this.#clock },
      {
        onEvents: (events) => this.#onMsrp(entry, events),
        onFirstData: () => {
          if (entry.stream === undefined) this.#startStream(entry);
        },
        // The peer's BYE (through the proxy) may come just after its MSRP connection closed: wait for it before calling this an error.
        onClosed: (_error, reason) => {
          if (entry.ended || entry.endedBy !== undefined) return;
          entry.lostTimer = setTimeout(() => this.#fail(entry, reason), BYE_GRACE_MS);
          entry.lostTimer.unref();
        },
      },
    );
    entry.channel = channel;
    return channel;
  }

  #startStream(entry: Entry): void {
    if (entry.stream !== undefined || entry.ended) return;
    const remote = entry.remote;
    if (remote === undefined) return;
    const stream = new ChatStream({
      account: this.#account,
      local: { uri: this.address, ...(this.#options.displayName === undefined ? {} : { displayName: this.#options.displayName }) },
      remote: { uri: entry.peer, ...(entry.sip.remoteDisplayName === undefined ? {} : { displayName: entry.sip.remoteDisplayName }) },
      remoteAcceptTypes: remote.media.acceptTypes,
      remoteAcceptWrappedTypes: remote.media.acceptWrappedTypes,
      policy: this.#policyFor(entry.peer),
      trust: this.#options.trust,
      focus: entry.focus,
    });
    entry.stream = stream;
    entry.state = 'active';
    this.emit({ event: 'session-started', peer: entry.peer, cpim: stream.cpim });
    this.#apply(entry, stream.start(this.#clock()));
  }

  async #hangup(entry: Entry): Promise<void> {
    if (entry.ended) return;
    entry.endedBy ??= { by: 'local', reason: 'hangup' };
    const stream = entry.stream;
    if (stream !== undefined && stream.otrAvailable && stream.otrState !== 'plaintext') {
      try {
        this.#apply(entry, stream.endOtr(this.#clock()));
        await entry.channel?.flushed();
        await new Promise((resolve) => setTimeout(resolve, END_OTR_GRACE_MS));
      } catch (error) {
        this.#options.log(`ending OTR at hang-up: ${(error as Error).message}`);
      }
    }
    try {
      await entry.sip.hangup();
    } catch (error) {
      this.#options.log(`hang-up: ${(error as Error).message}`);
      this.#finish(entry, { by: 'local', reason: 'hangup' });
    }
  }

  /** The MSRP side failed: end the SIP session too. */
  #fail(entry: Entry, reason: string): void {
    if (entry.ended) return;
    this.#options.log(`session with ${entry.peer}: ${reason}`);
    entry.endedBy ??= { by: 'error', reason };
    void entry.sip.hangup().catch(() => this.#finish(entry, { by: 'error', reason }));
  }

  #finish(entry: Entry, ended: SessionEnded): void {
    if (entry.ended) return;
    entry.ended = true;
    clearTimeout(entry.lostTimer);
    entry.stopListening?.();
    if (entry.stream !== undefined) this.#apply(entry, entry.stream.close(this.#clock()));
    entry.channel?.close();
    entry.relay?.link.close();
    if (this.#entries.get(entry.peer) === entry) this.#entries.delete(entry.peer);
    const how = entry.endedBy ?? { by: ended.by, reason: ended.reason };
    this.emit({ event: 'session-ended', peer: entry.peer, by: how.by, reason: how.reason });
  }

  // ---- MSRP and chat events ----

  #onMsrp(entry: Entry, events: readonly MsrpEvent[]): void {
    const now = this.#clock();
    for (const event of events) {
      const stream = entry.stream;
      switch (event.kind) {
        case 'message': {
          if (stream === undefined || entry.ended) {
            entry.channel?.report(event.messageId, 481);
            break;
          }
          if (this.#options.policy === 'never' && !entry.focus && new TextDecoder().decode(event.body.subarray(0, 4096)).includes('?OTR')) {
            // OTR is off: an OTR message is told, not acted on nor shown as text.
            this.emit({ event: 'x-notice', peer: entry.peer, code: 'otr-off', text: `${entry.peer} sent an OTR message; OTR is off (--policy never)` });
            this.tellError(entry.peer, `${entry.peer} sent an OTR message, but OTR is off`);
            entry.channel?.report(event.messageId, 200);
            break;
          }
          const outcome = stream.receive({ contentType: event.contentType, body: event.body }, now);
          this.#apply(entry, outcome);
          entry.channel?.report(event.messageId, outcome.status.code);
          break;
        }
        case 'delivered':
          if (stream !== undefined) this.#apply(entry, stream.deliveryReport(event.messageId, 200, 'OK'));
          break;
        case 'not-delivered':
          if (stream === undefined || event.reason === 'closed') break;
          if (event.reason === 'report') this.#apply(entry, stream.deliveryReport(event.messageId, event.status, 'failure report'));
          else this.#apply(entry, stream.transactionResponse(event.messageId, event.status, event.reason === 'timeout' ? 'Request Timeout' : 'error response'));
          break;
        case 'protocol-error':
          this.#options.log(`MSRP from ${entry.peer}: ${event.code}`);
          break;
        case 'message-dropped':
          this.#options.log(`MSRP message from ${entry.peer} dropped: ${event.reason}`);
          break;
        case 'relay-failed':
          this.#fail(entry, `the MSRP relay refused the refresh (${event.reason})`);
          break;
        default:
          break;
      }
    }
  }

  #apply(entry: Entry, outcome: ChatOutcome): void {
    const stream = entry.stream;
    for (const payload of outcome.send) {
      if (payload.kind === 'message' && payload.id !== undefined) this.#sent(entry, payload.id);
      if (entry.channel === undefined || !entry.channel.send(payload.contentType, payload.body, payload.reports, payload.id)) {
        this.#options.log(`could not send to ${entry.peer}: the MSRP session is not up`);
      }
    }
    for (const event of outcome.events) this.#chatEvent(entry, event);
    if (stream !== undefined) this.#timer.reschedule();
  }

  /** A user message leaves now: record it (with its encryption now) and tell the terminal. */
  #sent(entry: Entry, streamId: string): void {
    const known = entry.ids.get(streamId);
    if (known === undefined) return;
    const encryption = this.#encryptionNow(entry);
    this.#record(entry, 'out', known.text, known.contentType, encryption, streamId, 'pending');
    this.emit({ event: 'x-sent', peer: entry.peer, id: known.id, text: known.text, encrypted: encryption.status !== 'plaintext' });
  }

  #chatEvent(entry: Entry, event: ChatEvent): void {
    const peer = entry.peer;
    switch (event.kind) {
      case 'message': {
        const encryption = event.encryption === 'plaintext' || event.fingerprint === undefined
          ? { status: 'plaintext' as const }
          : { status: event.encryption, fingerprint: event.fingerprint, otrVersion: this.#versionOf(peer) };
        // Without OTR, a peer's whitespace tag (it offers OTR) is not part of what it wrote.
        const text = this.#options.policy === 'never' && !entry.focus ? withoutWhitespaceTag(event.text) : event.text;
        this.#record(entry, 'in', text, event.contentType, encryption, undefined, 'not-requested');
        this.emit({ event: 'message', from: peer, text, encrypted: event.encryption !== 'plaintext', content_type: event.contentType });
        return;
      }
      case 'composing':
        entry.composing = event.state;
        this.emit({ event: 'composing', peer, state: event.state });
        return;
      case 'otr-state':
        this.#otrState(entry, event);
        return;
      case 'otr':
        if (event.event.kind === 'profile-refreshed') return; // told once, from the account's own outcome
        tellOtrEvent(this, event.event);
        return;
      case 'delivered': {
        const known = entry.ids.get(event.id);
        this.#options.history?.setDelivery(this.address, event.id, 'delivered');
        this.emit({ event: 'delivered', peer, id: known?.id ?? event.id });
        return;
      }
      case 'not-delivered': {
        const known = entry.ids.get(event.id);
        this.#options.history?.setDelivery(this.address, event.id, 'failed');
        this.emit({ event: 'not-delivered', peer, id: known?.id ?? event.id, reason: event.reason });
        return;
      }
      case 'notice':
        this.emit({ event: 'x-notice', peer, code: event.code, text: event.text });
        return;
      case 'receive-error':
        this.#options.log(`a message from ${peer} was refused: ${event.problem} (${event.detail})`);
        if (event.problem === 'otr') this.tellError(peer, `an OTR message from ${peer} could not be read`);
        return;
    }
  }

  #otrState(entry: Entry, event: Extract<ChatEvent, { kind: 'otr-state' }>): void {
    const peer = entry.peer;
    if (event.state === 'encrypted' && event.fingerprint !== undefined && event.version !== undefined) {
      const fingerprint = event.fingerprint;
      if (event.ssid !== undefined) {
        // A new AKE: record the fingerprint as seen, tell a change before its `secure`.
        entry.lastFingerprint = fingerprint;
        const seen = this.#options.trust.seen(peer, fingerprint, new Date(this.#clock()));
        if (seen.changed) this.emit({ event: 'fingerprint-changed', peer, fingerprint, ...(seen.crossVersion ? { crossVersion: true } : {}) });
        this.emit({ event: 'secure', peer, version: event.version, fingerprint, ssid: event.ssid, trusted: seen.verified });
      }
      this.emit({ event: 'x-lock', peer, lock: event.lock });
      return;
    }
    if (event.state === 'encrypted') {
      this.emit({ event: 'x-lock', peer, lock: event.lock });
      return;
    }
    this.emit({ event: event.state === 'finished' ? 'finished' : 'insecure', peer });
    this.emit({ event: 'x-lock', peer, lock: 'none' });
  }

  #onOtrDeadline(outcome: Outcome, now: number): void {
    for (const event of outcome.events) {
      if (event.kind === 'profile-refreshed') this.#options.onProfileRefreshed?.(event.profile, event.expiresAt);
    }
    for (const entry of this.#entries.values()) {
      if (entry.stream !== undefined && !entry.ended) this.#apply(entry, entry.stream.onOtrOutcome(outcome, now));
    }
  }

  // ---- helpers ----

  #record(entry: Entry, direction: 'in' | 'out', text: string, contentType: string, encryption: Parameters<History['record']>[0]['encryption'], messageId: string | undefined, delivery: 'pending' | 'not-requested'): void {
    const history = this.#options.history;
    if (history === undefined) return;
    try {
      history.record({
        account: this.address,
        peer: entry.peer,
        direction,
        time: new Date(this.#clock()),
        contentType,
        text,
        delivery,
        encryption,
        ...(messageId === undefined ? {} : { messageId }),
      });
    } catch (error) {
      this.#options.log(`could not record a message in the history: ${(error as Error).message}`);
    }
  }

  #encryptionNow(entry: Entry): Parameters<History['record']>[0]['encryption'] {
    const stream = entry.stream;
    const fingerprint = entry.lastFingerprint;
    if (stream?.otrState !== 'encrypted' || fingerprint === undefined) return { status: 'plaintext' };
    return { status: stream.lock === 'verified' ? 'encrypted-verified' : 'encrypted-unverified', fingerprint, otrVersion: this.#versionOf(entry.peer) };
  }

  #versionOf(peer: string): 2 | 3 | 4 {
    const version = this.#account.status(peer).version;
    return version === 2 || version === 4 ? version : 3;
  }

  #otr(peerText: string, call: (stream: ChatStream, now: number) => ChatOutcome): void {
    const entry = this.#active(peerText);
    if (entry?.stream === undefined) return;
    try {
      this.#apply(entry, call(entry.stream, this.#clock()));
    } catch (error) {
      if (error instanceof ChatUsageError && error.code === 'otr-unavailable') {
        this.emit({ event: 'error', peer: entry.peer, message: entry.focus ? `${entry.peer} is a conference focus: no OTR with a conference` : 'OTR is off (--policy never)' });
        return;
      }
      if (error instanceof ChatUsageError || error instanceof UsageError) {
        this.emit({ event: 'error', peer: entry.peer, message: error.message });
        return;
      }
      throw error;
    }
  }

  /** The active session with `peer`, or an `error` event. */
  #active(peerText: string): Entry | undefined {
    const peer = this.#peerOf(peerText);
    if (peer === undefined) return undefined;
    const entry = this.#entries.get(peer);
    if (entry?.stream === undefined || entry.ended) {
      this.emit({ event: 'error', peer, message: `no chat session with ${peer}` });
      return undefined;
    }
    return entry;
  }

  #peerOf(text: string): string | undefined {
    const peer = /^sips?:/i.test(text) ? peerKey(text) : undefined;
    if (peer === undefined) this.emit({ event: 'error', peer: text, message: 'a peer is a SIP address, sip:user@domain' });
    return peer;
  }

  #alwaysOtr(peer: string): boolean {
    try {
      return this.#options.contacts.contactSettings(this.address, peer).requireEncryption;
    } catch {
      return false;
    }
  }

  #defaultPolicy(): Policy {
    return this.#options.policy === 'never' ? Policies.NEVER : policyFor(this.#options.policy, this.#options.versions);
  }

  #policyFor(peer: string): Policy {
    if (this.#options.policy === 'never') return Policies.NEVER;
    return this.#alwaysOtr(peer) ? policyFor('always', this.#options.versions) : policyFor(this.#options.policy, this.#options.versions);
  }

  #ourTransport(): MsrpSdpTransport {
    return this.#options.msrpTransport === 'tls' ? 'TCP/TLS/MSRP' : 'TCP/MSRP';
  }

  #ownUri(port: number, tls = this.#options.msrpTransport === 'tls'): MsrpUri {
    const host = this.#sip.transport.localAddress ?? '127.0.0.1';
    const shown = host.includes(':') ? `[${host}]` : host;
    const usedPort = this.#options.unreachableOwnUri === true ? UNREACHABLE_PORT : port;
    const uri = parseMsrpUri(`${tls ? 'msrps' : 'msrp'}://${shown}:${usedPort}/${newSessionId(systemRandom)};tcp`);
    if (uri === undefined) throw new MsrpNetError('cannot-listen', 'no usable local address for MSRP');
    return uri;
  }

  #description(path: readonly MsrpUri[], setup: 'active' | 'passive', transport: MsrpSdpTransport): ChatSdpInput {
    return {
      transport,
      path: path.map((uri) => formatMsrpUri(uri)),
      acceptTypes: CHAT_ACCEPT_TYPES,
      acceptWrappedTypes: CHAT_ACCEPT_WRAPPED_TYPES,
      setup,
    };
  }

  #relaySettings(): RelaySettings {
    const relay = this.#options.msrpRelay;
    if (relay === undefined) throw new MsrpNetError('relay-failed', 'no MSRP relay configured');
    const user = /^sips?:([^@]+)@/i.exec(this.#options.aor)?.[1] ?? '';
    return {
      host: relay.host,
      port: relay.port,
      tls: relay.transport === 'tls',
      username: decodeURIComponent(user),
      password: this.#options.password ?? '',
      sendDigestUri: relay.sendDigestUri ?? false,
      tlsOptions: this.#tlsOptions(),
    };
  }

  #tlsOptions(): { caFile?: string; caPem?: string } {
    const tls = this.#options.tls;
    return { ...(tls?.caFile === undefined ? {} : { caFile: tls.caFile }), ...(tls?.caPem === undefined ? {} : { caPem: tls.caPem }) };
  }

  /** The listener for MSRP over TLS, with the state directory's self-signed certificate (made on first use). */
  #ensureTlsListener(): Promise<MsrpListener> {
    if (this.#tlsListener === undefined) {
      const stateDir = this.#options.stateDir;
      if (stateDir === undefined) {
        return Promise.reject(new MsrpNetError('cannot-listen', 'MSRP over TLS needs an MSRP relay to receive this call (there is no certificate to listen with)'));
      }
      const host = this.#sip.transport.localAddress ?? '127.0.0.1';
      this.#tlsListener = msrpServerContext(stateDir).then((context) => MsrpListener.listen(host, context));
      this.#tlsListener.catch(() => {
        this.#tlsListener = undefined;
      });
    }
    return this.#tlsListener;
  }

  #ensureListener(): Promise<MsrpListener> {
    if (this.#listener === undefined) {
      const host = this.#sip.transport.localAddress ?? '127.0.0.1';
      this.#listener = MsrpListener.listen(host);
      this.#listener.catch(() => {
        this.#listener = undefined;
      });
    }
    return this.#listener;
  }
}
