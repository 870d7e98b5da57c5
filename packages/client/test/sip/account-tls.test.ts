import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startKamailio } from './kamailio/harness.js';
import { account, aliceAndBob, chatOffer, ended, established, nextIncoming } from './helpers.js';
import { SipTransportError } from '../../src/sip/transport.js';
import type { SipAccount } from '../../src/sip/account.js';

const run = promisify(execFile);
const rig = aliceAndBob({ tls: true, sipAuth: true }, { transport: 'tls' });

async function startError(sip: SipAccount): Promise<SipTransportError> {
  const errors: SipTransportError[] = [];
  sip.on('error', (error) => errors.push(error));
  try {
    await sip.start();
  } catch {
    // the typed error is what counts
  } finally {
    await sip.stop();
  }
  const error = errors[0];
  if (error === undefined) throw new Error('no transport error');
  return error;
}

describe('SIP over TLS (a CA made with openssl at test time) with digest', () => {
  it('registers verifying the server against the given CA', () => {
    expect(rig.alice.registrationState).toBe('registered');
    expect(rig.bob.registrationState).toBe('registered');
  });

  it('INVITE with a TCP/TLS/MSRP offer, accept, BYE from the caller', async () => {
    const incoming = nextIncoming(rig.bob);
    const call = rig.alice.call(`sip:bob@${rig.kam.domain}`, chatOffer('a1', 'active', 'TCP/TLS/MSRP'));
    const session = await incoming;
    expect(session.remote?.media.transport).toBe('TCP/TLS/MSRP');
    const up = established(call);
    await session.accept(chatOffer('b1', 'passive', 'TCP/TLS/MSRP'));
    const answer = await up;
    expect(answer.remote.media.path).toEqual(['msrps://127.0.0.1:2855/b1;tcp']);
    const [x, y] = [ended(call), ended(session)];
    await call.hangup();
    expect(await x).toEqual({ by: 'local', reason: 'hangup' });
    expect(await y).toEqual({ by: 'remote', reason: 'hangup' });
  });

  it('without the CA, the system CAs do not trust the test server: tls-untrusted', async () => {
    const eve = account(rig.kam, 'eve', { transport: 'tls', extra: { tls: {} } });
    expect((await startError(eve)).code).toBe('tls-untrusted');
  });

  it('trusting the server certificate by its SHA-256 fingerprint registers without the CA', async () => {
    const fingerprint = rig.kam.certFingerprint256 ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const carol = account(rig.kam, 'carol', { transport: 'tls', extra: { tls: { trustedFingerprint256: fingerprint.replace(/:/g, '').toLowerCase() } } });
    try {
      await carol.start();
      expect(carol.registrationState).toBe('registered');
    } finally {
      await carol.stop();
    }
  });

  it('a different pinned fingerprint is refused even though the CA would verify', async () => {
    const dave = account(rig.kam, 'dave', { transport: 'tls', extra: { tls: { caPem: rig.kam.caPem, trustedFingerprint256: 'AB'.repeat(32) } } });
    expect((await startError(dave)).code).toBe('tls-untrusted');
  });

  it('a name the certificate does not carry is refused', async () => {
    const frank = account(rig.kam, 'frank', { transport: 'tls', extra: { tls: { caPem: rig.kam.caPem, serverName: 'elsewhere.example' } } });
    expect((await startError(frank)).code).toBe('tls-untrusted');
  });

  it('an unreadable CA file is a typed error', async () => {
    const gina = account(rig.kam, 'gina', { transport: 'tls', extra: { tls: { caFile: '/nonexistent/ca.pem' } } });
    expect((await startError(gina)).code).toBe('ca-file');
  });

  it('the msrps relay answers AUTH over TLS with an msrps Use-Path; the plain relay beside it with msrp', async () => {
    const auth = async (secure: boolean) => {
      const relay = secure ? rig.kam.msrpsRelay : rig.kam.msrpRelay;
      if (relay === undefined) throw new Error('no relay');
      const scheme = secure ? 'msrps' : 'msrp';
      const socket = secure
        ? tlsConnect({ host: relay.host, port: relay.port, ca: [rig.kam.caPem ?? ''] })
        : netConnect(relay.port, relay.host);
      await new Promise<void>((resolve, reject) => { socket.once(secure ? 'secureConnect' : 'connect', resolve); socket.once('error', reject); });
      let got = '';
      const challenge = new Promise<string>((resolve) => socket.on('data', (d: Buffer) => { got += d.toString('latin1'); if (got.includes('-------t1$')) resolve(got); }));
      socket.write(`MSRP t1 AUTH\r\nTo-Path: ${scheme}://127.0.0.1:${relay.port};tcp\r\nFrom-Path: ${scheme}://127.0.0.1:9/me;tcp\r\n-------t1$\r\n`);
      const text = await challenge;
      const nonce = /nonce="([^"]*)"/.exec(text)?.[1] ?? '';
      got = '';
      const ok = new Promise<string>((resolve) => socket.on('data', () => { if (got.includes('-------t2$')) resolve(got); }));
      socket.write(`MSRP t2 AUTH\r\nTo-Path: ${scheme}://127.0.0.1:${relay.port};tcp\r\nFrom-Path: ${scheme}://127.0.0.1:9/me;tcp\r\nAuthorization: Digest username="u", realm="127.0.0.1", nonce="${nonce}", qop="auth", nc="00000001", cnonce="c", response="0", opaque="00"\r\n-------t2$\r\n`);
      const answer = await ok;
      socket.destroy();
      return { challenge: text, answer };
    };
    const secure = await auth(true);
    expect(secure.challenge).toMatch(/^MSRP \S+ 401/);
    expect(secure.answer).toMatch(new RegExp(`Use-Path: msrps://127.0.0.1:${rig.kam.msrpsRelay?.port ?? 0}/\\S+;tcp`));
    const plain = await auth(false);
    expect(plain.answer).toMatch(new RegExp(`Use-Path: msrp://127.0.0.1:${rig.kam.msrpRelay.port}/\\S+;tcp`));
  });

  it('stopping a TLS Kamailio leaves none of its processes behind (its children can hang in shutdown)', async () => {
    const other = await startKamailio({ tls: true, sipAuth: true });
    const running = async () => (await run('ps', ['-eo', 'pid=,stat=,args='])).stdout.split('\n')
      .filter((line) => line.includes(other.dir) && !/^\s*\d+\s+Z/.test(line));
    expect((await running()).length).toBeGreaterThan(2);
    await other.restart();
    await other.stop();
    const alive = await running();
    expect(alive).toEqual([]);
  });
});

