/** Trust per peer address: the rules of shared/interop/DRIVER.md, over a real store and over a slow one. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@sotto/store';
import { describe, expect, it } from 'vitest';
import { TrustBook, type TrustStorage } from '../../src/session/trust-book.js';

const P = '127.0.0.1:4000';
const FP1 = 'a'.repeat(40);
const FP2 = 'b'.repeat(40);
const now = new Date('2026-01-01T00:00:00Z');

describe('TrustBook', () => {
  it('changed only when the address has a verified fingerprint and this is not one of them', async () => {
    const store = await openStore(mkdtempSync(join(tmpdir(), 'trust-book-')));
    const book = new TrustBook(store, 'default', (error) => {
      throw error;
    });
    expect(book.seen(P, FP1, now)).toEqual({ changed: false, verified: false, crossVersion: false });
    expect(book.seen(P, FP2, now)).toEqual({ changed: false, verified: false, crossVersion: false });
    book.verify(P, FP1, 'manual', now);
    expect(book.seen(P, FP1, now)).toEqual({ changed: false, verified: true, crossVersion: false });
    expect(book.seen(P, FP2, now)).toEqual({ changed: true, verified: false, crossVersion: false });
    expect(book.seen('127.0.0.1:4001', FP2, now)).toEqual({ changed: false, verified: false, crossVersion: false });
    book.verify(P, FP2, 'smp', now);
    expect(book.seen(P, FP2, now)).toEqual({ changed: false, verified: true, crossVersion: false });
    await book.flush();
    expect(store.fingerprints('default', P).map((record) => [record.fingerprint, record.status])).toEqual([
      [FP1, 'manual'],
      [FP2, 'smp'],
    ]);
    await store.close();
  });

  it('persists: a new book on the reopened store knows the verified fingerprints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-book-'));
    let store = await openStore(dir);
    const book = new TrustBook(store, 'default', () => undefined);
    book.seen(P, FP1, now);
    book.verify(P, FP1, 'smp', now);
    await book.flush();
    await store.close();
    store = await openStore(dir);
    const again = new TrustBook(store, 'default', () => undefined);
    expect(again.isVerified(P, FP1)).toBe(true);
    expect(again.seen(P, FP2, now)).toEqual({ changed: true, verified: false, crossVersion: false });
    await again.flush();
    await store.close();
  });

  it('answers from its own changes while the store is still writing, and reports failed writes', async () => {
    const writes: (() => void)[] = [];
    const failures: unknown[] = [];
    const slow: TrustStorage = {
      fingerprints: () => [],
      recordSeen: () => new Promise((resolve) => writes.push(() => resolve(undefined))),
      setTrust: () => Promise.reject(new Error('disk full')),
    };
    const book = new TrustBook(slow, 'default', (error) => failures.push(error));
    book.seen(P, FP1, now);
    book.verify(P, FP1, 'manual', now);
    expect(book.seen(P, FP1, now)).toEqual({ changed: false, verified: true, crossVersion: false });
    const flushed = book.flush();
    for (const finish of writes) finish();
    await flushed;
    expect(failures).toHaveLength(1);
  });

  it('tracks OTRv4 fingerprints (112 hex) like OTRv3 ones, and says crossVersion when only the other kind is verified', async () => {
    const store = await openStore(mkdtempSync(join(tmpdir(), 'trust-book-')));
    const book = new TrustBook(store, 'default', (error) => {
      throw error;
    });
    const V4A = 'c'.repeat(112);
    const V4B = 'd'.repeat(112);
    book.verify(P, FP1, 'manual', now);
    // A verified v3 key, now a v4 one: changed, across versions.
    expect(book.seen(P, V4A, now)).toEqual({ changed: true, verified: false, crossVersion: true });
    book.verify(P, V4A, 'manual', now);
    expect(book.seen(P, V4A, now)).toEqual({ changed: false, verified: true, crossVersion: false });
    // Both kinds verified: a new v4 key is a plain change, and the verified v3 key stays quiet.
    expect(book.seen(P, V4B, now)).toEqual({ changed: true, verified: false, crossVersion: false });
    expect(book.seen(P, FP1, now)).toEqual({ changed: false, verified: true, crossVersion: false });
    // Only a v4 key verified: a new v3 key is across versions too.
    expect(book.seen('127.0.0.1:4002', V4A, now)).toEqual({ changed: false, verified: false, crossVersion: false });
    book.verify('127.0.0.1:4002', V4A, 'smp', now);
    expect(book.seen('127.0.0.1:4002', FP2, now)).toEqual({ changed: true, verified: false, crossVersion: true });
    await book.flush();
    // The store agrees and keeps the v4 fingerprint's trust.
    expect(store.isVerified('default', P, V4A)).toBe(true);
    expect(await store.recordSeen('default', '127.0.0.1:4002', FP2, now)).toMatchObject({ changed: true, crossVersion: true });
    await store.close();
  });
});
