/**
 * OTRv4 fingerprints (56 bytes, 112 hex) beside OTRv3 ones (20 bytes, 40
 * hex) in trust.json: tracked and trusted alike, one cap for both, and
 * fingerprint-changed across versions. The libotr and Blink exports stay
 * OTRv3 only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayFingerprint, exportBlinkPotr, exportLibotr, humanFingerprint, normalizeFingerprint, openStore, trustList, trustVerify } from '../../src/index.js';
import { parsePotrTrustedPeers } from '../../src/formats/potr-trusted-peers.js';
import { MAX_FINGERPRINTS_PER_CONTACT } from '../../src/trust.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const V3 = 'ab'.repeat(20);
const V4 = 'cd'.repeat(56);
const V4_OTHER = 'ef'.repeat(56);
const T0 = new Date('2024-05-01T10:00:00.000Z');
const T1 = new Date('2024-05-02T10:00:00.000Z');

describe('OTRv4 fingerprint text', () => {
  it('shows a 112-hex fingerprint as 14 upper-case groups of 8, optionally over lines', () => {
    const hex = '0123456789abcdef'.repeat(7);
    const human = humanFingerprint(hex);
    expect(human.split(' ')).toHaveLength(14);
    expect(human.split(' ').every((group) => /^[0-9A-F]{8}$/.test(group))).toBe(true);
    expect(humanFingerprint(hex, 7).split('\n')).toEqual([human.split(' ').slice(0, 7).join(' '), human.split(' ').slice(7).join(' ')]);
    expect(normalizeFingerprint(human)).toBe(hex);
    expect(humanFingerprint(V3).split(' ')).toHaveLength(5);
  });

  it('accepts 40 and 112 hex digits and nothing in between', () => {
    expect(normalizeFingerprint(V3)).toBe(V3);
    expect(normalizeFingerprint(V4.toUpperCase())).toBe(V4);
    expect(normalizeFingerprint('ab'.repeat(28))).toBeUndefined();
    expect(normalizeFingerprint('ab'.repeat(57))).toBeUndefined();
  });
});

describe('OTRv4 trust', () => {
  it('records OTRv4 fingerprints with their kind and trusts them like OTRv3 ones', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    expect(await store.recordSeen('alice', 'bob', V4, T0)).toEqual({ changed: false, verified: false, crossVersion: false });
    await store.recordSeen('alice', 'bob', V3, T0);
    expect(store.fingerprints('alice', 'bob').map((record) => record.kind)).toEqual(['v4', 'v3']);
    await trustVerify(store, 'alice', 'bob', humanFingerprint(V4), T1);
    expect(store.isVerified('alice', 'bob', V4)).toBe(true);
    expect(trustList(store, 'alice', 'bob').text).toContain(`${displayFingerprint(V4, 2)} (OTRv4)  verified (by hand)`);
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.fingerprints('alice', 'bob').map((record) => [record.kind, record.status])).toEqual([
      ['v4', 'manual'],
      ['v3', 'unverified'],
    ]);
    await reopened.forget('alice', 'bob', V4);
    expect(reopened.fingerprints('alice', 'bob').map((record) => record.kind)).toEqual(['v3']);
    await reopened.close();
    // With no OTRv4 fingerprint left, trust.json is written as before OTRv4.
    expect(JSON.parse(readFileSync(join(dir, 'trust.json'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('fingerprint-changed across versions: verified OTRv3, unverified OTRv4 is a change until the OTRv4 key is verified too', async () => {
    const store = await openStore(tempDir());
    await store.setTrust('alice', 'bob', V3, 'smp', T0);
    expect(await store.recordSeen('alice', 'bob', V4, T0)).toEqual({ changed: true, verified: false, crossVersion: true });
    expect(await store.recordSeen('alice', 'bob', V4, T1)).toEqual({ changed: true, verified: false, crossVersion: true });
    await store.setTrust('alice', 'bob', V4, 'smp', T1);
    expect(await store.recordSeen('alice', 'bob', V4, T1)).toEqual({ changed: false, verified: true, crossVersion: false });
    // Verifying the OTRv4 key removes nothing: the old OTRv3 key is still quiet.
    expect(await store.recordSeen('alice', 'bob', V3, T1)).toEqual({ changed: false, verified: true, crossVersion: false });
    // Another unverified OTRv4 key while one OTRv4 key is verified is a plain change.
    expect(await store.recordSeen('alice', 'bob', V4_OTHER, T1)).toEqual({ changed: true, verified: false, crossVersion: false });
    await store.close();
  });

  it('fingerprint-changed across versions: verified OTRv4, unverified OTRv3 (a fall back to v3) is a change', async () => {
    const store = await openStore(tempDir());
    await store.setTrust('alice', 'bob', V4, 'manual', T0);
    expect(await store.recordSeen('alice', 'bob', V3, T1)).toEqual({ changed: true, verified: false, crossVersion: true });
    await store.close();
  });

  it('the per-contact cap counts OTRv3 and OTRv4 fingerprints together', async () => {
    const store = await openStore(tempDir());
    for (let n = 0; n < MAX_FINGERPRINTS_PER_CONTACT + 4; n++) {
      const hex = n.toString(16).padStart(n % 2 === 0 ? 40 : 112, '0');
      await store.recordSeen('alice', 'bob', hex, new Date(T0.getTime() + n * 3_600_000));
    }
    const records = store.fingerprints('alice', 'bob');
    expect(records).toHaveLength(MAX_FINGERPRINTS_PER_CONTACT);
    expect(new Set(records.map((record) => record.kind))).toEqual(new Set(['v3', 'v4']));
    await store.close();
  });

  it('a trust.json record whose kind does not match its fingerprint is reported as damaged', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.recordSeen('alice', 'bob', V4, T0);
    await store.close();
    const body = JSON.parse(readFileSync(join(dir, 'trust.json'), 'utf8')) as { accounts: { alice: { bob: { kind: string }[] } } };
    const record = body.accounts.alice.bob[0];
    if (record !== undefined) record.kind = 'v3';
    writeFileSync(join(dir, 'trust.json'), JSON.stringify(body), { mode: 0o600 });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/not 40 lower-case hex/) as string });
  });

  it('a 112-hex fingerprint in a version 1 trust.json is reported as damaged', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.recordSeen('alice', 'bob', V4, T0);
    await store.close();
    const body = JSON.parse(readFileSync(join(dir, 'trust.json'), 'utf8')) as { version: number; accounts: { alice: { bob: { kind?: string }[] } } };
    body.version = 1;
    for (const record of body.accounts.alice.bob) delete record.kind;
    writeFileSync(join(dir, 'trust.json'), JSON.stringify(body), { mode: 0o600 });
    await expect(openStore(dir)).rejects.toMatchObject({ code: 'corrupt' });
  });
});

describe('exports stay OTRv3 only', () => {
  it('libotr export leaves OTRv4 fingerprints out of otr.fingerprints', async () => {
    const store = await openStore(tempDir());
    await store.getOrCreateV4Identity('alice');
    await store.setTrust('alice', 'bob', V3, 'smp', T0);
    await store.setTrust('alice', 'bob', V4, 'smp', T0);
    const out = join(tempDir(), 'libotr');
    const report = await exportLibotr(store, out, { account: 'alice' });
    expect(report.fingerprints).toBe(1);
    const written = readFileSync(join(out, 'otr.fingerprints'), 'utf8');
    expect(written).toContain(V3);
    expect(written).not.toContain(V4);
    await store.close();
  });

  it('Blink export leaves OTRv4 fingerprints out of trusted_peers, and its reader refuses them', async () => {
    const store = await openStore(tempDir());
    await store.getOrCreateV4Identity('alice');
    await store.setTrust('alice', 'bob', V3, 'manual', T0);
    await store.setTrust('alice', 'bob', V4, 'manual', T0);
    const out = join(tempDir(), 'blink');
    const report = await exportBlinkPotr(store, out, { account: 'alice' });
    expect(report.fingerprints).toBe(1);
    expect(readFileSync(join(out, 'trusted_peers'), 'utf8')).not.toContain(humanFingerprint(V4));
    await store.close();
    expect(parsePotrTrustedPeers(new TextEncoder().encode(`bob\t${V4}\tverified\n`))).toMatchObject({ ok: false });
  });
});
