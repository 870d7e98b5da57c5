/**
 * SIP accounts (accounts.json) and per-contact "always use OTR": address
 * validation, typed errors, the file's mode, no password in a listing,
 * settings kept per SIP contact.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SIP_ACCOUNTS, normalizeSipAddress, openSipAccounts, openStore } from '../../src/index.js';
import { MAX_CONTACTS_PER_ACCOUNT } from '../../src/trust.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const PASSWORD = 'correct horse battery staple';

describe('SIP addresses', () => {
  it('writes scheme and domain lower-case and keeps the user part as given', () => {
    expect(normalizeSipAddress('SIP:Alice@Example.ORG')).toBe('sip:Alice@example.org');
    expect(normalizeSipAddress('sip:bob@127.0.0.1')).toBe('sip:bob@127.0.0.1');
    expect(normalizeSipAddress('sip:bob@[::1]')).toBe('sip:bob@[::1]');
    expect(normalizeSipAddress('sip:a.b-c_d%20e@sub.example.org')).toBe('sip:a.b-c_d%20e@sub.example.org');
  });

  it('refuses what is not sip:user@domain with an invalid error', () => {
    for (const bad of ['alice@example.org', 'sips:alice@example.org', 'sip:@example.org', 'sip:example.org', 'sip:alice@', 'sip:alice@example.org:5060', 'sip:alice@exa mple.org', 'sip:al ice@example.org', 'sip:alice@example.org;transport=tls', 'sip:alice\u001b[2J@example.org', 'tel:+123', `sip:${'a'.repeat(400)}@x.org`, 'sip:alice%zz@example.org']) {
      expect(() => normalizeSipAddress(bad), bad).toThrow(expect.objectContaining({ name: 'StoreError', code: 'invalid' }) as Error);
    }
  });

  it('an error message never carries raw control characters', () => {
    const error = (() => {
      try {
        normalizeSipAddress('sip:\u001b]0;owned\u0007@x');
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    // eslint-disable-next-line no-control-regex -- checking that none got through
    expect(error?.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('SIP accounts', () => {
  it('adds, lists without the password, gets with it, removes; 0600 and kept across reopen', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const accounts = await openSipAccounts(store);
    const added = await accounts.add({
      address: 'sip:alice@Example.org',
      password: PASSWORD,
      transport: 'tcp',
      outboundProxy: { host: '127.0.0.1', port: 5060 },
      msrpRelay: { host: 'relay.example.org', port: 2855, transport: 'tls' },
      caFile: '/etc/ssl/certs/ca.pem',
    }, new Date('2026-01-01T00:00:00Z'));
    expect(added).toEqual({
      address: 'sip:alice@example.org',
      transport: 'tcp',
      outboundProxy: { host: '127.0.0.1', port: 5060 },
      msrpRelay: { host: 'relay.example.org', port: 2855, transport: 'tls' },
      caFile: '/etc/ssl/certs/ca.pem',
      addedAt: '2026-01-01T00:00:00.000Z',
    });
    await accounts.add({ address: 'sip:bob@example.org', password: 'x', certificateFingerprint: 'AB:'.repeat(31) + 'AB' });
    expect(JSON.stringify(accounts.list())).not.toContain(PASSWORD);
    expect(accounts.list().map((a) => [a.address, a.transport])).toEqual([
      ['sip:alice@example.org', 'tcp'],
      ['sip:bob@example.org', 'tls'],
    ]);
    expect(statSync(join(dir, 'accounts.json')).mode & 0o777).toBe(0o600);
    await store.close();

    const reopened = await openStore(dir);
    const again = await openSipAccounts(reopened);
    expect(again.get('SIP:alice@EXAMPLE.org')?.password).toBe(PASSWORD);
    expect(again.get('sip:bob@example.org')?.certificateFingerprint).toBe('ab'.repeat(32));
    await again.remove('sip:alice@example.org');
    expect(again.list().map((a) => a.address)).toEqual(['sip:bob@example.org']);
    await expect(again.remove('sip:alice@example.org')).rejects.toMatchObject({ name: 'StoreError', code: 'not-found' });
    await reopened.close();
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const accounts = await openSipAccounts(store);
    const invalid = { name: 'StoreError', code: 'invalid' };
    await expect(accounts.add({ address: 'alice@example.org', password: 'x' })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: '' })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: 'x', transport: 'udp' as 'tcp' })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: 'x', outboundProxy: { host: 'proxy', port: 0 } })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: 'x', outboundProxy: { host: 'bad host', port: 5060 } })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: 'x', msrpRelay: { host: 'r', port: 2855, transport: 'udp' as 'tcp' } })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: 'x', caFile: 'relative.pem' })).rejects.toMatchObject(invalid);
    await expect(accounts.add({ address: 'sip:alice@example.org', password: 'x', certificateFingerprint: 'abcd' })).rejects.toMatchObject(invalid);
    expect(() => readFileSync(join(dir, 'accounts.json'))).toThrow();
    await accounts.add({ address: 'sip:alice@example.org', password: 'x' });
    await expect(accounts.add({ address: 'SIP:alice@EXAMPLE.ORG', password: 'y' })).rejects.toMatchObject({ code: 'exists' });
    await store.close();
  });

  it('keeps at most MAX_SIP_ACCOUNTS accounts', async () => {
    const store = await openStore(tempDir());
    const accounts = await openSipAccounts(store);
    for (let i = 0; i < MAX_SIP_ACCOUNTS; i++) await accounts.add({ address: `sip:user${i}@example.org`, password: 'x' });
    await expect(accounts.add({ address: 'sip:one-more@example.org', password: 'x' })).rejects.toMatchObject({ code: 'invalid' });
    await store.close();
  });

  it('a damaged accounts.json is a corrupt error naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.json'), '{"version": 1, "accounts": {"sip:alice@example.org": {"password": "x", "transport": "udp", "addedAt": "2026-01-01T00:00:00.000Z"}}}\n', { mode: 0o600 });
    const store = await openStore(dir);
    await expect(openSipAccounts(store)).rejects.toMatchObject({ name: 'StoreError', code: 'corrupt', file: join(dir, 'accounts.json') });
    await store.close();
  });
});

describe('per-contact settings', () => {
  it('always use OTR is kept per SIP contact across reopen', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.setContactSettings('sip:alice@example.org', 'sip:bob@example.org', { requireEncryption: true });
    await store.setContactSettings('sip:alice@example.org', 'sip:carol@example.org', { requireEncryption: true });
    await store.setContactSettings('sip:alice@example.org', 'sip:carol@example.org', { requireEncryption: false });
    await store.close();
    const reopened = await openStore(dir);
    expect(reopened.contactSettings('sip:alice@example.org', 'sip:bob@example.org')).toEqual({ requireEncryption: true });
    expect(reopened.contactSettings('sip:alice@example.org', 'sip:carol@example.org')).toEqual({ requireEncryption: false });
    // Back to the default: nothing left in the file for carol.
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('carol');
    await reopened.close();
  });

  it('contact settings refuse unsafe names', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await expect(store.setContactSettings('sip:alice@example.org', 'sip:bob\u202e@example.org', { requireEncryption: true })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.setContactSettings('sip:alice\u001b[2J@example.org', 'sip:bob@example.org', { requireEncryption: true })).rejects.toMatchObject({ code: 'invalid' });
    await store.close();
  });

  it('contact settings are bounded per account', async () => {
    const store = await openStore(tempDir());
    for (let i = 0; i < MAX_CONTACTS_PER_ACCOUNT; i++) await store.setContactSettings('a', `c${i}`, { requireEncryption: true });
    await expect(store.setContactSettings('a', 'one-more', { requireEncryption: true })).rejects.toMatchObject({ code: 'invalid' });
    await store.setContactSettings('a', 'c0', { requireEncryption: false });
    await store.setContactSettings('a', 'one-more', { requireEncryption: true });
    await store.close();
  }, 120_000);
});
