/**
 * A recording TCP proxy for end-to-end tests: listens on a free port of
 * 127.0.0.1 and forwards each connection to `target`, keeping every byte
 * in both directions (per connection) so that tests can inspect the wire.
 * `inject` writes bytes of the test's own towards the client side of open
 * connections (a hostile server in front of a real one).
 *
 *   const proxy = await RecordingProxy.start(kam.msrpRelay);
 *   ... client connects to proxy.port ...
 *   proxy.fromClient()  // every byte the clients sent, concatenated
 *   proxy.toClient()    // every byte the server sent back
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface ProxiedConnection {
  readonly client: Socket;
  readonly server: Socket;
  readonly up: Buffer[];
  readonly down: Buffer[];
}

export class RecordingProxy {
  readonly connections: ProxiedConnection[] = [];

  private constructor(private readonly server: Server, readonly host: string, readonly port: number) {}

  static start(target: { readonly host: string; readonly port: number }): Promise<RecordingProxy> {
    return new Promise((resolve, reject) => {
      const holder: { proxy?: RecordingProxy } = {};
      const server = createServer({ noDelay: true }, (client) => {
        const upstream = connect(target.port, target.host);
        const connection: ProxiedConnection = { client, server: upstream, up: [], down: [] };
        holder.proxy?.connections.push(connection);
        client.on('data', (chunk: Buffer) => {
          connection.up.push(Buffer.from(chunk));
          upstream.write(chunk);
        });
        upstream.on('data', (chunk: Buffer) => {
          connection.down.push(Buffer.from(chunk));
          client.write(chunk);
        });
        client.on('error', () => undefined);
        upstream.on('error', () => undefined);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        const address = server.address();
        const port = typeof address === 'object' && address !== null ? address.port : 0;
        holder.proxy = new RecordingProxy(server, '127.0.0.1', port);
        resolve(holder.proxy);
      });
    });
  }

  /** Every byte sent by the clients (towards the target), all connections in order. */
  fromClient(): Buffer {
    return Buffer.concat(this.connections.flatMap((c) => c.up));
  }

  /** Every byte sent by the target back to the clients. */
  toClient(): Buffer {
    return Buffer.concat(this.connections.flatMap((c) => c.down));
  }

  /** Both directions. */
  all(): Buffer {
    return Buffer.concat([this.fromClient(), this.toClient()]);
  }

  /** Writes `bytes` to the client side of every open connection, as if the target had sent them. */
  inject(bytes: string | Uint8Array): number {
    let count = 0;
    for (const connection of this.connections) {
      if (connection.client.destroyed) continue;
      connection.client.write(bytes);
      count += 1;
    }
    return count;
  }

  close(): Promise<void> {
    for (const connection of this.connections) {
      connection.client.destroy();
      connection.server.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
