/**
 * Damaged files: every store file, damaged in several ways, must give a
 * 'corrupt' error naming that file, and the file must be left byte for byte
 * as it was (never repaired, replaced or deleted).
 */
import { readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const FP = 'ab'.repeat(20);
const NOW = new Date('2024-05-01T00:00:00.000Z');
let good: Record<string, string>;

beforeAll(async () => {
  const dir = tempDir();
  const store = await openStore(dir);
  await store.getOrCreateKey('alice');
  await store.regenerateKey('alice');
  await store.getOrCreateInstanceTag('alice');
  await store.setTrust('alice', 'bob', FP, 'smp', NOW);
  await store.setContactSettings('alice', 'bob', { requireEncryption: true });
  await store.close();
  good = Object.fromEntries(['keys.json', 'retired-keys.json', 'instance-tags.json', 'trust.json', 'settings.json'].map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
});

/** A directory holding the good files with `name` replaced by `content`. */
function dirWith(name: string, content: string | Buffer): string {
  const dir = tempDir();
  for (const [file, text] of Object.entries(good)) writeFileSync(join(dir, file), file === name ? content : text, { mode: 0o600 });
  chmodSync(join(dir, name), 0o600);
  return dir;
}

async function expectCorrupt(name: string, content: string | Buffer, message?: RegExp): Promise<void> {
  const dir = dirWith(name, content);
  const path = join(dir, name);
  const error = await openStore(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'corrupt', file: path });
  expect((error as Error).message).toContain(path);
  if (message !== undefined) expect((error as Error).message).toMatch(message);
  expect(readFileSync(path)).toEqual(Buffer.from(content));
  // The failed open released its lock: nothing else was left behind.
  expect(existsSync(join(dir, 'lock'))).toBe(false);
}

const files = ['keys.json', 'retired-keys.json', 'instance-tags.json', 'trust.json', 'settings.json'];

describe.each(files)('%s', (name) => {
  it('truncated', async () => {
    await expectCorrupt(name, (good[name] ?? '').slice(0, 40), /not valid JSON/);
  });
  it('empty', async () => {
    await expectCorrupt(name, '');
  });
  it('not UTF-8', async () => {
    await expectCorrupt(name, Buffer.from([0xff, 0xfe, 0x7b, 0x7d]));
  });
  it('without a version', async () => {
    const body = JSON.parse(good[name] ?? '{}') as Record<string, unknown>;
    delete body.version;
    await expectCorrupt(name, JSON.stringify(body), /version/);
  });
  it('from a newer format version', async () => {
    const body = JSON.parse(good[name] ?? '{}') as Record<string, unknown>;
    // Version 2 (OTRv4) is read for keys, retired keys and trust; 3 is newer than any file this sotto reads.
    body.version = 3;
    await expectCorrupt(name, JSON.stringify(body), /newer sotto/);
  });
  it('a JSON array instead of an object', async () => {
    await expectCorrupt(name, '[]');
  });
});

describe('field damage', () => {
  it('a key whose x does not match y', async () => {
    const body = JSON.parse(good['keys.json'] ?? '') as { accounts: { alice: { x: string } } };
    const x = body.accounts.alice.x;
    body.accounts.alice.x = x.slice(0, -1) + (x.endsWith('0') ? '1' : '0');
    await expectCorrupt('keys.json', JSON.stringify(body), /not a consistent DSA key/);
  });

  it('a key whose recorded fingerprint differs', async () => {
    const body = JSON.parse(good['keys.json'] ?? '') as { accounts: { alice: { fingerprint: string } } };
    body.accounts.alice.fingerprint = '00'.repeat(20);
    await expectCorrupt('keys.json', JSON.stringify(body), /recorded fingerprint/);
  });

  it('a key with non-hex parts', async () => {
    const body = JSON.parse(good['keys.json'] ?? '') as { accounts: { alice: { p: string } } };
    body.accounts.alice.p = 'zz';
    await expectCorrupt('keys.json', JSON.stringify(body), /alice.*\.p is malformed/);
  });

  it('a reserved instance tag', async () => {
    await expectCorrupt('instance-tags.json', JSON.stringify({ version: 1, accounts: { alice: 5 } }));
  });

  it('an unknown trust status', async () => {
    await expectCorrupt('trust.json', good['trust.json']?.replace('"status": "smp"', '"status": "trusted"') ?? '');
  });

  it('a malformed fingerprint', async () => {
    await expectCorrupt('trust.json', good['trust.json']?.replace(FP, FP.toUpperCase()) ?? '', /40 lower-case hex/);
  });

  it('a bad date', async () => {
    await expectCorrupt('trust.json', good['trust.json']?.replace(/"firstSeen": "[^"]*"/, '"firstSeen": "yesterday"') ?? '', /firstSeen/);
  });

  it('a setting that is not a boolean', async () => {
    await expectCorrupt('settings.json', good['settings.json']?.replace('"requireEncryption": true', '"requireEncryption": "yes"') ?? '');
  });
});

describe('what is not corruption', () => {
  it('the undamaged files open, and a directory without files is a fresh store', async () => {
    const store = await openStore(dirWith('keys.json', good['keys.json'] ?? ''));
    expect(store.isVerified('alice', 'bob', FP)).toBe(true);
    expect(store.retiredKeys('alice')).toHaveLength(1);
    await store.close();
  });
});
