/**
 * Finding: connections that send half a frame and then hang filled the
 * listener's waiting slots (MAX_PENDING_CONNECTIONS) for PENDING_TIMEOUT_MS,
 * and every new connection meanwhile was closed at once: a session's own
 * MSRP connection (the caller binding its session) was locked out by a
 * handful of idle sockets. Now the connection waiting longest gives way.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_CONNECTIONS } from '../../src/sip-chat/msrp-net/listener.js';
import { BIND, msrpListenerRig } from './msrp-listener-rig.js';

const rig = msrpListenerRig();
const { open, destroyAfter } = rig;

describe('MsrpListener under hanging connections', () => {
  it('half-sent frames left hanging do not lock a session\'s own connection out of the listener', async () => {
    const hanging: Socket[] = [];
    for (let i = 0; i < MAX_PENDING_CONNECTIONS * 2; i++) {
      const socket = await open();
      socket.write('MSRP hang0001 SEND\r\nTo-Path: msrp://127.0.0.1');
      hanging.push(socket);
    }
    // the listener has seen them all
    for (let i = 0; i < 200 && rig.listener.pendingConnections < MAX_PENDING_CONNECTIONS; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(rig.listener.pendingConnections).toBeLessThanOrEqual(MAX_PENDING_CONNECTIONS);
    const taken = new Promise<Uint8Array>((resolve) => rig.listener.expect('sess-ok', (socket, bytes) => {
      destroyAfter(socket);
      resolve(bytes);
    }));
    const good = await open();
    const closed = new Promise<'closed'>((resolve) => good.once('close', () => resolve('closed')));
    good.write(BIND('sess-ok'));
    const outcome = await Promise.race([taken, closed]);
    expect(outcome).not.toBe('closed');
    expect(new TextDecoder().decode(outcome as Uint8Array)).toBe(BIND('sess-ok'));
    expect(rig.listener.pendingConnections).toBeLessThanOrEqual(MAX_PENDING_CONNECTIONS);
  });
});
