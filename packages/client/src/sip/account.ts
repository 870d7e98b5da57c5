/**
 * A SIP account over SIP.js 0.21.2: registration with digest and refresh,
 * re-registration after the connection drops (backoff), chat sessions
 * (INVITE with an `m=message` offer, incoming INVITEs the host accepts or
 * rejects, CANCEL, BYE either side) and the `isfocus` Contact parameter.
 *
 * MSRP is not here: the host supplies the local chat description (its MSRP
 * path) and reads the peer's from `established`.
 */
import {
  Inviter, Registerer, RegistererState, SessionState, UserAgent,
  type Invitation, type Session, type URI,
} from 'sip.js';
import type { IncomingResponse, IncomingRequestMessage, IncomingResponseMessage, NameAddrHeader } from 'sip.js/lib/core/index.js';
import { parseChatSdp, SdpError, type ChatSdp, type MsrpSdpTransport } from './sdp.js';
import { chatDescriptionHandlerFactory, type ChatDescriptionContext, type ChatDescriptionSource } from './sdh.js';
import { SipStreamTransport, SipTransportError, type SipTlsOptions, type SipTransportKind, type SipTransportOptions } from './transport.js';
import type { SipFramingLimits } from './framing.js';

export interface SipAccountOptions {
  /** The account's address of record, e.g. sip:alice@example.org. */
  readonly aor: string;
  readonly displayName?: string | undefined;
  /** Digest credentials; the user defaults to the AOR's user part. */
  readonly password?: string | undefined;
  readonly authorizationUsername?: string | undefined;
  /** Where every request goes (outbound proxy / registrar). */
  readonly proxy: { readonly host: string; readonly port: number; readonly transport: SipTransportKind };
  readonly tls?: SipTlsOptions | undefined;
  /** Requested registration lifetime in seconds (default 600); SIP.js refreshes before it ends. */
  readonly registerExpires?: number | undefined;
  /** Reconnection backoff after the connection drops (default 500 ms doubling to 30 s). */
  readonly reconnect?: { readonly initialDelayMs?: number | undefined; readonly maxDelayMs?: number | undefined } | undefined;
  readonly userAgentString?: string | undefined;
  readonly transportLimits?: SipFramingLimits | undefined;
  readonly keepAliveIntervalMs?: number | undefined;
}

export type RegistrationState = 'unregistered' | 'registering' | 'registered';

export type EndedBy = 'local' | 'remote' | 'error';

export interface SessionEnded {
  readonly by: EndedBy;
  /** A short reason: "hangup", "cancelled", "rejected", "486 Busy Here", "bad SDP", ... (no peer text beyond the reason phrase). */
  readonly reason: string;
  /** The SIP status code that ended it, when one did. */
  readonly statusCode?: number | undefined;
}

export interface SessionEstablished {
  /** The peer's chat description (path, accept-types, setup, transport). */
  readonly remote: ChatSdp;
  readonly remoteSdp: string;
  readonly localSdp: string;
  /** The peer's Contact carries `isfocus` (a conference focus: no OTR). */
  readonly focus: boolean;
}

type Listener<T> = (value: T) => void;

class Events<M extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
  protected emit<K extends keyof M>(event: K, value: M[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as Listener<M[K]>)(value);
  }
}

export interface ChatSessionEvents extends Record<string, unknown> {
  /** A provisional response to our INVITE (180 Ringing, ...). */
  progress: { readonly statusCode: number; readonly reason: string };
  established: SessionEstablished;
  ended: SessionEnded;
}

export type ChatSessionState = 'offering' | 'ringing' | 'established' | 'ended';

/** Whether a Contact header (as SIP.js parsed it) carries isfocus, as a header or URI parameter. */
function contactIsFocus(message: IncomingRequestMessage | IncomingResponseMessage): boolean {
  let contact: NameAddrHeader | undefined;
  try {
    contact = message.parseHeader('contact') as NameAddrHeader | undefined;
  } catch {
    return false;
  }
  if (contact === undefined || typeof contact.hasParam !== 'function') return false;
  return contact.hasParam('isfocus') || contact.uri.hasParam('isfocus');
}

/** One chat session (INVITE dialog), incoming or outgoing. */
export class ChatSession extends Events<ChatSessionEvents> {
  readonly direction: 'incoming' | 'outgoing';
  /** The SIP.js session (for headers of the INVITE and its responses). */
  readonly sip: Session;
  state: ChatSessionState;
  focus = false;
  private endInfo: SessionEnded | undefined;

  /** @internal */
  constructor(
    private readonly dialog: { readonly incoming: Invitation } | { readonly outgoing: Inviter },
    private readonly context: ChatDescriptionContext,
    /** The peer's address (From of an incoming INVITE, the target of ours). */
    readonly remoteUri: string,
    readonly remoteDisplayName: string | undefined,
  ) {
    super();
    this.direction = 'incoming' in dialog ? 'incoming' : 'outgoing';
    this.sip = 'incoming' in dialog ? dialog.incoming : dialog.outgoing;
    const direction = this.direction;
    const sip = this.sip;
    this.state = direction === 'incoming' ? 'ringing' : 'offering';
    sip.stateChange.addListener((state) => {
      if (state === SessionState.Established && direction === 'incoming') this.established();
      // SIP.js moves to Terminated before it hands the final response to the
      // request delegate: let that run first, so the reason is known
      if (state === SessionState.Terminated) setImmediate(() => this.finish());
    });
    sip.delegate = {
      // SIP.js answers a BYE itself only without this delegate: answer it here
      onBye: (bye) => {
        this.setEnd({ by: 'remote', reason: 'hangup' });
        bye.accept().catch(() => undefined);
      },
      onCancel: () => this.setEnd({ by: 'remote', reason: 'cancelled' }),
    };
  }

  /** The peer's chat description: known at once for an incoming session, after the answer for ours. */
  get remote(): ChatSdp | undefined {
    return this.context.remote;
  }

  /** @internal */
  setEnd(info: SessionEnded): void {
    this.endInfo ??= info;
  }

  /** @internal */
  established(): void {
    if (this.state === 'established' || this.state === 'ended') return;
    const remote = this.context.remote;
    if (remote === undefined || this.context.remoteSdp === undefined || this.context.localSdp === undefined) return;
    this.state = 'established';
    this.emit('established', { remote, remoteSdp: this.context.remoteSdp, localSdp: this.context.localSdp, focus: this.focus });
  }

  /** @internal */
  progress(statusCode: number, reason: string): void {
    if (this.state === 'offering') this.state = 'ringing';
    this.emit('progress', { statusCode, reason });
  }

  private finish(): void {
    if (this.state === 'ended') return;
    const wasEstablished = this.state === 'established';
    this.state = 'ended';
    this.emit('ended', this.endInfo ?? (wasEstablished ? { by: 'remote', reason: 'hangup' } : { by: 'error', reason: 'session failed' }));
  }

  /**
   * Accept an incoming session, answering with `answer` (our path etc.).
   * Resolves when the 200 OK is sent; `established` follows.
   */
  async accept(answer: ChatDescriptionSource): Promise<void> {
    if (!('incoming' in this.dialog)) throw new SipUsageError('only an incoming session can be accepted');
    if (this.state !== 'ringing') throw new SipUsageError(`cannot accept a session that is ${this.state}`);
    this.context.local = answer;
    try {
      await this.dialog.incoming.accept();
    } catch (error) {
      this.setEnd({ by: 'error', reason: error instanceof SdpError ? 'bad SDP' : 'accept failed' });
      throw error instanceof Error ? error : new Error('accept failed');
    }
  }

  /** Reject an incoming session (default 486 Busy Here; 603 Decline for "no"). */
  async reject(statusCode = 486): Promise<void> {
    if (!('incoming' in this.dialog)) throw new SipUsageError('only an incoming session can be rejected');
    if (this.state !== 'ringing') throw new SipUsageError(`cannot reject a session that is ${this.state}`);
    if (statusCode < 400 || statusCode > 699) throw new SipUsageError('a rejection is a 4xx, 5xx or 6xx status');
    this.setEnd({ by: 'local', reason: 'rejected', statusCode });
    await this.dialog.incoming.reject({ statusCode });
  }

  /**
   * Ends the session whatever its state: CANCEL before an answer, reject an
   * unanswered incoming one (603), BYE once established.
   */
  async hangup(): Promise<void> {
    switch (this.sip.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if ('outgoing' in this.dialog) {
          this.setEnd({ by: 'local', reason: 'cancelled' });
          await this.dialog.outgoing.cancel();
        } else {
          await this.reject(603);
        }
        return;
      case SessionState.Established:
        this.setEnd({ by: 'local', reason: 'hangup' });
        await this.sip.bye();
        return;
      case SessionState.Terminating:
      case SessionState.Terminated:
        return;
    }
  }
}

/** Misuse of the API by the host (not from the network). */
export class SipUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SipUsageError';
  }
}

export interface SipAccountEvents extends Record<string, unknown> {
  registration: { readonly state: RegistrationState; readonly expires?: number | undefined };
  /** A REGISTER failed (e.g. 403, or digest refused); the account keeps retrying with backoff. */
  'registration-failed': { readonly statusCode?: number | undefined; readonly reason: string };
  connection: { readonly connected: boolean; readonly error?: SipTransportError | undefined };
  /** An incoming chat session: call accept(answer) or reject(). */
  incoming: ChatSession;
  /** An incoming INVITE refused before the host saw it (no chat media, bad SDP: 488). */
  'incoming-refused': { readonly from: string; readonly reason: string };
  /** A typed transport error (hostile or broken input, TLS failure, ...). */
  error: SipTransportError;
}

const DEFAULT_EXPIRES = 600;
/** How long one REGISTER may stay unanswered (RFC 3261 Timer F). */
const REGISTER_LIMIT_MS = 32_000;
/** How long each step of stop() may take. */
const STOP_STEP_LIMIT_MS = 2_000;

/** A SIP account: one connection to its proxy, its registration, its chat sessions. */
export class SipAccount extends Events<SipAccountEvents> {
  readonly ua: UserAgent;
  readonly transport: SipStreamTransport;
  private readonly registerer: Registerer;
  private readonly contexts = new WeakMap<Session, ChatDescriptionContext>();
  private readonly sessions = new Set<ChatSession>();
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  registrationState: RegistrationState = 'unregistered';

  constructor(readonly options: SipAccountOptions) {
    super();
    const uri = UserAgent.makeURI(options.aor);
    if (uri === undefined) throw new SipUsageError('not a SIP URI');
    const transportOptions: SipTransportOptions = {
      kind: options.proxy.transport,
      host: options.proxy.host,
      port: options.proxy.port,
      tls: options.tls,
      limits: options.transportLimits,
      keepAliveIntervalMs: options.keepAliveIntervalMs,
      onError: (error) => this.emit('error', error),
    };
    this.ua = new UserAgent({
      uri,
      ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
      ...(options.password === undefined ? {} : { authorizationUsername: options.authorizationUsername ?? uri.user ?? '', authorizationPassword: options.password }),
      transportConstructor: SipStreamTransport,
      transportOptions,
      contactParams: { transport: options.proxy.transport },
      userAgentString: options.userAgentString ?? 'sotto',
      // SIP.js's log carries whole messages (digest responses included): off
      logBuiltinEnabled: false,
      logLevel: 'error',
      reconnectionAttempts: 0,
      sessionDescriptionHandlerFactory: chatDescriptionHandlerFactory(this.contexts),
      delegate: {
        onInvite: (invitation) => this.incoming(invitation),
        onConnect: () => this.connected(),
        onDisconnect: (error) => this.disconnected(error),
      },
    });
    const transport = this.ua.transport;
    if (!(transport instanceof SipStreamTransport)) throw new Error('SIP.js did not use our transport');
    this.transport = transport;
    this.registerer = new Registerer(this.ua, { expires: options.registerExpires ?? DEFAULT_EXPIRES });
    this.registerer.stateChange.addListener((state) => {
      switch (state) {
        case RegistererState.Registered:
          this.failures = 0;
          this.setRegistration('registered');
          break;
        case RegistererState.Unregistered:
        case RegistererState.Terminated:
          this.setRegistration('unregistered');
          if (this.running && this.transport.isConnected()) this.scheduleRetry();
          break;
        case RegistererState.Initial:
          break;
      }
    });
  }

  /** The account's AOR. */
  get uri(): URI {
    return this.ua.configuration.uri;
  }

  /** Chat sessions not yet ended. */
  get activeSessions(): readonly ChatSession[] {
    return [...this.sessions];
  }

  private setRegistration(state: RegistrationState): void {
    if (this.registrationState === state && state !== 'registered') return;
    this.registrationState = state;
    this.emit('registration', { state, expires: state === 'registered' ? this.options.registerExpires ?? DEFAULT_EXPIRES : undefined });
  }

  /**
   * Connects and registers; resolves once registered. If the first connection
   * or REGISTER fails, everything is stopped again and the error is thrown
   * (a SipTransportError, or SipRegistrationError with the status). Once
   * started, a lost connection or registration is retried with backoff
   * until stop().
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.ua.start();
      await this.register();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * One REGISTER. Settles on its final response, and also when the
   * connection drops or no answer comes within REGISTER_LIMIT_MS: SIP.js
   * never reports a REGISTER whose connection died, and waiting for it would
   * stop every later retry.
   */
  private register(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        offConnection();
        if (error === undefined) {
          resolve();
          return;
        }
        this.setRegistration('unregistered');
        reject(error);
      };
      const timer = setTimeout(() => settle(new SipTransportError('connection-lost', 'no answer to REGISTER')), REGISTER_LIMIT_MS);
      const offConnection = this.on('connection', ({ connected, error }) => {
        if (!connected) settle(error ?? new SipTransportError('connection-lost', 'the SIP connection closed during REGISTER'));
      });
      this.setRegistration('registering');
      this.registerer.register({
        requestDelegate: {
          onAccept: () => {
            // a refresh after a reconnect leaves SIP.js's registerer in its
            // Registered state, so no state change tells us: say it here
            this.failures = 0;
            this.setRegistration('registered');
            settle();
          },
          onReject: (response: IncomingResponse) => {
            const statusCode = response.message.statusCode ?? 0;
            const reasonPhrase = response.message.reasonPhrase ?? '';
            this.emit('registration-failed', { statusCode, reason: `${statusCode} ${reasonPhrase}` });
            settle(new SipRegistrationError(statusCode, `registration refused: ${statusCode} ${reasonPhrase}`));
          },
        },
      }).catch((error: unknown) => {
        settle(error instanceof Error ? error : new Error('cannot register'));
      });
    });
  }

  private connected(): void {
    this.emit('connection', { connected: true });
  }

  private disconnected(error: Error | undefined): void {
    this.emit('connection', { connected: false, error: error instanceof SipTransportError ? error : undefined });
    this.setRegistration('unregistered');
    if (this.running) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || !this.running) return;
    const initial = this.options.reconnect?.initialDelayMs ?? 500;
    const max = this.options.reconnect?.maxDelayMs ?? 30_000;
    const delay = Math.min(max, initial * 2 ** Math.min(this.failures, 16));
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retry();
    }, delay);
  }

  private async retry(): Promise<void> {
    if (!this.running) return;
    try {
      if (!this.transport.isConnected()) await this.ua.reconnect();
      await this.register();
    } catch {
      this.scheduleRetry();
    }
  }

  /**
   * Calls `target` (a SIP URI) with a chat offer. `offer` is our chat
   * description (or a function making it when the INVITE is built).
   */
  call(target: string, offer: ChatDescriptionSource, options: { readonly extraHeaders?: readonly string[] } = {}): ChatSession {
    if (!this.running) throw new SipUsageError('the account is not started');
    const targetUri = UserAgent.makeURI(target);
    if (targetUri === undefined) throw new SipUsageError('not a SIP URI');
    const inviter = new Inviter(this.ua, targetUri, { extraHeaders: [...(options.extraHeaders ?? [])] });
    const context: ChatDescriptionContext = { local: offer, localSdp: undefined, remote: undefined, remoteSdp: undefined };
    this.contexts.set(inviter, context);
    const session = new ChatSession({ outgoing: inviter }, context, targetUri.toString(), undefined);
    this.track(session);
    inviter.invite({
      requestDelegate: {
        onProgress: (response) => {
          const statusCode = response.message.statusCode ?? 0;
          if (statusCode > 100) session.progress(statusCode, response.message.reasonPhrase ?? '');
        },
        onAccept: (response) => {
          session.focus = contactIsFocus(response.message);
          if (context.remote === undefined) {
            session.setEnd({ by: 'error', reason: 'bad SDP' });
            return;
          }
          session.established();
        },
        onReject: (response) => {
          const statusCode = response.message.statusCode ?? 0;
          session.setEnd({ by: 'remote', reason: `${statusCode} ${response.message.reasonPhrase ?? ''}`.trim(), statusCode });
        },
      },
    }).catch((error: unknown) => {
      session.setEnd({ by: 'error', reason: error instanceof SdpError ? 'bad SDP' : error instanceof SipTransportError ? error.code : 'INVITE failed' });
    });
    return session;
  }

  private track(session: ChatSession): void {
    this.sessions.add(session);
    session.on('ended', () => this.sessions.delete(session));
  }

  private incoming(invitation: Invitation): void {
    const request = invitation.request;
    const from = request.from.uri.toString();
    let remote: ChatSdp;
    try {
      if (request.body === '' || !/^application\/sdp\b/i.test(request.getHeader('content-type') ?? '')) {
        throw new SdpError('no-chat-media', 'no SDP offer');
      }
      remote = parseChatSdp(request.body);
    } catch (error) {
      const reason = error instanceof SdpError ? error.code : 'bad offer';
      void invitation.reject({ statusCode: 488 }).catch(() => undefined);
      this.emit('incoming-refused', { from, reason });
      return;
    }
    const context: ChatDescriptionContext = { local: undefined, localSdp: undefined, remote, remoteSdp: request.body };
    this.contexts.set(invitation, context);
    const session = new ChatSession({ incoming: invitation }, context, from, request.from.displayName || undefined);
    session.focus = contactIsFocus(request);
    this.track(session);
    void invitation.progress().catch(() => undefined); // 180 Ringing
    this.emit('incoming', session);
  }

  /** Ends every session, unregisters (best effort) and closes the connection. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await Promise.allSettled([...this.sessions].map((session) => session.hangup()));
    if (this.registrationState === 'registered' && this.transport.isConnected()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        this.registerer.unregister({
          requestDelegate: { onAccept: () => { clearTimeout(timer); resolve(); }, onReject: () => { clearTimeout(timer); resolve(); } },
        }).catch(() => { clearTimeout(timer); resolve(); });
      });
    }
    // SIP.js's dispose/stop wait for answers that a dead connection never
    // brings: each step is bounded
    // (with no connection, an outstanding REGISTER will never be answered)
    await bounded(this.registerer.dispose(), this.transport.isConnected() ? STOP_STEP_LIMIT_MS : 0);
    await bounded(this.ua.stop());
    await bounded(this.transport.dispose());
    this.setRegistration('unregistered');
  }
}

/** Waits for `promise` (ignoring its outcome) at most `ms`. */
async function bounded(promise: Promise<unknown>, ms = STOP_STEP_LIMIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

/** The registrar refused a REGISTER. */
export class SipRegistrationError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.name = 'SipRegistrationError';
  }
}

export type { MsrpSdpTransport };
