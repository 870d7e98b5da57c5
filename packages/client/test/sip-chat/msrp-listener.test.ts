/**
 * The MSRP listener of a callee without a relay: connections matched to
 * sessions by the session id of the first request's To-Path; hostile or
 * unmatched connections closed without touching any session; bounds on
 * pending connections and on the bytes read before a match.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_BYTES, MAX_PENDING_CONNECTIONS, sessionIdOfFirstRequest } from '../../src/sip-chat/msrp-net/listener.js';
import { BIND, msrpListenerRig } from './msrp-listener-rig.js';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const rig = msrpListenerRig();
const { open, destroyAfter } = rig;

const closed = (socket: Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('sessionIdOfFirstRequest', () => {
  it('reads the session id of the first To-Path URI, waits for more bytes, and refuses what is not an MSRP request', () => {
    expect(sessionIdOfFirstRequest(enc(BIND('abc/+=')))).toBe('abc/+=');
    expect(sessionIdOfFirstRequest(enc('MSRP a786hjs2 SEND\r\nTo-Pa'))).toBeUndefined();
    expect(sessionIdOfFirstRequest(enc('MSR'))).toBeUndefined();
    expect(sessionIdOfFirstRequest(enc('GET / HTTP/1.1\r\n'))).toBeNull();
    expect(sessionIdOfFirstRequest(enc('MSRP a786hjs2 SEND\r\nFrom-Path: msrp://x:1/y;tcp\r\n\r\n'))).toBeNull();
    expect(sessionIdOfFirstRequest(enc('MSRP a786hjs2 SEND\r\nTo-Path: not a uri\r\n'))).toBeNull();
    expect(sessionIdOfFirstRequest(new Uint8Array([0xff, 0x00, 0x13]))).toBeNull();
  });
});

describe('MsrpListener', () => {
  it('hands a connection to the session its first request names, with the bytes read so far', async () => {
    const taken = new Promise<Uint8Array>((resolve) => rig.listener.expect('sess-1', (socket, bytes) => {
      destroyAfter(socket);
      resolve(bytes);
    }));
    const socket = await open();
    socket.write(BIND('sess-1').slice(0, 20));
    socket.write(BIND('sess-1').slice(20));
    expect(new TextDecoder().decode(await taken)).toBe(BIND('sess-1'));
  });

  it('hostile bytes and requests for unknown sessions close that connection only; the expected session still gets its own', async () => {
    let takes = 0;
    const taken = new Promise<void>((resolve) => rig.listener.expect('good', (socket) => {
      takes += 1;
      destroyAfter(socket);
      resolve();
    }));
    const garbage = await open();
    garbage.write(Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a]));
    const wrong = await open();
    wrong.write(BIND('unknown'));
    await Promise.all([closed(garbage), closed(wrong)]);
    const good = await open();
    good.write(BIND('good'));
    await taken;
    expect(takes).toBe(1);
  });

  it('a connection that sends endless header bytes without a To-Path is closed at the byte bound', async () => {
    const socket = await open();
    socket.write(`MSRP a786hjs2 SEND\r\nX-Long: ${'a'.repeat(MAX_PENDING_BYTES)}`);
    await closed(socket);
    expect(rig.listener.pendingConnections).toBe(0);
  });

  it('connections that never say which session they are for are bounded: one too many closes the one waiting longest', async () => {
    const idle: Socket[] = [];
    for (let i = 0; i < MAX_PENDING_CONNECTIONS; i++) {
      idle.push(await open());
      while (rig.listener.pendingConnections < i + 1) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await open();
    await closed(idle[0] as Socket);
    expect(rig.listener.pendingConnections).toBe(MAX_PENDING_CONNECTIONS);
    for (const socket of idle) socket.destroy();
  });
});
