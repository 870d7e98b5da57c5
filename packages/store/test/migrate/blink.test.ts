/**
 * Import from and export to Blink, against the libraries Blink used:
 * python-potr reads our private_key.dsa, python-cryptography (and openssl)
 * read our otr.key, with the same fingerprint.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBlinkPem, exportBlinkPotr, importBlinkPem, importBlinkPotr, openStore, type Store } from '../../src/index.js';
import { BLINK_FIXTURES, requireBlinkReaders, runPython } from '../helpers/external-tools.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

beforeAll(requireBlinkReaders);
afterAll(removeTempDirs);

interface Expected {
  potr: { fingerprint: string; peers: { address: string; fingerprint: string; trust: string }[] };
  pem: { fingerprint: string };
}
const expected = JSON.parse(readFileSync(join(BLINK_FIXTURES, 'expected.json'), 'utf8')) as Expected;
const NOW = new Date('2024-06-01T12:00:00.000Z');

async function withStore<T>(run: (store: Store, dir: string) => Promise<T>): Promise<T> {
  const store = await openStore(tempDir());
  try {
    return await run(store, store.dir);
  } finally {
    await store.close();
  }
}

const POTR_FINGERPRINT = `
import sys, potr.compatcrypto
with open(sys.argv[1], 'rb') as f:
    key, rest = potr.compatcrypto.PK.parsePrivateKey(f.read())
assert rest == b'', rest
print(key.cfingerprint())
`;

const CRYPTOGRAPHY_FINGERPRINT = `
import sys, hashlib, struct
from cryptography.hazmat.primitives import serialization
with open(sys.argv[1], 'rb') as f:
    key = serialization.load_pem_private_key(f.read(), password=None)
n = key.private_numbers()
def mpi(v):
    b = v.to_bytes((v.bit_length() + 7) // 8, 'big')
    return struct.pack('!I', len(b)) + b
pp = n.public_numbers.parameter_numbers
print(hashlib.sha1(mpi(pp.p) + mpi(pp.q) + mpi(pp.g) + mpi(n.public_numbers.y)).hexdigest())
`;

describe('Blink, potr era', () => {
  it('imports private_key.dsa with potr\'s fingerprint and trusted_peers with their trust', async () => {
    await withStore(async (store) => {
      await importBlinkPotr(store, {
        account: 'alice@sip2sip.info',
        privateKeyFile: join(BLINK_FIXTURES, 'potr/private_key.dsa'),
        trustedPeersFile: join(BLINK_FIXTURES, 'potr/trusted_peers'),
        now: NOW,
      });
      expect(store.keys('alice@sip2sip.info')[0]?.fingerprint).toBe(expected.potr.fingerprint);
      for (const peer of expected.potr.peers) {
        expect(store.fingerprints('alice@sip2sip.info', peer.address).map((r) => [r.fingerprint, r.status])).toEqual([
          [peer.fingerprint, peer.trust === 'verified' ? 'manual' : 'unverified'],
        ]);
      }
    });
  });

  it('rejects a malformed key file without changing anything', async () => {
    await withStore(async (store) => {
      const bad = join(tempDir(), 'private_key.dsa');
      const bytes = readFileSync(join(BLINK_FIXTURES, 'potr/private_key.dsa'));
      writeFileSync(bad, bytes.subarray(0, 100));
      await expect(importBlinkPotr(store, { account: 'a', privateKeyFile: bad, trustedPeersFile: join(BLINK_FIXTURES, 'potr/trusted_peers') })).rejects.toMatchObject({
        code: 'bad-import',
        file: bad,
      });
      expect(store.accounts()).toEqual([]);
    });
  });

  it('exports private_key.dsa that python-potr reads with the same fingerprint, and trusted_peers Blink can load', async () => {
    await withStore(async (store) => {
      await store.getOrCreateKey('alice');
      await store.setTrust('alice', 'bob@sip2sip.info', 'ab'.repeat(20), 'smp', NOW);
      await store.recordSeen('alice', 'carol@example.com', 'cd'.repeat(20), NOW);
      const out = join(tempDir(), 'blink');
      const report = await exportBlinkPotr(store, out, { account: 'alice' });
      expect(report.files.map((file) => statSync(file).mode & 0o777)).toEqual([0o600, 0o600]);
      expect(runPython(POTR_FINGERPRINT, join(out, 'private_key.dsa')).trim()).toBe(store.keys('alice')[0]?.fingerprint);
      // Blink's loadTrusts: line[:-1].split('\t') into exactly three values.
      const trusts = runPython(
        "import sys\nfor line in open(sys.argv[1]):\n    ctx, fpr, trust = line[:-1].split('\\t')\n    print(ctx, fpr.replace(' ', '').lower(), trust or '-')",
        join(out, 'trusted_peers'),
      );
      expect(trusts.trim().split('\n').sort()).toEqual([`bob@sip2sip.info ${'ab'.repeat(20)} verified`, `carol@example.com ${'cd'.repeat(20)} -`]);
    });
  });
});

describe('Blink since 2016: otr.key', () => {
  it('imports OpenSSL\'s DSA PRIVATE KEY form with python-cryptography\'s fingerprint', async () => {
    await withStore(async (store) => {
      await importBlinkPem(store, { account: 'alice', keyFile: join(BLINK_FIXTURES, 'pem/otr-traditional.key') });
      expect(store.keys('alice')[0]?.fingerprint).toBe(expected.pem.fingerprint);
    });
  });

  it('imports PKCS#8 otr.key with python-cryptography\'s fingerprint', async () => {
    await withStore(async (store) => {
      await importBlinkPem(store, { account: 'alice', keyFile: join(BLINK_FIXTURES, 'pem/otr.key') });
      expect(store.keys('alice')[0]?.fingerprint).toBe(expected.pem.fingerprint);
    });
  });

  it('exports otr.key that python-cryptography loads with the same fingerprint', async () => {
    await withStore(async (store) => {
      await store.getOrCreateKey('alice');
      const out = join(tempDir(), 'blink');
      await exportBlinkPem(store, out, { account: 'alice' });
      expect(statSync(join(out, 'otr.key')).mode & 0o777).toBe(0o600);
      expect(runPython(CRYPTOGRAPHY_FINGERPRINT, join(out, 'otr.key')).trim()).toBe(store.keys('alice')[0]?.fingerprint);
    });
  });

  it('exports otr.key from which openssl derives our public key', async () => {
    await withStore(async (store) => {
      const key = await store.getOrCreateKey('alice');
      const out = join(tempDir(), 'blink');
      await exportBlinkPem(store, out, { account: 'alice' });
      const text = execFileSync('openssl', ['pkey', '-in', join(out, 'otr.key'), '-noout', '-text'], { encoding: 'utf8' });
      // openssl prints each number as colon-separated hex under its label.
      const field = (label: string): string =>
        (new RegExp(`^${label}:\\s*\\n((?:\\s+[0-9a-f:]+\\n)+)`, 'm').exec(text)?.[1] ?? '').replace(/[\s:]/g, '').replace(/^(00)+/, '');
      const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/^(00)+/, '');
      expect([field('pub'), field('P'), field('Q'), field('G')]).toEqual([key.publicKey.y, key.publicKey.p, key.publicKey.q, key.publicKey.g].map(hex));
    });
  });

  it('refuses to export an account without a key', async () => {
    await withStore(async (store) => {
      await expect(exportBlinkPem(store, tempDir(), { account: 'nobody' })).rejects.toMatchObject({ code: 'not-found' });
    });
  });
});
