/** The functions behind `sotto keys ...` and `sotto trust ...`: data, text and errors. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayFingerprint, humanFingerprint, keysExport, keysImport, keysRegenerate, keysShow, openStore, trustForget, trustList, trustVerify, type Store } from '../../src/index.js';
import { BLINK_FIXTURES, LIBOTR_FIXTURES } from '../helpers/external-tools.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const NOW = new Date('2024-06-01T12:00:00.000Z');
const FP = '0123456789abcdef0123456789abcdef01234567';

async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(tempDir());
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** The lines of a text holding an OTRv4 fingerprint's groups of eight upper-case hex digits, and how many groups each has. */
function groupsPerLine(text: string): number[] {
  return text
    .split('\n')
    .map((line) => line.match(/\b[0-9A-F]{8}\b/g)?.length ?? 0)
    .filter((count) => count > 0);
}

describe('v4 fingerprints are shown as two lines of seven groups of eight', () => {
  const V4 = '0123456789abcdef'.repeat(7);

  it('displayFingerprint: two lines of seven groups, the second indented; v3 stays on one line', () => {
    const lines = displayFingerprint(V4, 9).split('\n');
    expect(lines).toEqual([V4.toUpperCase().slice(0, 56).match(/.{8}/g)?.join(' '), `         ${V4.toUpperCase().slice(56).match(/.{8}/g)?.join(' ')}`]);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(displayFingerprint(FP, 9)).toBe(humanFingerprint(FP));
  });

  it('keys show and keys regenerate print the OTRv4 fingerprint on two lines of seven groups', async () => {
    await withStore(async (store) => {
      await store.getOrCreateKey('alice');
      await keysRegenerate(store, 'alice');
      const regenerated = await keysRegenerate(store, 'alice');
      // new v3 (5), new v4 (7 + 7), old v3 (5) with old v4 (7 + 7) on the lines that follow.
      expect(groupsPerLine(regenerated.text)).toEqual([5, 7, 7, 5, 7, 7]);
      // The key, then the two retired ones (the first without OTRv4 keys).
      expect(groupsPerLine(keysShow(store, 'alice').text)).toEqual([5, 7, 7, 5, 5, 7, 7]);
      expect(keysShow(store, 'alice').text.split('\n').every((line) => line.length <= 80 || !/[0-9A-F]{8}/.test(line.slice(80)))).toBe(true);
    });
  });

  it('trust list and trust verify print an OTRv4 fingerprint on two lines of seven groups', async () => {
    await withStore(async (store) => {
      const verified = await trustVerify(store, 'alice', 'bob', V4, NOW);
      expect(groupsPerLine(verified.text)).toEqual([7, 7]);
      await store.recordSeen('alice', 'bob', FP, NOW);
      expect(groupsPerLine(trustList(store, 'alice').text)).toEqual([7, 7, 5]);
    });
  });
});

describe('keys commands', () => {
  it('show lists fingerprints in libotr\'s human form, with instance tags and retired keys', async () => {
    await withStore(async (store) => {
      expect(keysShow(store).text).toMatch(/no keys yet/);
      await expect(Promise.resolve().then(() => keysShow(store, 'alice'))).rejects.toMatchObject({ code: 'not-found' });
      await store.getOrCreateKey('alice');
      const tag = await store.getOrCreateInstanceTag('alice');
      const regenerated = await keysRegenerate(store, 'alice');
      expect(regenerated.old).toBeDefined();
      expect(regenerated.text).toContain(humanFingerprint(regenerated.fingerprint));
      expect(regenerated.text).toContain('retired-keys.json');
      const shown = keysShow(store, 'alice');
      expect(shown.keys).toEqual([
        {
          account: 'alice',
          fingerprint: regenerated.fingerprint,
          createdAt: expect.any(String) as string,
          v4: { fingerprint: regenerated.v4Fingerprint, createdAt: expect.any(String) as string, forgingSecretKept: false },
          instanceTag: tag,
        },
      ]);
      expect(shown.retired).toMatchObject([{ fingerprint: regenerated.old, reason: 'regenerated' }]);
      expect(shown.text).toMatch(
        new RegExp(
          `^alice: ${humanFingerprint(regenerated.fingerprint)} \\(since .*instance tag ${tag.toString(16).padStart(8, '0')}\\)\\n  OTRv4: ${displayFingerprint(regenerated.v4Fingerprint, 9)} \\(since .*\\)\\nretired alice: ${humanFingerprint(regenerated.old ?? '')}`,
        ),
      );
    });
  });

  it('import reads a Pidgin directory and a Blink key; export writes where asked', async () => {
    await withStore(async (store) => {
      const pidgin = await keysImport(store, { format: 'libotr', dir: join(LIBOTR_FIXTURES, 'pidgin'), accountName: 'alice@example.org', account: 'alice' });
      expect(pidgin.keys).toMatchObject([{ account: 'alice', result: 'added' }]);
      expect(pidgin.text).toMatch(/key of alice: .* \(added\)\ninstance tag of alice: [0-9a-f]{8} \(added\)\nfingerprints: 3 added, 0 newly verified, 0 already known/);
      await expect(keysImport(store, { format: 'blink-potr', keyFile: join(BLINK_FIXTURES, 'potr/private_key.dsa') })).rejects.toMatchObject({ code: 'invalid' });
      await expect(keysImport(store, { format: 'blink-potr', account: 'alice', keyFile: join(BLINK_FIXTURES, 'potr/private_key.dsa') })).rejects.toMatchObject({ code: 'exists' });
      const blink = await keysImport(store, { format: 'blink-potr', account: 'alice', replace: true, keyFile: join(BLINK_FIXTURES, 'potr/private_key.dsa') });
      expect(blink.keys).toMatchObject([{ result: 'replaced' }]);
      const out = join(tempDir(), 'out');
      const exported = await keysExport(store, { format: 'blink-pem', dir: out, account: 'alice' });
      expect(exported.files).toEqual([join(out, 'otr.key')]);
      expect(exported.text).toMatch(/keep them private/);
      await expect(keysExport(store, { format: 'blink-pem', dir: out, account: 'alice' })).rejects.toMatchObject({ code: 'exists' });
      await expect(keysExport(store, { format: 'blink-potr', dir: out })).rejects.toMatchObject({ code: 'invalid' });
    });
  });
});

describe('trust commands', () => {
  it('verify, list and forget', async () => {
    await withStore(async (store) => {
      expect(trustList(store, 'alice').text).toBe('alice has no fingerprints recorded');
      expect(() => trustList(store, 'alice', 'bob')).toThrow(expect.objectContaining({ code: 'not-found' }) as Error);
      const verified = await trustVerify(store, 'alice', 'bob', humanFingerprint(FP), NOW);
      expect(verified).toMatchObject({ fingerprint: FP, seenBefore: false });
      expect(verified.text).toMatch(/is now verified \(not seen in a conversation yet/);
      await store.recordSeen('alice', 'bob', 'ff'.repeat(20), NOW);
      const listed = trustList(store, 'alice');
      expect(listed.contacts.map((c) => [c.contact, c.fingerprints.map((f) => f.status)])).toEqual([['bob', ['manual', 'unverified']]]);
      expect(listed.text).toBe(
        [
          'bob',
          `  ${humanFingerprint(FP)}  verified (by hand)  first seen ${NOW.toISOString()}, last seen ${NOW.toISOString()}`,
          `  ${humanFingerprint('ff'.repeat(20))}  unverified  first seen ${NOW.toISOString()}, last seen ${NOW.toISOString()}`,
        ].join('\n'),
      );
      expect((await trustVerify(store, 'alice', 'bob', FP, NOW)).text).toMatch(/was already verified/);
      await expect(trustVerify(store, 'alice', 'bob', 'not a fingerprint', NOW)).rejects.toMatchObject({ code: 'invalid' });
      const forgotten = await trustForget(store, 'alice', 'bob', FP.toUpperCase());
      expect(forgotten).toEqual({ removed: [FP], text: 'bob: forgot 1 fingerprint(s), 1 of them verified' });
      expect((await trustForget(store, 'alice', 'bob')).removed).toEqual(['ff'.repeat(20)]);
      await expect(trustForget(store, 'alice', 'bob')).rejects.toMatchObject({ code: 'not-found' });
    });
  });
});
