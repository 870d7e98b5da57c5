/**
 * MSRP over TLS for a callee without a relay: the state directory's
 * self-signed certificate (made once by openssl, key 0600, no half-made
 * pair left), a TLS listener matching connections by session id as the
 * plain one does, and our connecting side taking a direct peer's
 * self-signed certificate only when told to (a relay's is verified).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMsrpUri } from '@sotto/msrp';
import { msrpServerContext } from '../../src/sip-chat/msrp-net/certificate.js';
import { connectMsrp } from '../../src/sip-chat/msrp-net/connect.js';
import { MsrpNetError } from '../../src/sip-chat/msrp-net/errors.js';
import { MsrpListener } from '../../src/sip-chat/msrp-net/listener.js';
import { BIND } from './msrp-listener-rig.js';

const dirs: string[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-msrp-tls-'));
  dirs.push(dir);
  return dir;
}

async function tlsListener(): Promise<MsrpListener> {
  const listener = await MsrpListener.listen('127.0.0.1', await msrpServerContext(stateDir()));
  closers.push(() => listener.close());
  return listener;
}

const peerUri = (port: number, session: string): NonNullable<ReturnType<typeof parseMsrpUri>> => {
  const uri = parseMsrpUri(`msrps://127.0.0.1:${port}/${session};tcp`);
  if (uri === undefined) throw new Error('bad test URI');
  return uri;
};

describe('the MSRP TLS certificate of a state directory', () => {
  it('is made once by openssl, its key 0600, and reused; nothing half-made is left', async () => {
    const dir = stateDir();
    await msrpServerContext(dir);
    const cert = readFileSync(join(dir, 'msrp-tls', 'cert.pem'), 'utf8');
    expect(cert).toContain('BEGIN CERTIFICATE');
    expect(statSync(join(dir, 'msrp-tls', 'key.pem')).mode & 0o777).toBe(0o600);
    await msrpServerContext(dir);
    expect(readFileSync(join(dir, 'msrp-tls', 'cert.pem'), 'utf8')).toBe(cert);
    expect(readdirSync(dir)).toEqual(['msrp-tls']);
  });

  it('without the openssl command there is no certificate: a typed cannot-listen, nothing written', async () => {
    const dir = stateDir();
    const error = await msrpServerContext(dir, join(dir, 'no-such-openssl')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MsrpNetError);
    expect(error).toMatchObject({ code: 'cannot-listen', message: expect.stringContaining('openssl') as unknown });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the MSRP TLS listener', () => {
  it('a direct msrps peer hop takes the self-signed certificate and is matched by session id; verified (a relay hop), it is refused as tls-untrusted', async () => {
    const listener = await tlsListener();
    const taken = new Promise<string>((resolve) => listener.expect('tls-1', (socket, bytes) => {
      closers.push(() => socket.destroy());
      resolve(new TextDecoder().decode(bytes));
    }));
    const refused = await connectMsrp(peerUri(listener.port, 'tls-1'), {}).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'tls-untrusted' });
    const socket = await connectMsrp(peerUri(listener.port, 'tls-1'), { verify: false });
    closers.push(() => socket.destroy());
    socket.write(BIND('tls-1'));
    expect(await taken).toBe(BIND('tls-1'));
  });

  it('plain MSRP bytes to the TLS listener are never matched: that connection is closed', async () => {
    const listener = await tlsListener();
    let takes = 0;
    listener.expect('plain', () => {
      takes += 1;
    });
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opened = tcpConnect(listener.port, '127.0.0.1', () => resolve(opened));
      opened.on('error', () => undefined);
      opened.once('error', reject);
    });
    closers.push(() => socket.destroy());
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(BIND('plain'));
    await closed;
    expect(takes).toBe(0);
  });
});
