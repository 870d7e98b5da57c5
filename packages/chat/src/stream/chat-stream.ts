/**
 * One chat stream (an MSRP chat session with one peer) as Blink's engine
 * runs it (python3-sipsimple `ChatStream` with python3-otr), without I/O:
 * the host feeds it what the MSRP session received and the user's commands,
 * and sends the payloads it returns.
 *
 * - CPIM wraps every payload when both sides listed message/cpim in
 *   accept-types (and the peer accepts the type wrapped); else the bare
 *   payload goes (accept-types.ts).
 * - OTR works on the inner payload, before CPIM wraps it: user messages of
 *   any type are encrypted once the session is secure; every received
 *   payload, whatever its type, goes through OTR. OTR's own messages (query,
 *   AKE, SMP, disconnect, heartbeat) go as text/plain without charset, with
 *   reports off; user messages as `charset="utf8"` with reports on.
 * - At the start the stream sends an OTR query when the policy wants OTR
 *   (Blink does so on both sides; the two AKEs converge into one session).
 * - is-composing travels encrypted once OTR is secure, in plaintext before,
 *   and never after the peer ended OTR or while encryption is required.
 * - A conference focus (`isfocus`) never gets OTR: no query, no OTR
 *   processing, OTR-looking text shown as text with a notice, OTR commands
 *   refused. A policy allowing no OTR switches it off the same way.
 *
 * The peer's OTR conversation and trust are keyed by its SIP address
 * (`peerKey`), so a contact's fingerprints follow the address across streams.
 */
import { Account, IMPLEMENTED_VERSIONS, systemRandom, toHex, type OtrEvent, type Outcome, type OutgoingMessage, type Policy, type RandomSource } from '@sotto/otr';
import { decodeText, fromUtf8, utf8 } from '../bytes.js';
import { containsMimeType, isTextType, parseContentType } from '../content-type.js';
import { ChatUsageError } from '../errors.js';
import { htmlToText } from '../html-to-text.js';
import { checkIdentity, peerKey, type ChatIdentity } from '../identity.js';
import { decodeIsComposing, encodeIsComposing, IS_COMPOSING_CONTENT_TYPE, type ComposingState } from '../is-composing/is-composing.js';
import { MAX_HELD_MESSAGES, MAX_MESSAGE_LENGTH, MAX_PAYLOAD_BYTES, QUERY_REPEAT_AFTER_MS } from '../limits.js';
import { cpimEnabled } from './accept-types.js';
import { Deliveries } from './deliveries.js';
import { unwrap, type Unwrapped } from './incoming.js';
import { encryptionFor, lockFor } from './lock.js';
import { looksLikeOtr } from './otr-lookalike.js';
import { PayloadWriter } from './payload-writer.js';
import type { ChatEvent, ChatOutcome, ChatPayload, ChatReceiveOutcome, Encryption, LockState, ReceivedPayload, TrustView } from './types.js';

/** How a stream is set up: from the SIP session (identities, SDP, focus) and the host's OTR account, policy and trust. */
export interface ChatStreamOptions {
  /** The host's OTR account (one per identity, shared by its streams). */
  readonly account: Account;
  /** Our identity in the SIP dialog (CPIM From). */
  readonly local: ChatIdentity;
  /** The peer's identity in the SIP dialog (CPIM To); its address keys OTR and trust. */
  readonly remote: ChatIdentity;
  /** The peer's SDP `a=accept-types`. */
  readonly remoteAcceptTypes: readonly string[];
  /** The peer's SDP `a=accept-wrapped-types` (none when absent). */
  readonly remoteAcceptWrappedTypes?: readonly string[];
  /**
   * The OTR policy for this peer (the host's default or the contact's
   * "always"); the stream sets it as the account's policy for the peer.
   * A policy allowing no version (Policies.NEVER) switches OTR off.
   */
  readonly policy: Policy;
  /** The host's trust records, by peer address. */
  readonly trust: TrustView;
  /** The peer is a conference focus (`isfocus` in its Contact): no OTR. */
  readonly focus?: boolean;
  /**
   * Send an OTR query when the stream starts. Default: when the policy
   * requires encryption or advertises OTR (OPPORTUNISTIC, ALWAYS), as Blink
   * always does; not for MANUAL.
   */
  readonly startOtr?: boolean;
  /** Randomness for message ids (default: the system's). */
  readonly random?: RandomSource;
  /** The largest received payload handled (default limits.MAX_PAYLOAD_BYTES). */
  readonly maxPayloadBytes?: number;
}

/** The OTR state the stream last reported. */
type OtrState = 'plaintext' | 'encrypted' | 'finished';

/** A user message waiting for a secure session (the policy requires encryption). */
interface Held {
  readonly id: string;
  readonly text: string;
  readonly contentType: string;
}

/** What the sends of one library call are. */
type SendContext = { readonly kind: 'message'; readonly id: string; readonly contentType: string } | { readonly kind: 'composing' } | { readonly kind: 'otr' };

/** Collects one call's payloads and events. */
class Collector {
  readonly send: ChatPayload[] = [];
  readonly events: ChatEvent[] = [];
  build(): ChatOutcome {
    return { send: this.send, events: this.events };
  }
}

const OTR_CONTEXT: SendContext = { kind: 'otr' };

export class ChatStream {
  readonly #account: Account;
  readonly #policy: Policy;
  readonly #trust: TrustView;
  readonly #writer: PayloadWriter;
  readonly #remote: ChatIdentity;
  readonly #random: RandomSource;
  readonly #maxPayloadBytes: number;
  readonly #deliveries = new Deliveries();
  readonly #held: Held[] = [];
  readonly #otr: boolean;
  readonly #startOtr: boolean;
  #started = false;
  /** When this stream last asked for OTR (its query), if it did. */
  #queriedAt: number | undefined;
  #closed = false;
  #state: OtrState = 'plaintext';
  #lock: LockState = 'none';
  /** The peer's address: the key of its OTR conversation and trust records. */
  readonly peer: string;
  /** True when payloads are wrapped in CPIM. */
  readonly cpim: boolean;
  /** True when the peer is a conference focus. */
  readonly focus: boolean;

  /** Throws ChatUsageError 'bad-argument' for missing or malformed options. */
  constructor(options: ChatStreamOptions) {
    if (typeof options !== 'object' || (options as ChatStreamOptions | null) === null) throw new ChatUsageError('bad-argument', 'new ChatStream needs an options object');
    if (!((options.account as unknown) instanceof Account)) throw new ChatUsageError('bad-argument', 'account must be an @sotto/otr Account');
    const trust = options.trust as TrustView | undefined;
    if (typeof trust?.isVerified !== 'function' || typeof trust.hasVerified !== 'function') throw new ChatUsageError('bad-argument', 'trust must have isVerified and hasVerified');
    const policy = options.policy as Policy | undefined;
    if (!(policy?.versions instanceof Set)) throw new ChatUsageError('bad-argument', 'policy must be an @sotto/otr Policy');
    const acceptTypes = stringList(options.remoteAcceptTypes, 'remoteAcceptTypes');
    const acceptWrappedTypes = stringList(options.remoteAcceptWrappedTypes ?? [], 'remoteAcceptWrappedTypes');
    const local = checkIdentity(options.local, 'local');
    const remote = checkIdentity(options.remote, 'remote');
    const maxPayloadBytes = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
    if (!Number.isSafeInteger(maxPayloadBytes) || maxPayloadBytes < 1) throw new ChatUsageError('bad-argument', 'maxPayloadBytes must be a positive integer');
    this.#account = options.account;
    this.#policy = policy;
    this.#trust = trust;
    this.#remote = remote;
    this.#random = options.random ?? systemRandom;
    this.#maxPayloadBytes = maxPayloadBytes;
    this.focus = options.focus === true;
    this.peer = peerKey(remote.uri);
    this.cpim = cpimEnabled({ acceptTypes, acceptWrappedTypes });
    this.#writer = new PayloadWriter(local, remote, { acceptTypes, acceptWrappedTypes });
    this.#otr = !this.focus && allowsOtr(policy, options.account);
    this.#startOtr = this.#otr && (options.startOtr ?? (policy.requireEncryption || policy.sendWhitespaceTag));
    if (this.#otr) options.account.setContactPolicy(this.peer, policy);
  }

  /** True when OTR may run in this stream (not a focus, and the policy allows a version). */
  get otrAvailable(): boolean {
    return this.#otr;
  }

  /** The OTR state last reported: plaintext, encrypted or finished. */
  get otrState(): OtrState {
    return this.#state;
  }

  /** Blink's lock for the stream. */
  get lock(): LockState {
    return this.#lock;
  }

  /**
   * The stream started (MSRP connected): the OTR query when the policy wants
   * one, a notice for a conference focus. An OTR session left from an
   * earlier stream with this peer is ended first, without telling the peer
   * (each stream starts its own, as Blink's does). Calling it again does nothing.
   */
  start(now: number): ChatOutcome {
    this.#live();
    const out = new Collector();
    if (this.#started) return out.build();
    this.#started = true;
    if (this.focus) {
      out.events.push({ kind: 'notice', code: 'focus-no-otr', text: 'This chat is a conference: messages are not encrypted (no OTR with a conference focus).' });
    }
    if (!this.#otr) return out.build();
    this.#endLocally(now, out);
    if (this.#startOtr) this.#query(now, out);
    return out.build();
  }

  /**
   * A message the MSRP session received (whole). Returns what to send
   * (OTR's answers), the events, and the status for the MSRP REPORT (200;
   * 413 for an unwanted type or a payload too large; 400 for unreadable
   * CPIM, is-composing or OTR). Never throws for anything the peer sends;
   * throws ChatUsageError for a malformed argument or a closed stream.
   */
  receive(payload: ReceivedPayload, now: number): ChatReceiveOutcome {
    this.#live();
    if (typeof payload !== 'object' || (payload as ReceivedPayload | null) === null || typeof payload.contentType !== 'string' || !(payload.body instanceof Uint8Array)) {
      throw new ChatUsageError('bad-argument', 'receive needs { contentType: string, body: Uint8Array }');
    }
    const out = new Collector();
    const ok = { code: 200, comment: 'OK' };
    // An empty SEND is a keep-alive.
    if (payload.body.length === 0) return { ...out.build(), status: ok };
    const unwrapped = unwrap(payload.contentType, payload.body, this.#maxPayloadBytes);
    if (!unwrapped.ok) {
      const { problem, code, comment, detail } = unwrapped.refusal;
      out.events.push({ kind: 'receive-error', problem, detail });
      return { ...out.build(), status: { code, comment } };
    }
    const message = unwrapped.value;
    const text = decodeText(message.body, message.charset);
    if (!this.#otr) {
      if (this.focus && isTextType(message.contentType) && looksLikeOtr(text)) {
        out.events.push({ kind: 'notice', code: 'otr-from-focus', text: 'A message from the conference looks like OTR; OTR is not used with a conference focus, so it is shown as it arrived.' });
      }
      const status = this.#deliver(message, text, message.body, 'plaintext', out);
      return { ...out.build(), status: status ?? ok };
    }
    let outcome: Outcome;
    try {
      outcome = this.#account.receive(this.peer, text, now);
    } catch {
      out.events.push({ kind: 'receive-error', problem: 'otr', detail: 'the OTR layer could not handle the message' });
      return { ...out.build(), status: { code: 400, comment: 'OTR Error' } };
    }
    this.#absorbSends(outcome.send, now, out, OTR_CONTEXT);
    let status: { code: number; comment: string } | undefined;
    let shown = 0;
    for (const show of outcome.show) {
      if (show.from !== this.peer) continue;
      shown++;
      const fingerprint = show.encrypted ? this.#currentFingerprint() : undefined;
      const encryption = show.encrypted ? encryptionFor(this.#trust, this.peer, fingerprint) : 'plaintext';
      const body = show.text === text ? message.body : utf8(show.text);
      status = this.#deliver(message, show.text, body, encryption, out, fingerprint) ?? status;
    }
    this.#absorbEvents(outcome.events, now, out, OTR_CONTEXT);
    if (shown === 0 && outcome.events.some((event) => event.kind === 'protocol-error' && event.peer === this.peer)) {
      out.events.push({ kind: 'receive-error', problem: 'otr', detail: 'an OTR message could not be read' });
      status = { code: 400, comment: 'OTR Error' };
    }
    return { ...out.build(), status: status ?? ok };
  }

  /**
   * The user sends `text` (default type text/plain; Blink's window sends
   * text/html). Returns the payload(s) and the message id that delivery
   * events will name. Encrypted once OTR is secure; held until then when
   * the policy requires encryption; refused (`not-delivered`, code 0) when
   * the peer ended OTR or accepts the type neither bare nor in CPIM.
   */
  sendMessage(text: string, now: number, options: { readonly contentType?: string } = {}): ChatOutcome & { readonly id: string } {
    this.#live();
    if (typeof text !== 'string' || text.length > MAX_MESSAGE_LENGTH) throw new ChatUsageError('bad-argument', `text must be a string of at most ${MAX_MESSAGE_LENGTH} characters`);
    const contentType = options.contentType ?? 'text/plain';
    const parsed = parseContentType(contentType);
    if (typeof contentType !== 'string' || parsed.type !== contentType.trim().toLowerCase()) {
      throw new ChatUsageError('bad-argument', 'contentType must be type/subtype without parameters');
    }
    const id = this.#newId();
    const out = new Collector();
    if (!this.#writer.canSend(parsed.type)) {
      out.events.push({ kind: 'not-delivered', id, code: 0, reason: `the peer does not accept ${parsed.type}` });
      return { ...out.build(), id };
    }
    if (!this.#otr) {
      this.#push(out, { kind: 'message', contentType: parsed.type, charset: 'utf8', body: utf8(text), id }, now);
      return { ...out.build(), id };
    }
    if (this.#policy.requireEncryption && this.#account.status(this.peer).messageState === 'plaintext') {
      this.#hold({ id, text, contentType: parsed.type }, now, out);
      return { ...out.build(), id };
    }
    this.#absorb(this.#account.send(this.peer, text, now), now, out, { kind: 'message', id, contentType: parsed.type });
    return { ...out.build(), id };
  }

  /**
   * An is-composing indication (RFC 3994) as Blink sends it: `active` while
   * the user types, `idle` after. Encrypted once OTR is secure; not sent
   * after the peer ended OTR or while encryption is required and missing.
   */
  sendComposing(state: ComposingState, now: number, options: { readonly refresh?: number; readonly lastActive?: number } = {}): ChatOutcome {
    this.#live();
    const body = encodeIsComposing({ state, ...options });
    const out = new Collector();
    if (!this.#writer.canSend(IS_COMPOSING_CONTENT_TYPE)) return out.build();
    if (this.#otr) {
      const messageState = this.#account.status(this.peer).messageState;
      if (messageState === 'encrypted') {
        this.#absorb(this.#account.send(this.peer, fromUtf8(body), now), now, out, { kind: 'composing' });
        return out.build();
      }
      if (messageState === 'finished' || this.#policy.requireEncryption) return out.build();
    }
    this.#push(out, { kind: 'composing', contentType: IS_COMPOSING_CONTENT_TYPE, body }, now);
    return out.build();
  }

  /** The user asks for OTR (a query; in a secure session, a new AKE). Throws ChatUsageError 'otr-unavailable' without OTR. */
  startOtr(now: number): ChatOutcome {
    this.#requireOtr();
    return this.#call(now, () => this.#account.startOtr(this.peer, now));
  }

  /** The user ends OTR (the peer is told). */
  endOtr(now: number): ChatOutcome {
    this.#requireOtr();
    return this.#call(now, () => this.#account.endOtr(this.peer, now));
  }

  /** SMP with an optional question. */
  startSmp(secret: string, question: string | undefined, now: number): ChatOutcome {
    this.#requireOtr();
    return this.#call(now, () => this.#account.startSmp(this.peer, secret, question, now));
  }

  /** Answers the peer's SMP request. */
  answerSmp(secret: string, now: number): ChatOutcome {
    this.#requireOtr();
    return this.#call(now, () => this.#account.answerSmp(this.peer, secret, now));
  }

  /** Aborts SMP. */
  abortSmp(now: number): ChatOutcome {
    this.#requireOtr();
    return this.#call(now, () => this.#account.abortSmp(this.peer, now));
  }

  /**
   * An outcome of the shared account that no stream call produced (the
   * host's `account.onDeadline(now)`: heartbeats, AKE timeouts, expiry):
   * this stream takes what concerns its peer. Without OTR it takes nothing.
   */
  onOtrOutcome(outcome: Outcome, now: number): ChatOutcome {
    this.#live();
    const out = new Collector();
    if (!this.#otr) return out.build();
    this.#absorb(outcome, now, out, OTR_CONTEXT);
    return out.build();
  }

  /** An MSRP REPORT arrived for the message `id` (its Message-ID): 200 delivers it, another status does not. */
  deliveryReport(id: string, code: number, comment: string): ChatOutcome {
    return { send: [], events: this.#deliveries.report(id, code, comment) };
  }

  /** The MSRP transaction response to the message `id`'s SEND: only a failure matters (delivery waits for the REPORT). */
  transactionResponse(id: string, code: number, comment: string): ChatOutcome {
    return { send: [], events: this.#deliveries.response(id, code, comment) };
  }

  /** The host changed its trust records for this peer (SMP succeeded, the user verified or forgot a fingerprint): the lock is reported again when it changed. */
  refreshTrust(): ChatOutcome {
    this.#live();
    const out = new Collector();
    if (!this.#otr || this.#state !== 'encrypted') return out.build();
    const status = this.#account.status(this.peer);
    if (status.messageState !== 'encrypted' || status.fingerprint === undefined) return out.build();
    const fingerprint = toHex(status.fingerprint);
    const lock = lockFor(this.#trust, this.peer, fingerprint);
    if (lock !== this.#lock) {
      this.#lock = lock;
      out.events.push({ kind: 'otr-state', state: 'encrypted', lock, fingerprint });
    }
    return out.build();
  }

  /**
   * The stream ended (BYE, or the connection closed): every message still
   * waiting is not delivered ("Stream ended"), and the OTR session ends
   * here without a message to the peer (Blink sends only the BYE). Later
   * calls throw ChatUsageError 'closed'; closing again does nothing.
   */
  close(now: number): ChatOutcome {
    const out = new Collector();
    if (this.#closed) return out.build();
    this.#closed = true;
    out.events.push(...this.#deliveries.end('Stream ended'));
    for (const held of this.#held.splice(0)) out.events.push({ kind: 'not-delivered', id: held.id, code: 0, reason: 'Stream ended' });
    if (this.#otr) this.#endLocally(now, out);
    return out.build();
  }

  #live(): void {
    if (this.#closed) throw new ChatUsageError('closed', 'this chat stream was closed');
  }

  #requireOtr(): void {
    this.#live();
    if (!this.#otr) {
      throw new ChatUsageError('otr-unavailable', this.focus ? 'OTR is not used with a conference focus' : 'the OTR policy for this peer allows no OTR');
    }
  }

  #call(now: number, call: () => Outcome): ChatOutcome {
    const out = new Collector();
    this.#absorb(call(), now, out, OTR_CONTEXT);
    return out.build();
  }

  /** Ends a left-over OTR session with the peer without telling it: its messages are dropped, its events reported. */
  #endLocally(now: number, out: Collector): void {
    if (this.#account.status(this.peer).messageState === 'plaintext') return;
    this.#absorbEvents(this.#account.endOtr(this.peer, now).events, now, out, OTR_CONTEXT);
  }

  #newId(): string {
    return toHex(this.#random(8));
  }

  #currentFingerprint(): string | undefined {
    const fingerprint = this.#account.status(this.peer).fingerprint;
    return fingerprint === undefined ? undefined : toHex(fingerprint);
  }

  /** Writes one payload; a user message starts waiting for its delivery report. */
  #push(out: Collector, inner: Parameters<PayloadWriter['write']>[0], now: number): void {
    const payload = this.#writer.write(inner, now);
    if (payload === undefined) {
      if (inner.id !== undefined) out.events.push({ kind: 'not-delivered', id: inner.id, code: 0, reason: `the peer does not accept ${inner.contentType}` });
      return;
    }
    out.send.push(payload);
    if (payload.id !== undefined && payload.kind === 'message') out.events.push(...this.#deliveries.add(payload.id));
  }

  /** Holds a user message until OTR is secure, asking for OTR with the first one held. */
  #hold(held: Held, now: number, out: Collector): void {
    if (this.#held.length >= MAX_HELD_MESSAGES) {
      out.events.push({ kind: 'not-delivered', id: held.id, code: 0, reason: 'too many messages waiting for a private conversation' });
      return;
    }
    this.#held.push(held);
    out.events.push({ kind: 'notice', code: 'waiting-for-encryption', text: 'The message waits until the private conversation is set up.' });
    const recentlyAsked = this.#queriedAt !== undefined && now - this.#queriedAt < QUERY_REPEAT_AFTER_MS;
    if (this.#held.length === 1 && !recentlyAsked) this.#query(now, out);
  }

  /** Asks the peer for OTR (the query), remembering when. */
  #query(now: number, out: Collector): void {
    this.#queriedAt = now;
    this.#absorb(this.#account.startOtr(this.peer, now), now, out, OTR_CONTEXT);
  }

  #absorb(outcome: Outcome, now: number, out: Collector, context: SendContext): void {
    this.#absorbSends(outcome.send, now, out, context);
    for (const show of outcome.show) {
      if (show.from !== this.peer) continue;
      const fingerprint = show.encrypted ? this.#currentFingerprint() : undefined;
      const encryption = show.encrypted ? encryptionFor(this.#trust, this.peer, fingerprint) : 'plaintext';
      this.#deliver({ contentType: 'text/plain', body: utf8(show.text), recipients: [] }, show.text, utf8(show.text), encryption, out, fingerprint);
    }
    this.#absorbEvents(outcome.events, now, out, context);
  }

  /** The library's texts for the peer, as payloads of the given kind. */
  #absorbSends(sends: readonly OutgoingMessage[], now: number, out: Collector, context: SendContext): void {
    const mine = sends.filter((send) => send.to === this.peer);
    mine.forEach((send, index) => {
      const body = utf8(send.text);
      switch (context.kind) {
        case 'message': {
          // Several texts only if the account fragments (a maxMessageSize): the last carries the id.
          const id = index === mine.length - 1 ? context.id : `${context.id}.${index + 1}`;
          this.#push(out, { kind: 'message', contentType: context.contentType, charset: 'utf8', body, id }, now);
          return;
        }
        case 'composing':
          this.#push(out, { kind: 'composing', contentType: IS_COMPOSING_CONTENT_TYPE, body }, now);
          return;
        case 'otr':
          this.#push(out, { kind: 'otr', contentType: 'text/plain', body }, now);
          return;
      }
    });
  }

  #absorbEvents(events: readonly OtrEvent[], now: number, out: Collector, context: SendContext): void {
    let secured = false;
    for (const event of events) {
      if (event.kind === 'profile-refreshed') {
        out.events.push({ kind: 'otr', event });
        continue;
      }
      if (event.peer !== this.peer) continue;
      switch (event.kind) {
        case 'secure': {
          const fingerprint = toHex(event.fingerprint);
          this.#state = 'encrypted';
          this.#lock = lockFor(this.#trust, this.peer, fingerprint);
          secured = true;
          out.events.push({
            kind: 'otr-state',
            state: 'encrypted',
            lock: this.#lock,
            fingerprint,
            version: event.version,
            ssid: toHex(event.ssid),
            ssidHalf: event.ssidHalf,
            refreshed: event.refreshed,
          });
          break;
        }
        case 'insecure':
        case 'finished':
          this.#state = event.kind === 'insecure' ? 'plaintext' : 'finished';
          this.#lock = 'none';
          out.events.push({ kind: 'otr-state', state: this.#state, lock: 'none' });
          break;
        case 'not-sent':
          if (context.kind === 'message') {
            out.events.push({ kind: 'not-delivered', id: context.id, code: 0, reason: notSentReason(event.reason) });
          } else {
            out.events.push({ kind: 'otr', event });
          }
          break;
        default:
          out.events.push({ kind: 'otr', event });
      }
    }
    if (secured) this.#flushHeld(now, out);
  }

  /** Sends the messages held for a secure session, now that there is one. */
  #flushHeld(now: number, out: Collector): void {
    for (const held of this.#held.splice(0)) {
      this.#absorb(this.#account.send(this.peer, held.text, now), now, out, { kind: 'message', id: held.id, contentType: held.contentType });
    }
  }

  /**
   * Shows one received payload's content: is-composing becomes a
   * `composing` event, text/html is reduced to text, other text is shown
   * as it is, any other type is handed over as bytes. Returns a non-200
   * status when the content was unreadable.
   */
  #deliver(message: Unwrapped, text: string, body: Uint8Array, encryption: Encryption, out: Collector, fingerprint?: string): { code: number; comment: string } | undefined {
    // Only a conference focus relays other participants (CPIM From names them); a 1:1 peer is its SIP identity, whatever its CPIM From claims.
    const sender = this.focus ? (message.sender ?? this.#remote) : this.#remote;
    const recipient = message.recipients.length === 1 ? message.recipients[0] : undefined;
    const isPrivate = this.focus && recipient !== undefined && peerKey(recipient.uri) !== this.peer;
    const encrypted = encryption !== 'plaintext';
    if (containsMimeType([IS_COMPOSING_CONTENT_TYPE], message.contentType)) {
      const composing = decodeIsComposing(body);
      if (!composing.ok) {
        out.events.push({ kind: 'receive-error', problem: 'is-composing', detail: `${composing.code}: ${composing.detail}` });
        return { code: 400, comment: 'Bad is-composing document' };
      }
      const value = composing.value;
      out.events.push({
        kind: 'composing',
        state: value.state,
        refresh: value.refresh ?? 120,
        ...(value.lastActiveMs === undefined ? {} : { lastActive: value.lastActiveMs }),
        ...(value.contentType === undefined ? {} : { contentType: value.contentType }),
        encrypted,
        sender,
      });
      return undefined;
    }
    const common = {
      kind: 'message',
      contentType: message.contentType,
      encryption,
      ...(fingerprint === undefined ? {} : { fingerprint }),
      sender,
      ...(message.timestamp === undefined ? {} : { timestamp: message.timestamp }),
      private: isPrivate,
    } as const;
    if (message.contentType === 'text/html') {
      const reduced = htmlToText(text);
      out.events.push({ ...common, text: reduced.text, ...(reduced.truncated ? { truncated: true } : {}) });
    } else if (isTextType(message.contentType)) {
      out.events.push({ ...common, text });
    } else {
      out.events.push({ ...common, text: '', body });
    }
    return undefined;
  }
}

function notSentReason(reason: 'finished' | 'encryption-required' | 'unknown-instance'): string {
  switch (reason) {
    case 'finished':
      return 'the peer ended the private conversation: end it too, or start a new one';
    case 'encryption-required':
      return 'encryption is required and the conversation is not private';
    case 'unknown-instance':
      return 'the peer instance is gone';
  }
}

/** True when the policy allows an OTR version the library speaks (4 only with the account's v4 identity). */
function allowsOtr(policy: Policy, account: Account): boolean {
  return IMPLEMENTED_VERSIONS.some((version) => policy.versions.has(version) && (version !== 4 || account.ourV4Fingerprint !== undefined));
}

function stringList(value: readonly string[], what: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new ChatUsageError('bad-argument', `${what} must be an array of strings`);
  return value.slice(0, 64);
}
