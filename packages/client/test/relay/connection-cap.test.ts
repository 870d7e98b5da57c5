/**
 * 256 sockets each sending 5 bytes of a header locked everyone out of the
 * relay (issue 13). Connections are capped per remote address as well as in
 * total, and partial-header sockets are closed by the partial-frame timeout.
 * Other loopback addresses (127.0.0.2, ...) stand in for other hosts.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/relay/framing.js';
import { addressGroup, type Relay } from '../../src/relay/server.js';
import { client, closedPromise, rawSocket, registered, relayFixture, until } from './relay-clients.js';

const { start, logLines } = relayFixture();

/** Opens `count` sockets from `from`, each sending 5 bytes of a header; resolves once the relay kept or closed each. */
async function flood(server: Relay, from: string, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const closed = new Set<Socket>();
  for (let i = 0; i < count; i++) {
    const socket = await rawSocket(server, from);
    socket.once('close', () => closed.add(socket));
    socket.write(Buffer.from([0, 0, 0, 9, 0x31]));
    sockets.push(socket);
  }
  await until(() => {
    const kept = new Set(server.stats().connections.map((connection) => connection.address));
    return sockets.every((socket) => closed.has(socket) || kept.has(`${from}:${socket.localPort ?? 0}`));
  });
  return sockets;
}

describe('256 sockets each sending 5 bytes of a header lock everyone out', () => {
  it('caps connections per address, so a flood from one address does not lock out another', { timeout: 10_000 }, async () => {
    const server = await start({ maxClients: 32, maxClientsPerAddress: 8 });
    await flood(server, '127.0.0.1', 32);
    expect(server.stats().connections.filter((connection) => connection.address.startsWith('127.0.0.1:')).length).toBeLessThanOrEqual(8);
    const alice = await client(server, '127.0.0.2');
    const bob = await client(server, '127.0.0.3');
    await registered(server, alice.address, bob.address);
    alice.socket.write(encodeFrame(bob.address, 'we got in'));
    expect((await bob.next()).content.toString('utf8')).toBe('we got in');
    expect(logLines.some((line) => line.startsWith('refusing 127.0.0.1:'))).toBe(true);
  });

  it('closes the partial-header sockets, so clients from the same address get in again', { timeout: 10_000 }, async () => {
    const server = await start({ maxClients: 16, stallTimeoutMs: 100 });
    const sockets = await flood(server, '127.0.0.1', 16);
    await Promise.all(sockets.map(closedPromise));
    const alice = await client(server);
    const bob = await client(server);
    await registered(server, alice.address, bob.address);
    alice.socket.write(encodeFrame(bob.address, 'back in'));
    expect((await bob.next()).content.toString('utf8')).toBe('back in');
  });

  it('counts an IPv6 client by its /64, and IPv4 ones by address', () => {
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe(addressGroup('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(addressGroup('2001:db8:1:2::1')).not.toBe(addressGroup('2001:db8:1:3::1'));
    expect(addressGroup('2001:0db8:0001:0002::')).toBe(addressGroup('2001:db8:1:2::ffff'));
    expect(addressGroup('::1')).toBe(addressGroup('0:0:0:0:0:0:0:1'));
    expect(addressGroup('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(addressGroup('10.0.0.1')).not.toBe(addressGroup('10.0.0.2'));
  });
});
