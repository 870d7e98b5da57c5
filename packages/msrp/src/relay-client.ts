/**
 * The client side of an MSRP relay (RFC 4976 section 5).
 *
 * Theory of operation. `start` sends AUTH to the relay URI (To-Path: the
 * relay, From-Path: our own URI). The relay answers 401 with a digest
 * challenge; we send a second AUTH (new transaction id) with
 * Authorization (qop=auth, nc, cnonce, opaque echoed; `uri` only when the
 * option says so: Kamailio needs it, AG msrprelay must not get it). A 200
 * carries Use-Path (the relay's URIs for us) and Expires (seconds): the
 * path to advertise in SDP a=path and to put before the peer's path in our
 * To-Path is Use-Path followed by our own URI. Before Expires runs out
 * (limits.RELAY_REFRESH_MARGIN_MS) the client AUTHs again: `nextDeadline`
 * says when. A 423 Interval Out-of-Bounds names Min-Expires or Max-Expires;
 * we retry once with that value. Everything else stops with `relay-failed`.
 *
 * The same connection then carries the chat session: hand this client to
 * `new MsrpSession({ relay })`, which takes over its parser and routes the
 * AUTH responses back here.
 */
import { toHex } from './bytes.js';
import { type DigestChallenge, digestAuthorization, parseDigestChallenge } from './digest-auth.js';
import { type RandomSource, systemRandom } from './digest.js';
import { UsageError } from './errors.js';
import { headerValue, type Header, type ResponseFrame } from './frame.js';
import { newIdent } from './ident.js';
import { MAX_AUTH_CHALLENGES, MAX_INTERVAL_RETRIES, RELAY_REFRESH_MARGIN_MS, RESPONSE_TIMEOUT_MS } from './limits.js';
import { emptyOutcome, type Outcome, type RelayFailure } from './outcome.js';
import { FrameParser } from './parser.js';
import { serializeRequest } from './serializer.js';
import { formatMsrpUri, type MsrpUri, parsePath } from './uri.js';

/** How to reach and authenticate at one relay. */
export interface RelayClientOptions {
  /** The relay's URI, without session id (e.g. `msrps://relay.example.org:2855;tcp`). */
  readonly relayUri: MsrpUri;
  /** Our own URI (with a session id): the From-Path of AUTH and the last URI of our path. */
  readonly localUri: MsrpUri;
  readonly username: string;
  readonly password: string;
  /** Write `uri=` in Authorization (default false: RFC 4976 and AG msrprelay; true for Kamailio). */
  readonly sendDigestUri?: boolean;
  /** Expires to ask for, in seconds (default: none, the relay chooses). */
  readonly expires?: number;
  readonly random?: RandomSource;
  readonly responseTimeoutMs?: number;
}

type State =
  | { readonly name: 'idle' }
  | { readonly name: 'authenticating'; readonly transactionId: string; readonly deadline: number; readonly challenges: number; readonly intervals: number }
  | { readonly name: 'ready'; readonly refreshAt: number }
  | { readonly name: 'failed' };

/** One relay registration. */
export class RelayClient {
  /** The parser of the relay connection (a session takes it over). */
  readonly parser = new FrameParser();
  private state: State = { name: 'idle' };
  private readonly random: RandomSource;
  private expires: number | undefined;
  private usePath: MsrpUri[] | undefined;

  constructor(private readonly options: RelayClientOptions) {
    if (options.relayUri.sessionId !== undefined) throw new UsageError('bad-uri', 'a relay URI has no session id');
    if (options.localUri.sessionId === undefined) throw new UsageError('bad-uri', 'our own URI needs a session id');
    this.random = options.random ?? systemRandom;
    this.expires = options.expires;
  }

  /** The relay's Use-Path, once authenticated (put it before the peer's path in To-Path). */
  get route(): readonly MsrpUri[] | undefined {
    return this.usePath;
  }

  /** Our full path for SDP a=path (Use-Path, then our own URI), once authenticated. */
  get path(): readonly MsrpUri[] | undefined {
    return this.usePath === undefined ? undefined : [...this.usePath, this.options.localUri];
  }

  /** True once a 200 arrived (and until a refresh fails). */
  get ready(): boolean {
    return this.usePath !== undefined && this.state.name !== 'failed';
  }

  /** Sends the first AUTH. */
  start(now: number): Outcome {
    const outcome = emptyOutcome();
    this.sendAuth(outcome, now, undefined, 0, 0);
    return outcome;
  }

  /** Bytes from the relay connection before a session took it over. */
  receive(bytes: Uint8Array, now: number): Outcome {
    const outcome = emptyOutcome();
    for (const result of this.parser.push(bytes)) {
      if (result.kind === 'frame' && result.frame.type === 'response') {
        const handled = this.handleResponse(result.frame, now);
        if (handled !== undefined) merge(outcome, handled);
      } else if (result.kind === 'frame-error') {
        outcome.events.push({ kind: 'protocol-error', code: result.code, fatal: result.fatal });
      }
    }
    return outcome;
  }

  /** True when `transactionId` is an AUTH of ours awaiting its response. */
  owns(transactionId: string): boolean {
    return this.state.name === 'authenticating' && this.state.transactionId === transactionId;
  }

  /** Handles a response; `undefined` when it is not for our AUTH. */
  handleResponse(frame: ResponseFrame, now: number): Outcome | undefined {
    const state = this.state;
    if (state.name !== 'authenticating' || state.transactionId !== frame.transactionId) return undefined;
    const outcome = emptyOutcome();
    if (frame.status === 401) {
      const challenge = parseDigestChallenge(headerValue(frame, 'WWW-Authenticate') ?? '');
      if (challenge === undefined) return this.fail(outcome, 401, 'bad-response');
      if (state.challenges >= MAX_AUTH_CHALLENGES) return this.fail(outcome, 401, 'unauthorized');
      this.sendAuth(outcome, now, challenge, state.challenges + 1, state.intervals);
      return outcome;
    }
    if (frame.status === 423) {
      const min = seconds(headerValue(frame, 'Min-Expires'));
      const max = seconds(headerValue(frame, 'Max-Expires'));
      if ((min === undefined && max === undefined) || state.intervals >= MAX_INTERVAL_RETRIES) return this.fail(outcome, 423, 'interval');
      this.expires = min ?? max;
      this.sendAuth(outcome, now, undefined, 0, state.intervals + 1);
      return outcome;
    }
    if (frame.status !== 200) return this.fail(outcome, frame.status, 'error-response');
    const usePath = parsePath(headerValue(frame, 'Use-Path') ?? '');
    const expires = seconds(headerValue(frame, 'Expires')) ?? this.expires ?? 3600;
    if (usePath === undefined) return this.fail(outcome, 200, 'bad-response');
    this.usePath = usePath;
    const expiresAt = now + expires * 1000;
    const refreshAt = Math.max(now + (expires * 1000) / 2, expiresAt - RELAY_REFRESH_MARGIN_MS);
    this.state = { name: 'ready', refreshAt };
    outcome.events.push({ kind: 'relay-ready', path: [...usePath, this.options.localUri], expiresAt });
    return outcome;
  }

  /** When `onDeadline` must be called next (a response timeout or the refresh), if ever. */
  nextDeadline(): number | undefined {
    switch (this.state.name) {
      case 'authenticating': return this.state.deadline;
      case 'ready': return this.state.refreshAt;
      case 'idle':
      case 'failed': return undefined;
    }
  }

  /** Handles a passed deadline: a timed-out AUTH fails; a due refresh sends AUTH again. */
  onDeadline(now: number): Outcome {
    const outcome = emptyOutcome();
    const state = this.state;
    if (state.name === 'authenticating' && now >= state.deadline) return this.fail(outcome, 408, 'timeout');
    if (state.name === 'ready' && now >= state.refreshAt) {
      this.sendAuth(outcome, now, undefined, 0, 0);
    }
    return outcome;
  }

  private sendAuth(outcome: Outcome, now: number, challenge: DigestChallenge | undefined, challenges: number, intervals: number): void {
    const transactionId = newIdent(this.random);
    const relay = formatMsrpUri(this.options.relayUri);
    const headers: Header[] = [];
    if (challenge !== undefined) {
      headers.push({
        name: 'Authorization',
        value: digestAuthorization(challenge, {
          username: this.options.username,
          password: this.options.password,
          uri: relay,
          method: 'AUTH',
          includeUri: this.options.sendDigestUri ?? false,
          cnonce: toHex(this.random(8)),
          nonceCount: 1,
        }),
      });
    }
    if (this.expires !== undefined) headers.push({ name: 'Expires', value: String(this.expires) });
    outcome.write.push(serializeRequest({ transactionId, method: 'AUTH', toPath: [this.options.relayUri], fromPath: [this.options.localUri], headers }));
    this.state = { name: 'authenticating', transactionId, deadline: now + (this.options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS), challenges, intervals };
  }

  private fail(outcome: Outcome, status: number, reason: RelayFailure): Outcome {
    this.state = { name: 'failed' };
    this.usePath = undefined;
    outcome.events.push({ kind: 'relay-failed', status, reason });
    return outcome;
  }
}

/** A non-negative whole number of seconds, or `undefined`. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*[0-9]{1,9}\s*$/.test(value)) return undefined;
  return Number(value.trim());
}

/** Appends `more` to `outcome`. */
export function merge(outcome: Outcome, more: Outcome): void {
  outcome.write.push(...more.write);
  outcome.events.push(...more.events);
}
