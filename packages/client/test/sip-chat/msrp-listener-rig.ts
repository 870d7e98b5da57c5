/** A fresh MsrpListener for each test, and sockets to it that are destroyed after the test. */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { MsrpListener } from '../../src/sip-chat/msrp-net/listener.js';

/** The first request of a caller binding the session `session` (an empty SEND). */
export const BIND = (session: string): string =>
  `MSRP a786hjs2 SEND\r\nTo-Path: msrp://127.0.0.1:9/${session};tcp\r\nFrom-Path: msrp://127.0.0.1:2855/caller;tcp\r\nByte-Range: 1-0/0\r\nMessage-ID: 87652491\r\n-------a786hjs2$\r\n`;

export interface MsrpListenerRig {
  /** This test's listener on 127.0.0.1 (there from `beforeEach` on). */
  readonly listener: MsrpListener;
  /** A connection to the listener (destroyed after the test). */
  readonly open: () => Promise<Socket>;
  /** Destroys `socket` after the test (for the sockets the listener hands over). */
  readonly destroyAfter: (socket: Socket) => void;
}

/** Registers the hooks that listen before each test and close the listener and the test's sockets after it. */
export function msrpListenerRig(): MsrpListenerRig {
  let listener: MsrpListener | undefined;
  const sockets: Socket[] = [];
  beforeEach(async () => {
    listener = await MsrpListener.listen('127.0.0.1');
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await listener?.close();
  });
  const rig: MsrpListenerRig = {
    get listener(): MsrpListener {
      if (listener === undefined) throw new Error('the listener starts in beforeEach');
      return listener;
    },
    open: () => new Promise((resolve, reject) => {
      const socket = connect(rig.listener.port, '127.0.0.1', () => resolve(socket));
      socket.on('error', () => undefined);
      socket.once('error', reject);
      sockets.push(socket);
    }),
    destroyAfter: (socket) => {
      sockets.push(socket);
    },
  };
  return rig;
}
