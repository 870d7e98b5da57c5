/**
 * One MSRP session on one connection, with its timer: writes what the
 * session returns, hands its events to the host, keeps its deadline
 * (response timeouts, keep-alives, the relay refresh), and closes the
 * connection when the session says its framing is lost or a keep-alive
 * failed. Host-supplied REPORTs (`hostReports`) and Message-IDs: the chat
 * layer decides both.
 */
import { MsrpSession, type MsrpEvent, type MsrpUri, type Outcome, type RelayClient } from '@sotto/msrp';
import type { MsrpNetError } from './errors.js';
import type { MsrpLink } from './link.js';

/** What a channel tells its host. */
export interface ChannelHost {
  /** Session events, in order (protocol errors included). */
  readonly onEvents: (events: readonly MsrpEvent[]) => void;
  /** The first bytes arrived from the peer's side (the passive side starts its stream then). */
  readonly onFirstData?: () => void;
  /** The connection ended (error undefined: we closed it). */
  readonly onClosed: (error: MsrpNetError | undefined, reason: string) => void;
}

export interface ChannelOptions {
  readonly localPath: readonly MsrpUri[];
  readonly remotePath: readonly MsrpUri[];
  readonly relay?: RelayClient | undefined;
  readonly now?: () => number;
}

/** An MSRP session and the connection it runs on (attached later on the passive side). */
export class MsrpChannel {
  readonly session: MsrpSession;
  readonly #now: () => number;
  #link: MsrpLink | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #sawData = false;

  constructor(options: ChannelOptions, private readonly host: ChannelHost) {
    this.#now = options.now ?? Date.now;
    this.session = new MsrpSession({
      localPath: options.localPath,
      remotePath: options.remotePath,
      now: this.#now(),
      hostReports: true,
      ...(options.relay === undefined ? {} : { relay: options.relay }),
    });
  }

  get attached(): boolean {
    return this.#link !== undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The connection the session runs on from now on. */
  attach(link: MsrpLink): void {
    if (this.#closed) {
      link.close();
      return;
    }
    this.#link = link;
    link.onClose((error) => this.#ended(error, error === undefined ? 'closed' : error.message));
    link.receiveWith((bytes) => {
      if (this.#closed) return;
      const first = !this.#sawData;
      this.#sawData = true;
      // The passive side's stream starts once the answers to these first
      // bytes (the 200 to the peer's bind) are written and before what they
      // carry is handled: msrplib's bind() drops a connection on which
      // anything but that 200 (or an empty SEND) comes first.
      this.#apply(this.session.receive(bytes, this.#now()), first ? () => this.host.onFirstData?.() : undefined);
    });
    this.#reschedule();
  }

  /** The active side's first frame. */
  bind(): void {
    this.#apply(this.session.bind(this.#now()));
  }

  /** Sends one message; false when the session refused it (closed, too many pending). */
  send(contentType: string, body: Uint8Array, reports: boolean, messageId: string | undefined): boolean {
    if (this.#closed) return false;
    const value = reports ? 'yes' : 'no';
    try {
      this.#apply(this.session.sendMessage(contentType, body, { reports: { success: value, failure: value }, ...(messageId === undefined ? {} : { messageId }) }, this.#now()));
      return true;
    } catch {
      return false;
    }
  }

  /** The host's REPORT status for a received message. */
  report(messageId: string, status: number): void {
    if (this.#closed) return;
    this.#apply(this.session.report(messageId, status, this.#now()));
  }

  /** Resolves once what was written has left. */
  async flushed(): Promise<void> {
    await this.#link?.flushed();
  }

  /** Ends the session and closes the connection; the session's last events (not delivered) go to the host. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    const outcome = this.session.close();
    this.#link?.close();
    if (outcome.events.length > 0) this.host.onEvents(outcome.events);
  }

  #ended(error: MsrpNetError | undefined, reason: string): void {
    if (this.#closed) return;
    this.close();
    this.host.onClosed(error, reason);
  }

  /** Writes the outcome's frames, runs `afterWrite`, then hands its events to the host. */
  #apply(outcome: Outcome, afterWrite?: () => void): void {
    if (this.#closed) return;
    if (outcome.write.length > 0 && this.#link !== undefined && !this.#link.write(outcome.write)) return;
    if (afterWrite !== undefined) {
      afterWrite();
      if (this.closed) return;
    }
    let fatal: string | undefined;
    for (const event of outcome.events) {
      if (event.kind === 'protocol-error' && event.fatal) fatal = `MSRP framing lost (${event.code})`;
      if (event.kind === 'keep-alive-failed') fatal = `MSRP keep-alive failed (${event.status})`;
    }
    if (outcome.events.length > 0) this.host.onEvents(outcome.events);
    if (fatal !== undefined) {
      this.#link?.close();
      this.#ended(undefined, fatal);
      return;
    }
    this.#reschedule();
  }

  #reschedule(): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    const next = this.session.nextDeadline();
    if (next === undefined) return;
    const delay = Math.max(0, Math.min(next - this.#now(), 2 ** 31 - 1));
    this.#timer = setTimeout(() => this.#apply(this.session.onDeadline(this.#now())), delay);
    this.#timer.unref();
  }
}
