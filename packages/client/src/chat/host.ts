/**
 * The client's core: one OTR account on one relay connection, with identity
 * and trust from the state directory. It turns user commands into library
 * calls, library outcomes into wire frames and {@link DriverEvent}s, and runs
 * the library's deadlines on a timer. Both the terminal UI and the JSON
 * driver sit on top of it.
 */
import { Account, UsageError, formatFingerprint, toHex, type DsaPrivateKey, type OtrEvent, type Outcome, type Policy } from '@sotto/otr';
import type { RelayConnection } from '../relay/connection.js';
import type { TrustBook } from '../state/trust-book.js';
import type { DriverEvent } from './driver-events.js';

/** How often protocol errors about one peer may reach the user. */
const ERROR_EVENT_INTERVAL_MS = 1000;

/** The running chat. */
export class ChatHost {
  readonly account: Account;
  /** Peers that wrote to us or that we wrote to, in order of appearance. */
  readonly peers: string[] = [];
  /** Latest AKE fingerprint per peer (hex), for `trust`. */
  readonly #lastFingerprint = new Map<string, string>();
  readonly #lastError = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #connection: RelayConnection | undefined;

  constructor(
    identity: { readonly privateKey: DsaPrivateKey; readonly instanceTag: number },
    private readonly trustBook: TrustBook,
    policy: Policy,
    maxMessageSize: number,
    private readonly emit: (event: DriverEvent) => void,
    private readonly log: (line: string) => void,
  ) {
    this.account = new Account({ privateKey: identity.privateKey, instanceTag: identity.instanceTag, policy, maxMessageSize });
  }

  /** Our fingerprint, 40 lowercase hex digits. */
  get fingerprintHex(): string {
    return toHex(this.account.ourFingerprint);
  }

  /** Our fingerprint in libotr's human format. */
  get fingerprintHuman(): string {
    return formatFingerprint(this.account.ourFingerprint);
  }

  /** Attaches the relay connection. */
  attach(connection: RelayConnection): void {
    this.#connection = connection;
  }

  /** A text arrived from the relay. */
  receive(from: string, text: string): void {
    this.#notePeer(from);
    this.#apply(this.account.receive(from, text, Date.now()));
  }

  /** The user typed a message. */
  send(to: string, text: string): void {
    this.#notePeer(to);
    this.#apply(this.account.send(to, text, Date.now()));
  }

  /** The user asks for a private conversation. */
  start(to: string): void {
    this.#notePeer(to);
    this.#guard(to, () => this.account.startOtr(to, Date.now()));
  }

  /** The user ends the private conversation. */
  end(to: string): void {
    if (this.account.status(to).messageState === 'plaintext') {
      this.emit({ event: 'error', peer: to, message: 'there is no private conversation to end' });
      return;
    }
    this.#guard(to, () => this.account.endOtr(to, Date.now()));
  }

  /** The user starts SMP. */
  smp(to: string, secret: string, question: string | undefined): void {
    if (this.account.status(to).messageState !== 'encrypted') {
      this.emit({ event: 'smp-aborted', peer: to });
      return;
    }
    this.#guard(to, () => this.account.startSmp(to, secret, question, Date.now()));
  }

  /** The user answers the peer's SMP request. */
  smpAnswer(to: string, secret: string): void {
    const status = this.account.status(to);
    if (status.messageState !== 'encrypted' || status.smp !== 'awaiting-answer') {
      this.emit({ event: 'error', peer: to, message: 'there is no authentication request to answer' });
      return;
    }
    this.#guard(to, () => this.account.answerSmp(to, secret, Date.now()));
  }

  /** The user aborts SMP. */
  smpAbort(to: string): void {
    if (this.account.status(to).messageState !== 'encrypted') {
      this.emit({ event: 'smp-aborted', peer: to });
      return;
    }
    this.#guard(to, () => this.account.abortSmp(to, Date.now()));
  }

  /** The user verified the peer's fingerprint by hand. */
  trust(to: string): void {
    const fingerprint = this.#lastFingerprint.get(to);
    if (fingerprint === undefined) {
      this.emit({ event: 'error', peer: to, message: 'no fingerprint to trust yet: start a private conversation first' });
      return;
    }
    this.trustBook.verify(to, fingerprint, 'manual');
    this.emit({ event: 'trusted', peer: to, fingerprint });
  }

  /** Announces use of the extra symmetric key. */
  symkey(to: string, use: number, useData: Uint8Array): void {
    const status = this.account.status(to);
    if (status.messageState !== 'encrypted') {
      this.emit({ event: 'error', peer: to, message: 'the extra symmetric key needs a private conversation' });
      return;
    }
    if (status.version !== 3) {
      this.emit({ event: 'error', peer: to, message: 'the extra symmetric key needs OTR version 3' });
      return;
    }
    this.#guard(to, () => this.account.useExtraSymmetricKey(to, use, useData, Date.now()));
  }

  /** The peer's current fingerprint (hex), if a session ran. */
  lastFingerprint(peer: string): string | undefined {
    return this.#lastFingerprint.get(peer);
  }

  /** Stops timers and wipes session secrets. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.account.wipe();
  }

  #guard(peer: string, call: () => Outcome): void {
    try {
      this.#apply(call());
    } catch (error) {
      if (error instanceof UsageError) this.emit({ event: 'error', peer, message: error.message });
      else throw error;
    }
  }

  #notePeer(peer: string): void {
    if (!this.peers.includes(peer)) this.peers.push(peer);
  }

  #apply(outcome: Outcome): void {
    for (const message of outcome.send) this.#connection?.send(message.to, message.text);
    for (const shown of outcome.show) this.emit({ event: 'message', from: shown.from, text: shown.text, encrypted: shown.encrypted });
    for (const event of outcome.events) this.#event(event);
    this.#schedule();
  }

  #event(event: OtrEvent): void {
    switch (event.kind) {
      case 'secure': {
        const fingerprint = toHex(event.fingerprint);
        this.#lastFingerprint.set(event.peer, fingerprint);
        const seen = this.trustBook.seen(event.peer, fingerprint);
        if (seen.changed) this.emit({ event: 'fingerprint-changed', peer: event.peer, fingerprint });
        this.emit({ event: 'secure', peer: event.peer, version: event.version, fingerprint, ssid: toHex(event.ssid), trusted: seen.verified });
        return;
      }
      case 'insecure':
        this.emit({ event: 'insecure', peer: event.peer });
        return;
      case 'finished':
        this.emit({ event: 'finished', peer: event.peer });
        return;
      case 'smp-request':
        this.emit({ event: 'smp-request', peer: event.peer, question: event.question });
        return;
      case 'smp-result': {
        this.emit({ event: 'smp-result', peer: event.peer, success: event.success });
        const fingerprint = this.#lastFingerprint.get(event.peer);
        if (event.success && fingerprint !== undefined) {
          this.trustBook.verify(event.peer, fingerprint, 'smp');
          this.emit({ event: 'trusted', peer: event.peer, fingerprint });
        }
        return;
      }
      case 'smp-aborted':
        this.emit({ event: 'smp-aborted', peer: event.peer });
        return;
      case 'extra-key':
        this.emit({ event: 'symkey', peer: event.peer, use: event.use, usedata: toHex(event.useData), key: toHex(event.key.expose()) });
        event.key.wipe();
        return;
      case 'not-sent':
        this.emit({ event: 'not-sent', to: event.peer, reason: event.reason });
        return;
      case 'peer-error':
        this.emit({ event: 'error', peer: event.peer, message: `the peer reported an OTR error: ${event.text}` });
        return;
      case 'protocol-error': {
        this.log(`protocol error from ${event.peer}: ${event.code} (${event.detail})`);
        const last = this.#lastError.get(event.peer) ?? 0;
        if (Date.now() - last >= ERROR_EVENT_INTERVAL_MS) {
          this.#lastError.set(event.peer, Date.now());
          this.emit({ event: 'error', peer: event.peer, message: `unreadable OTR message (${event.code})` });
        }
        return;
      }
      case 'dropped':
        this.log(`dropped a message from ${event.peer}: ${event.reason} (${event.detail})`);
        return;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const deadline = this.account.nextDeadline();
    if (deadline === undefined) return;
    const delay = Math.min(Math.max(0, deadline - Date.now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#apply(this.account.onDeadline(Date.now()));
    }, delay);
    this.#timer.unref();
  }
}
