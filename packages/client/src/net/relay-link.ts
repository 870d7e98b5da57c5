/**
 * The chat's link to the echo network. It joins the relay; on the default
 * address it starts one in this process when none is listening, so that two
 * terminals running `sotto chat` meet without further set-up. With `rejoin`
 * a lost connection (the relay's terminal quit, the relay restarted, or it
 * closed the connection after an hour without traffic: the echo network has
 * no keep-alive) is rejoined from the old local port, so the address stays
 * the same; on the default address the relay is started here if nobody else
 * has. Attempts back off from REJOIN_FIRST_DELAY_MS to REJOIN_MAX_DELAY_MS
 * and go on until the link is closed. With `keepAddress` (the JSON driver,
 * whose address must not change under the harness) only the old port is
 * tried; otherwise a port that stays busy gives way to a new address.
 */
import { startRelay, type Relay } from '../relay/server.js';
import { connectToRelay, type RelayConnection } from './relay-client.js';

/** How to join. */
export interface RelayLinkOptions {
  readonly relay: { readonly host: string; readonly port: number };
  /** May a relay be started here when none listens? (Not for an explicit --relay.) */
  readonly mayHost: boolean;
  /** Reconnect (and take over the relay, if allowed to host) when the connection is lost. */
  readonly rejoin: boolean;
  /** Rejoin only with the same address (the old local port), however long that takes. */
  readonly keepAddress?: boolean;
  readonly localPort?: number;
  readonly onMessage: (from: string, text: string) => void;
  /** Something the user should know (a relay started here, a rejoin, a new address). */
  readonly onNote: (text: string) => void;
  /** Our address changed: the relay was rejoined from another port (never with `keepAddress`). */
  readonly onAddress?: (address: string) => void;
}

/** How long a rejoin may wait for the old local port. */
const REJOIN_PORT_WAIT_MS = 3000;
/** The wait before the second attempt to rejoin; it doubles with each failed attempt. */
const REJOIN_FIRST_DELAY_MS = 250;
/** The longest wait between two attempts to rejoin. */
const REJOIN_MAX_DELAY_MS = 30_000;
const BUSY_PORT = new Set(['EADDRINUSE', 'EADDRNOTAVAIL']);

/** A joined relay; `lost` resolves with a reason once the link is gone for good. */
export class RelayLink {
  readonly lost: Promise<string>;
  #resolveLost: (reason: string) => void = () => undefined;
  #connection: RelayConnection | undefined;
  readonly #ownRelays: Relay[] = [];
  #closing = false;
  /** Ends the wait between two rejoin attempts early (on close). */
  #wake: () => void = () => undefined;
  /** Messages the user sent while the relay was away (the relay would have dropped them too): told, never silently lost. */
  #undelivered = 0;

  private constructor(private readonly options: RelayLinkOptions) {
    this.lost = new Promise((resolve) => (this.#resolveLost = resolve));
  }

  /** Joins the relay; rejects with the socket error if it cannot. */
  static async open(options: RelayLinkOptions): Promise<RelayLink> {
    const link = new RelayLink(options);
    link.#connection = await link.#join(options.localPort, undefined);
    return link;
  }

  /** Our current address on the echo network. */
  get address(): string {
    return this.#connection?.address ?? '';
  }

  /** Sends `text` to `to`; while rejoining it cannot be delivered, and the user is told (once now, with the count on rejoining). */
  send(to: string, text: string): void {
    if (this.#connection !== undefined) {
      this.#connection.send(to, text);
      return;
    }
    if (this.#undelivered === 0) this.options.onNote('Not delivered: the relay is away. Messages sent until it is rejoined are lost; send them again then.');
    this.#undelivered += 1;
  }

  /** Closes the connection (flushing what is queued) and any relay run here. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake();
    await this.#connection?.close();
    await Promise.all(this.#ownRelays.map((relay) => relay.close()));
  }

  #isClosing(): boolean {
    return this.#closing;
  }

  async #connect(localPort: number | undefined, retryForMs: number | undefined): Promise<RelayConnection> {
    const connection = await connectToRelay({
      host: this.options.relay.host,
      port: this.options.relay.port,
      ...(localPort === undefined ? {} : { localPort }),
      ...(retryForMs === undefined ? {} : { retryForMs }),
      onMessage: this.options.onMessage,
      onClose: (reason) => void this.#onClose(connection, reason),
    });
    return connection;
  }

  /** Connects, starting a relay here if allowed and none listens. */
  async #join(localPort: number | undefined, retryForMs: number | undefined): Promise<RelayConnection> {
    try {
      return await this.#connect(localPort, retryForMs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || !this.options.mayHost) throw error;
    }
    const { host, port } = this.options.relay;
    try {
      this.#ownRelays.push(await startRelay({ host, port, log: () => undefined }));
      this.options.onNote(`No relay was running on ${host}:${port}, so this sotto runs one; others join it with "sotto chat". It stops when you quit.`);
    } catch (error) {
      // Another sotto started one at the same moment: join that one.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
    return this.#connect(localPort, retryForMs);
  }

  async #onClose(connection: RelayConnection, reason: string): Promise<void> {
    if (this.#closing || connection !== this.#connection) return;
    this.#connection = undefined;
    if (!this.options.rejoin) {
      this.#resolveLost(reason);
      return;
    }
    const oldAddress = connection.address;
    const oldPort = Number(oldAddress.slice(oldAddress.lastIndexOf(':') + 1));
    let delay = REJOIN_FIRST_DELAY_MS;
    for (let attempt = 1; !this.#isClosing(); attempt += 1) {
      let next: RelayConnection;
      try {
        next = await this.#rejoin(oldPort);
      } catch (error) {
        if (attempt === 1) {
          this.options.onNote(`Lost the relay (${reason}); reconnecting, and retrying less and less often while it is unreachable (${(error as Error).message}).`);
        }
        await this.#pause(delay);
        delay = Math.min(delay * 2, REJOIN_MAX_DELAY_MS);
        continue;
      }
      // The chat may have ended while we were rejoining.
      if (this.#isClosing()) {
        await next.close();
        return;
      }
      this.#connection = next;
      if (next.address !== oldAddress) this.options.onAddress?.(next.address);
      this.options.onNote(
        next.address === oldAddress
          ? `The relay went away (${reason}); rejoined it with the same address.`
          : `The relay went away (${reason}); rejoined it. Your address is now ${next.address}: tell your peers.`,
      );
      if (this.#undelivered > 0) this.options.onNote(`${this.#undelivered} message(s) sent while the relay was away were not delivered.`);
      this.#undelivered = 0;
      return;
    }
  }

  /** One attempt to rejoin from the old port (or, when allowed and it stays busy, from a new one). */
  async #rejoin(oldPort: number): Promise<RelayConnection> {
    try {
      return await this.#join(oldPort, REJOIN_PORT_WAIT_MS);
    } catch (error) {
      // The old port stayed busy: a new address is better than no chat, unless the address must stay.
      if (this.options.keepAddress === true || !BUSY_PORT.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      return this.#join(undefined, undefined);
    }
  }

  /** Waits `ms`, or less if the link is closed meanwhile. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
