/**
 * The chat's link to the echo network. It joins the relay; on the default
 * address it starts one in this process when none is listening, so that two
 * terminals running `sotto chat` meet without further set-up. With `rejoin`
 * (the interactive chat on the default relay) a relay that goes away (its
 * terminal quit) is replaced: the link reconnects from its old local port, so
 * its address stays the same, starting the relay here if nobody else has.
 */
import { startRelay, type Relay } from '../relay/server.js';
import { connectToRelay, type RelayConnection } from './relay-client.js';

/** How to join. */
export interface RelayLinkOptions {
  readonly relay: { readonly host: string; readonly port: number };
  /** May a relay be started here when none listens? (Not for an explicit --relay.) */
  readonly mayHost: boolean;
  /** Reconnect (and take over the relay) when it goes away. */
  readonly rejoin: boolean;
  readonly localPort?: number;
  readonly onMessage: (from: string, text: string) => void;
  /** Something the user should know (a relay started here, a rejoin, a new address). */
  readonly onNote: (text: string) => void;
}

/** How long a rejoin may wait for the old local port. */
const REJOIN_PORT_WAIT_MS = 3000;

/** A joined relay; `lost` resolves with a reason once the link is gone for good. */
export class RelayLink {
  readonly lost: Promise<string>;
  #resolveLost: (reason: string) => void = () => undefined;
  #connection: RelayConnection | undefined;
  readonly #ownRelays: Relay[] = [];
  #closing = false;

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

  /** Sends `text` to `to` (dropped while rejoining, as the relay drops texts to absent clients). */
  send(to: string, text: string): void {
    this.#connection?.send(to, text);
  }

  /** Closes the connection (flushing what is queued) and any relay run here. */
  async close(): Promise<void> {
    this.#closing = true;
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
    try {
      let next: RelayConnection;
      try {
        next = await this.#join(oldPort, REJOIN_PORT_WAIT_MS);
      } catch {
        // The old port stayed busy: a new address is better than no chat.
        next = await this.#join(undefined, undefined);
      }
      // The chat may have ended while we were rejoining.
      if (this.#isClosing()) {
        await next.close();
        return;
      }
      this.#connection = next;
      this.options.onNote(
        next.address === oldAddress
          ? `The relay went away (${reason}); rejoined it with the same address.`
          : `The relay went away (${reason}); rejoined it. Your address is now ${next.address}: tell your peers.`,
      );
    } catch (error) {
      this.#resolveLost(`${reason}, and rejoining failed (${(error as Error).message})`);
    }
  }
}
