/**
 * End to end with SIP over TLS (a CA made with openssl at test time,
 * trusted with --ca-file) and SIP digest authentication (password
 * "secret"): register, call, accept, OTR at stream start, messages both
 * ways; directly (the callee listens) and with MSRP over TLS through the
 * TLS relay. The rig's relay takes the SIP password too (one password for
 * both: the client AUTHs at the relay with its SIP credentials).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { memoryIo } from '../helpers/memory-io.js';
import { SIP_PASSWORD } from '../sip/kamailio/harness.js';
import { bothSecure, connect, say, sipChatRig } from './harness.js';

const rig = sipChatRig({
  kamailio: {
    tls: true,
    sipAuth: true,
    editConfig: (cfg) => cfg.replace(/^#!define MSRP_PASSWD "[^"]*"$/m, `#!define MSRP_PASSWD "${SIP_PASSWORD}"`),
  },
  client: { sipTls: true, password: SIP_PASSWORD },
});
const { client } = rig;

describe('SIP chat over SIP/TLS with digest authentication', () => {
  it('registers over TLS with digest, calls, goes secure at stream start, messages both ways (MSRP direct)', async () => {
    const alice = await client('alice1');
    const bob = await client('bob1');
    const [sa, sb] = await connect(alice, bob);
    expect(sa).toMatchObject({ peer: bob.address, cpim: true });
    expect(sb).toMatchObject({ peer: alice.address, cpim: true });
    const [secA, secB] = await bothSecure(alice, bob);
    expect(secA).toMatchObject({ fingerprint: bob.fingerprint });
    expect(secB).toMatchObject({ fingerprint: alice.fingerprint });
    const [got, delivered] = await say(alice, bob, 'over tls', 't1');
    expect(got).toMatchObject({ text: 'over tls', encrypted: true });
    expect(delivered).toMatchObject({ id: 't1' });
    const [back] = await say(bob, alice, 'and back over tls', 't2');
    expect(back).toMatchObject({ text: 'and back over tls', encrypted: true });
  });

  it('SIP/TLS with digest and MSRP over TLS through the TLS relay on both sides (Blink\'s defaults)', async () => {
    const alice = await client('alice2', { relay: true, msrpTls: true });
    const bob = await client('bob2', { relay: true, msrpTls: true });
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [got] = await say(alice, bob, 'msrps both ways', 's1');
    expect(got).toMatchObject({ text: 'msrps both ways', encrypted: true });
    const [back] = await say(bob, alice, 'reply via msrps', 's2');
    expect(back).toMatchObject({ text: 'reply via msrps', encrypted: true });
  });

  it('a wrong SIP password over TLS: the client says it cannot register and exits 1', async () => {
    const io = memoryIo();
    const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-tls-wrong-'));
    try {
      writeFileSync(join(dir, 'password'), 'wrong\n', { mode: 0o600 });
      writeFileSync(join(dir, 'ca.pem'), rig.kam.caPem ?? '');
      const tls = rig.kam.sipTls ?? rig.kam.sipTcp;
      const status = await main(['chat', '--json', '--account', `sip:mallory@${rig.kam.domain}`, '--password-file', join(dir, 'password'),
        '--proxy', `${tls.host}:${tls.port}`, '--transport', 'tls', '--ca-file', join(dir, 'ca.pem'), '--state-dir', dir], io.io);
      expect(status).toBe(1);
      expect(io.stderr()).toMatch(/cannot register sip:mallory@/);
      expect(io.stderr()).not.toContain('wrong');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIP over TLS without the CA trusted: the certificate is refused and nothing registers', async () => {
    const io = memoryIo();
    const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-tls-noca-'));
    try {
      writeFileSync(join(dir, 'password'), `${SIP_PASSWORD}\n`, { mode: 0o600 });
      const tls = rig.kam.sipTls ?? rig.kam.sipTcp;
      const status = await main(['chat', '--json', '--account', `sip:eve@${rig.kam.domain}`, '--password-file', join(dir, 'password'),
        '--proxy', `${tls.host}:${tls.port}`, '--transport', 'tls', '--state-dir', dir], io.io);
      expect(status).toBe(1);
      expect(io.stderr()).toMatch(/cannot register/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
