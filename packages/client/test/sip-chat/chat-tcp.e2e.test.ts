/**
 * End to end: two `sotto chat --json --account` clients through Kamailio
 * over TCP, no relay (the callee listens for MSRP): register, call, accept,
 * OTR at stream start, messages both ways with delivery, SMP, hang-up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '@sotto/store';
import { main } from '../../src/main.js';
import { InProcessDriver } from '../helpers/in-process-driver.js';
import { memoryIo } from '../helpers/memory-io.js';
import { bothSecure, connect, say, sipChatRig } from './harness.js';

const rig = sipChatRig();
const { client } = rig;

describe('sotto chat --json --account over SIP/MSRP (TCP, no relay)', () => {
  it('registers, calls, goes secure at stream start, and delivers messages both ways', async () => {
    const alice = await client('alice1');
    const bob = await client('bob1');
    expect(alice.address).toBe(`sip:alice1@${rig.kam.domain}`);
    expect(alice.events()[0]).toMatchObject({ event: 'ready', address: alice.address });
    const [sa, sb] = await connect(alice, bob);
    expect(sa).toMatchObject({ peer: bob.address, cpim: true });
    expect(sb).toMatchObject({ peer: alice.address, cpim: true });
    const [secA, secB] = await bothSecure(alice, bob);
    expect(secA).toMatchObject({ version: 4, fingerprint: bob.fingerprint, trusted: false });
    expect(secB).toMatchObject({ version: 4, fingerprint: alice.fingerprint, trusted: false });
    const [got, delivered] = await say(alice, bob, 'hello bob', 'm1');
    expect(got).toMatchObject({ text: 'hello bob', encrypted: true, content_type: 'text/plain' });
    expect(delivered).toEqual({ event: 'delivered', peer: bob.address, id: 'm1' });
    const [back] = await say(bob, alice, '<b>hi</b> alice', 'm2', { content_type: 'text/html' });
    expect(back).toMatchObject({ text: 'hi alice', encrypted: true, content_type: 'text/html' });
  });

  it('speaks OTR version 3 when both allow only 3, and runs SMP to a trusted fingerprint on both sides', async () => {
    const alice = await client('alice2', { versions: '3' });
    const bob = await client('bob2', { versions: '3' });
    await connect(alice, bob);
    const [secA, secB] = await bothSecure(alice, bob);
    expect(secA).toMatchObject({ version: 3, fingerprint: bob.fingerprints['3'] });
    expect(secB).toMatchObject({ version: 3, fingerprint: alice.fingerprints['3'] });
    expect(secA.ssid).toBe(secB.ssid);
    const [a, b] = [alice.mark(), bob.mark()];
    alice.command({ cmd: 'smp', to: bob.address, secret: 'rosebud', question: 'sled?' });
    expect(await bob.next('smp-request', b)).toMatchObject({ peer: alice.address, question: 'sled?' });
    bob.command({ cmd: 'smp-answer', to: alice.address, secret: 'rosebud' });
    expect(await alice.next('smp-result', a)).toMatchObject({ peer: bob.address, success: true });
    expect(await bob.next('smp-result', b)).toMatchObject({ peer: alice.address, success: true });
    expect(await alice.next('trusted', a)).toEqual({ event: 'trusted', peer: bob.address, fingerprint: bob.fingerprints['3'] });
    expect(await bob.next('trusted', b)).toEqual({ event: 'trusted', peer: alice.address, fingerprint: alice.fingerprints['3'] });
    const [got] = await say(bob, alice, 'verified now', 'v1');
    expect(got).toMatchObject({ encrypted: true });
  });

  it('hang-up by the caller of a secure session: the callee sees finished before session-ended, by remote even when the MSRP connection closes before the BYE arrives', async () => {
    const alice = await client('alice3');
    const bob = await client('bob3');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [a, b] = [alice.mark(), bob.mark()];
    alice.command({ cmd: 'hangup', to: bob.address });
    expect(await alice.next('session-ended', a)).toMatchObject({ peer: bob.address, by: 'local' });
    const ended = await bob.next('session-ended', b);
    expect(ended).toMatchObject({ peer: alice.address, by: 'remote' });
    const names = bob.events().slice(b).map((event) => event.event);
    expect(names.indexOf('finished')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('finished')).toBeLessThan(names.indexOf('session-ended'));
    // No session any more: a send is an error.
    const c = alice.mark();
    alice.command({ cmd: 'send', to: bob.address, text: 'gone?' });
    expect(await alice.next('error', c)).toMatchObject({ peer: bob.address });
  });

  it('hang-up by the callee of a secure session: the caller sees finished before session-ended, by remote even when the MSRP connection closes before the BYE arrives', async () => {
    const alice = await client('alice4');
    const bob = await client('bob4');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const [a, b] = [alice.mark(), bob.mark()];
    bob.command({ cmd: 'hangup', to: alice.address });
    expect(await bob.next('session-ended', b)).toMatchObject({ peer: alice.address, by: 'local' });
    expect(await alice.next('session-ended', a)).toMatchObject({ peer: bob.address, by: 'remote' });
    const names = alice.events().slice(a).map((event) => event.event);
    expect(names.indexOf('finished')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('finished')).toBeLessThan(names.indexOf('session-ended'));
  });

  it('a --policy never peer gets plain chat: no OTR is sent to it or started by it, messages are unencrypted both ways', async () => {
    const alice = await client('alice5');
    const bob = await client('bob5', { policy: 'never' });
    await connect(alice, bob);
    const [got] = await say(alice, bob, 'plain hello', 'p1');
    expect(got).toMatchObject({ text: 'plain hello', encrypted: false });
    const [back] = await say(bob, alice, 'plain back', 'p2');
    expect(back).toMatchObject({ text: 'plain back', encrypted: false });
    expect(bob.events().some((event) => event.event === 'secure')).toBe(false);
    expect(alice.events().some((event) => event.event === 'secure')).toBe(false);
    const b = bob.mark();
    bob.command({ cmd: 'start', to: alice.address });
    expect(await bob.next('error', b)).toMatchObject({ peer: alice.address });
  });

  it('rejecting an incoming session ends it on both sides', async () => {
    const alice = await client('alice6');
    const bob = await client('bob6');
    const [a, b] = [alice.mark(), bob.mark()];
    alice.command({ cmd: 'call', to: bob.address });
    expect(await bob.next('incoming', b)).toEqual({ event: 'incoming', peer: alice.address, focus: false });
    bob.command({ cmd: 'reject', peer: alice.address });
    expect(await alice.next('session-ended', a)).toMatchObject({ peer: bob.address, by: 'remote' });
    expect(await bob.next('session-ended', b)).toMatchObject({ peer: alice.address, by: 'local' });
  });

  it('composing reaches the peer', async () => {
    const alice = await client('alice7');
    const bob = await client('bob7');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    const b = bob.mark();
    alice.command({ cmd: 'composing', to: bob.address, state: 'active' });
    expect(await bob.next('composing', b)).toEqual({ event: 'composing', peer: alice.address, state: 'active' });
  });

  it('a contact coming back with another key after /trust: fingerprint-changed once, right before its secure, untrusted', async () => {
    const alice = await client('alice8');
    const bob = await client('bob8');
    await connect(alice, bob);
    await bothSecure(alice, bob);
    let a = alice.mark();
    alice.command({ cmd: 'trust', to: bob.address });
    expect(await alice.next('trusted', a)).toEqual({ event: 'trusted', peer: bob.address, fingerprint: bob.fingerprint });
    alice.command({ cmd: 'hangup', to: bob.address });
    await alice.next('session-ended', a);
    await rig.quit(bob);
    const newBob = await client('bob8');
    expect(newBob.fingerprint).not.toBe(bob.fingerprint);
    a = alice.mark();
    await connect(alice, newBob);
    const secure = await alice.next('secure', a);
    expect(secure).toMatchObject({ fingerprint: newBob.fingerprint, trusted: false });
    const names = alice.events().slice(a).map((event) => event.event);
    expect(names.filter((name) => name === 'fingerprint-changed')).toHaveLength(1);
    expect(names.indexOf('fingerprint-changed')).toBe(names.indexOf('secure') - 1);
  });

  it('"always use OTR" for a contact (kept in the store) starts OTR at stream start under --policy manual', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-always-'));
    try {
      const store = await openStore(dir);
      await store.setContactSettings(`sip:alice9@${rig.kam.domain}`, `sip:bob9@${rig.kam.domain}`, { requireEncryption: true });
      await store.close();
      const alice = await client('alice9', { policy: 'manual', stateDir: dir });
      const bob = await client('bob9', { policy: 'manual' });
      await connect(alice, bob);
      await bothSecure(alice, bob);
    } finally {
      await rig.quitAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--policy always with a peer that cannot encrypt: a send is not-sent (encryption-required) and nothing reaches the peer', async () => {
    const alice = await client('alice10', { policy: 'always' });
    const bob = await client('bob10', { policy: 'never' });
    await connect(alice, bob);
    const a = alice.mark();
    alice.command({ cmd: 'send', to: bob.address, text: 'secret', id: 'held1' });
    expect(await alice.next('not-sent', a)).toEqual({ event: 'not-sent', to: bob.address, reason: 'encryption-required' });
    // A later plain message from bob still arrives; alice's text never did.
    const [got] = await say(bob, alice, 'no OTR here', 'b1');
    expect(got).toMatchObject({ encrypted: false });
    expect(bob.events().some((event) => event.event === 'message')).toBe(false);
  });

  it('without --password-file the account comes from the store (sotto account add), and registers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotto-sip-stored-'));
    try {
      const passwordFile = join(dir, 'password');
      writeFileSync(passwordFile, 'secret\n', { mode: 0o600 });
      const address = `sip:stored@${rig.kam.domain}`;
      const add = memoryIo();
      expect(await main(['account', 'add', address, '--password-file', passwordFile, '--proxy', `${rig.kam.sipTcp.host}:${rig.kam.sipTcp.port}`, '--transport', 'tcp', '--state-dir', dir], add.io)).toBe(0);
      const driver = await InProcessDriver.start(['--account', address, '--state-dir', dir]);
      expect(driver.address).toBe(address);
      const bob = await client('bob11');
      const b = bob.mark();
      driver.command({ cmd: 'call', to: bob.address });
      expect(await bob.next('incoming', b)).toMatchObject({ peer: address });
      expect(await driver.quit()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
