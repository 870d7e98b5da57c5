/** The relay client: frames both ways through the relay, a fixed local port kept across reconnects. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectToRelay, type RelayConnection } from '../../src/net/relay-client.js';
import { startRelay, type Relay } from '../../src/relay/server.js';
import { freePort } from '../helpers/free-port.js';

let relay: Relay;
beforeEach(async () => {
  relay = await startRelay({ port: 0, log: () => undefined });
});
afterEach(async () => {
  await relay.close();
});

function inbox(): { received: [string, string][]; onMessage: (from: string, text: string) => void; next(): Promise<[string, string]> } {
  const received: [string, string][] = [];
  let wake: (() => void) | undefined;
  return {
    received,
    onMessage: (from, text) => {
      received.push([from, text]);
      wake?.();
    },
    next: async () => {
      while (received.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return received.shift() ?? ['', ''];
    },
  };
}

describe('relay client', () => {
  it('sends and receives texts addressed by IP:PORT, including non-ASCII', async () => {
    const a = inbox();
    const b = inbox();
    const ca = await connectToRelay({ host: relay.host, port: relay.port, onMessage: a.onMessage, onClose: () => undefined });
    const cb = await connectToRelay({ host: relay.host, port: relay.port, onMessage: b.onMessage, onClose: () => undefined });
    expect(ca.address).toMatch(/^127\.0\.0\.1:\d+$/);
    ca.send(cb.address, 'héllo ✓');
    expect(await b.next()).toEqual([ca.address, 'héllo ✓']);
    cb.send(ca.address, 'x'.repeat(100_000));
    expect((await a.next())[1]).toHaveLength(100_000);
    await ca.close();
    await cb.close();
  });

  it('tells the user when the relay goes away', async () => {
    let reason: string | undefined;
    const closed = new Promise<void>((resolve) => {
      void connectToRelay({
        host: relay.host,
        port: relay.port,
        onMessage: () => undefined,
        onClose: (why) => {
          reason = why;
          resolve();
        },
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await relay.close();
    await closed;
    expect(reason).toMatch(/relay/);
    relay = await startRelay({ port: 0, log: () => undefined });
  });

  it('keeps its address across reconnects with --local-port, waiting while the port is taken', async () => {
    const port = await freePort();
    const options = { host: relay.host, port: relay.port, localPort: port, onMessage: () => undefined, onClose: () => undefined };
    const first: RelayConnection = await connectToRelay(options);
    expect(first.address).toBe(`127.0.0.1:${port}`);
    // While the first connection holds the port, the second keeps retrying; it gets through once the first is closed.
    const second = connectToRelay(options);
    setTimeout(() => void first.close(), 300);
    const reconnected = await second;
    expect(reconnected.address).toBe(`127.0.0.1:${port}`);
    await reconnected.close();
  });

  it('gives up on a refused connection at once', async () => {
    const port = await freePort();
    await expect(connectToRelay({ host: '127.0.0.1', port, onMessage: () => undefined, onClose: () => undefined })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
