/** One MSRP connection: bytes before the session takes it are bounded; its end is told once. */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_EARLY_BYTES, MsrpLink } from '../../src/sip-chat/msrp-net/link.js';
import type { MsrpNetError } from '../../src/sip-chat/msrp-net/errors.js';

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A connected pair: [our side wrapped later, the peer's side]. */
async function pair(): Promise<[Socket, Socket]> {
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer(resolve);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server?.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const ours = connect(port, '127.0.0.1');
  const theirs = await accepted;
  sockets.push(ours, theirs);
  return [ours, theirs];
}

describe('MsrpLink', () => {
  it('bytes arriving before the session takes the connection are held, and handed over in order', async () => {
    const [ours, theirs] = await pair();
    const link = new MsrpLink(ours);
    const arrived = new Promise((resolve) => ours.once('data', resolve)); // after the link's own listener
    theirs.write('MSRP abcd SEND\r\n');
    await arrived;
    const got: string[] = [];
    link.receiveWith((bytes) => got.push(Buffer.from(bytes).toString()));
    expect(got.join('')).toBe('MSRP abcd SEND\r\n');
    link.close();
  });

  it('a peer flooding bytes before the session takes the connection is cut off at the bound, and the end is told once', async () => {
    const [ours, theirs] = await pair();
    const link = new MsrpLink(ours);
    const ends: (MsrpNetError | undefined)[] = [];
    const ended = new Promise<void>((resolve) => link.onClose((error) => {
      ends.push(error);
      resolve();
    }));
    theirs.on('error', () => undefined);
    theirs.write(Buffer.alloc(MAX_EARLY_BYTES + 1024, 0x41));
    await ended;
    expect(ends).toHaveLength(1);
    expect(ends[0]?.code).toBe('overflow');
    expect(link.closed).toBe(true);
  });
});
