/** Joining the default relay: starting one when none listens, and taking over when it goes away. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RelayLink, type RelayLinkOptions } from '../../src/net/relay-link.js';
import { startRelay } from '../../src/relay/server.js';
import { freePort } from '../helpers/free-port.js';

interface Peer {
  link: RelayLink;
  notes: string[];
  received: string[];
  next(): Promise<string>;
}

async function peer(port: number, options: Partial<RelayLinkOptions> = {}): Promise<Peer> {
  const notes: string[] = [];
  const received: string[] = [];
  const link = await RelayLink.open({
    relay: { host: '127.0.0.1', port },
    mayHost: true,
    rejoin: true,
    onMessage: (from, text) => received.push(`${from} ${text}`),
    onNote: (text) => notes.push(text),
    ...options,
  });
  return {
    link,
    notes,
    received,
    next: async () => {
      while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      return received.shift() ?? '';
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RelayLink', () => {
  it('starts a relay when none listens; the next one joins it', async () => {
    const port = await freePort();
    const a = await peer(port);
    expect(a.notes.join()).toMatch(/this sotto runs one/);
    const b = await peer(port);
    expect(b.notes).toEqual([]);
    a.link.send(b.link.address, 'hi');
    expect(await b.next()).toBe(`${a.link.address} hi`);
    await b.link.close();
    await a.link.close();
  });

  it('never starts one for an explicit relay', async () => {
    const port = await freePort();
    await expect(peer(port, { mayHost: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('takes over when the relay goes away, keeping both addresses', async () => {
    const port = await freePort();
    const relay = await startRelay({ port, log: () => undefined });
    const a = await peer(port);
    const b = await peer(port);
    const addresses = [a.link.address, b.link.address];
    await relay.close();
    await until(() => a.notes.length > 0 && b.notes.length > 0);
    expect([a.link.address, b.link.address]).toEqual(addresses);
    expect(a.notes.concat(b.notes).join('\n')).toMatch(/rejoined it with the same address/);
    a.link.send(b.link.address, 'still here');
    expect(await b.next()).toBe(`${addresses[0] ?? ''} still here`);
    await Promise.all([a.link.close(), b.link.close()]);
  });

  it('messages sent while the relay is away are told as not delivered, never silently lost', async () => {
    const port = await freePort();
    let relay = await startRelay({ port, log: () => undefined });
    const a = await peer(port, { mayHost: false, keepAddress: true });
    const b = await peer(port, { mayHost: false, keepAddress: true });
    await relay.close();
    await until(() => a.notes.some((note) => note.startsWith('Lost the relay')));
    a.link.send(b.link.address, 'one');
    a.link.send(b.link.address, 'two');
    expect(a.notes.filter((note) => note.startsWith('Not delivered'))).toHaveLength(1);
    relay = await startRelay({ port, log: () => undefined });
    await until(() => a.notes.some((note) => note.includes('not delivered.')) && b.notes.some((note) => note.includes('rejoined')));
    expect(a.notes.find((note) => note.includes('not delivered.'))).toMatch(/^2 message\(s\) sent while the relay was away/);
    a.link.send(b.link.address, 'three');
    expect(await b.next()).toBe(`${a.link.address} three`);
    await Promise.all([a.link.close(), b.link.close()]);
    await relay.close();
  });

  it('a rejoin from a new port reports the new address to onAddress (the account must bind it)', async () => {
    const port = await freePort();
    let relay = await startRelay({ port, log: () => undefined });
    const addresses: string[] = [];
    const a = await peer(port, { mayHost: false, localPort: await freePort(), onAddress: (address) => addresses.push(address) });
    const oldAddress = a.link.address;
    // Something else takes our old port (allowed while our connection still holds it), so the rejoin needs a new one.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(oldAddress.slice(oldAddress.lastIndexOf(':') + 1)), '127.0.0.1', resolve));
    await relay.close();
    relay = await startRelay({ port, log: () => undefined });
    await until(() => addresses.length > 0);
    expect(addresses).toEqual([a.link.address]);
    expect(a.link.address).not.toBe(oldAddress);
    expect(a.notes.join('\n')).toContain(`Your address is now ${a.link.address}`);
    await a.link.close();
    await new Promise((resolve) => blocker.close(resolve));
    await relay.close();
  });

  it('without rejoin, reports the loss', async () => {
    const port = await freePort();
    const relay = await startRelay({ port, log: () => undefined });
    const a = await peer(port, { rejoin: false });
    await relay.close();
    expect(await a.link.lost).toMatch(/relay/);
    await a.link.close();
  });
});
