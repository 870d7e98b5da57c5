/**
 * Finding: connections that send half a frame and then hang filled the
 * listener's waiting slots (MAX_PENDING_CONNECTIONS) for PENDING_TIMEOUT_MS,
 * and every new connection meanwhile was closed at once: a session's own
 * MSRP connection (the caller binding its session) was locked out by a
 * handful of idle sockets. Now the connection waiting longest gives way.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_CONNECTIONS, MsrpListener } from '../../src/sip-chat/msrp-net/listener.js';

const BIND = (session: string) => `MSRP a786hjs2 SEND\r\nTo-Path: msrp://127.0.0.1:9/${session};tcp\r\nFrom-Path: msrp://127.0.0.1:2855/caller;tcp\r\nByte-Range: 1-0/0\r\nMessage-ID: 87652491\r\n-------a786hjs2$\r\n`;

let listener: MsrpListener;
const sockets: Socket[] = [];

beforeEach(async () => {
  listener = await MsrpListener.listen('127.0.0.1');
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await listener.close();
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(listener.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    sockets.push(socket);
  });
}

describe('MsrpListener under hanging connections', () => {
  it('half-sent frames left hanging do not lock a session\'s own connection out of the listener', async () => {
    const hanging: Socket[] = [];
    for (let i = 0; i < MAX_PENDING_CONNECTIONS * 2; i++) {
      const socket = await open();
      socket.write('MSRP hang0001 SEND\r\nTo-Path: msrp://127.0.0.1');
      hanging.push(socket);
    }
    // the listener has seen them all
    for (let i = 0; i < 200 && listener.pendingConnections < MAX_PENDING_CONNECTIONS; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(listener.pendingConnections).toBeLessThanOrEqual(MAX_PENDING_CONNECTIONS);
    const taken = new Promise<Uint8Array>((resolve) => listener.expect('sess-ok', (socket, bytes) => {
      sockets.push(socket);
      resolve(bytes);
    }));
    const good = await open();
    const closed = new Promise<'closed'>((resolve) => good.once('close', () => resolve('closed')));
    good.write(BIND('sess-ok'));
    const outcome = await Promise.race([taken, closed]);
    expect(outcome).not.toBe('closed');
    expect(new TextDecoder().decode(outcome as Uint8Array)).toBe(BIND('sess-ok'));
    expect(listener.pendingConnections).toBeLessThanOrEqual(MAX_PENDING_CONNECTIONS);
  });
});
