/**
 * Crash safety: a child process changes the store as fast as it can and is
 * killed with SIGKILL at random moments, many times over. After every kill
 * the directory must open (the dead writer's lock is taken over, its
 * temporary files cleared), every file must parse (old or new version, never
 * torn), and every change the child reported as committed must be there:
 * trust is never lost and no key ever disappears (a regenerated key's
 * predecessor, DSA and OTRv4 alike, is in retired-keys.json), and a saved
 * client profile is there until the identity is regenerated.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/index.js';
import { MAX_FINGERPRINTS_PER_CONTACT } from '../../src/trust.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { compileStore } from './compile.js';

const CHILD = new URL('./writer-child.mjs', import.meta.url).pathname;
/** Time spent killing and checking; the test stops starting rounds after this. */
const BUDGET_MS = 12_000;
const MIN_ROUNDS = 12;
const MAX_ROUNDS = 80;
const STORE_FILES = new Set(['keys.json', 'retired-keys.json', 'instance-tags.json', 'trust.json', 'settings.json', 'lock']);

let storeEntry = '';
let otrEntry = '';
beforeAll(() => {
  const out = tempDir('sotto-crash-build-');
  storeEntry = compileStore(out);
  otrEntry = join(out, 'packages', 'otr', 'src', 'index.js');
}, 60_000);
afterAll(removeTempDirs);

/** Runs the writer until `killAfterMs` after it is ready, SIGKILLs it, and returns its committed lines. */
function runAndKill(dir: string, first: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, storeEntry, otrEntry, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (timer === undefined && stdout.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`));
      // A line is committed only if it arrived whole: the kill may cut the last one.
      else resolve(stdout.split('\n').slice(0, -1).filter((line) => line !== 'ready'));
    });
  });
}

describe('two processes', () => {
  it('refuses a second process while a writer has the directory open, and lets it in once the writer is gone', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [CHILD, storeEntry, otrEntry, dir, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      // Wait until the writer has committed something, so it is certainly holding the directory.
      let output = '';
      await new Promise<void>((resolve) =>
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('\ntrust ')) resolve();
        }),
      );
      const error = await openStore(dir).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'locked', file: dir, message: expect.stringContaining(String(child.pid)) as string });
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const store = await openStore(dir);
    expect(store.contacts('alice').length).toBeGreaterThan(0);
    await store.close();
  });
});

describe('crash safety', () => {
  it('keeps every committed change across SIGKILLs at random points', async () => {
    const dir = tempDir();
    const seed = await openStore(dir);
    await seed.getOrCreateKey('alice');
    await seed.getOrCreateV4Identity('alice');
    await seed.close();

    const trusted = new Map<string, { contact: string; status: 'smp' | 'manual' }>();
    /** Seen fingerprints per contact, oldest first. */
    const seen = new Map<string, string[]>();
    const committedKeys: string[] = [];
    const committedV4Keys: string[] = [];
    /** The DSA fingerprint at the last committed profile save, unless a regenerate was committed after it. */
    let profileFor: string | undefined;
    let profileChecks = 0;
    let next = 1;
    let rounds = 0;
    let commits = 0;
    const started = Date.now();
    while (rounds < MAX_ROUNDS && (rounds < MIN_ROUNDS || Date.now() - started < BUDGET_MS)) {
      rounds++;
      const lines = await runAndKill(dir, next, Math.floor(Math.random() * 120));
      for (const line of lines) {
        const [kind, index, a, b] = line.split(' ');
        commits++;
        next = Math.max(next, Number(index) + 1);
        if (kind === 'trust' && a !== undefined && b !== undefined) trusted.set(b, { contact: a, status: Number(index) % 2 === 0 ? 'smp' : 'manual' });
        if (kind === 'seen' && a !== undefined && b !== undefined) seen.set(a, [...(seen.get(a) ?? []), b]);
        if (kind === 'key' && a !== undefined && b !== undefined) {
          committedKeys.push(a);
          committedV4Keys.push(b);
          profileFor = undefined;
        }
        if (kind === 'profile' && a !== undefined) {
          profileFor = a;
          profileChecks++;
        }
      }
      // Leave room for the write that was cut short: its index may have landed on disk.
      next += 1;

      const store = await openStore(dir);
      try {
        for (const [fingerprint, { contact, status }] of trusted) {
          expect(store.fingerprints('alice', contact).find((record) => record.fingerprint === fingerprint)?.status, `trust ${fingerprint} after round ${rounds}`).toBe(status);
        }
        // A contact keeps at most MAX_FINGERPRINTS_PER_CONTACT records and forgets its
        // oldest unverified ones first: the newest seen ones that fit beside the
        // others (verified ones, and a write cut short that landed) must all be there.
        for (const [contact, fingerprints] of seen) {
          const records = store.fingerprints('alice', contact);
          const others = records.filter((record) => !fingerprints.includes(record.fingerprint)).length;
          const room = Math.max(0, MAX_FINGERPRINTS_PER_CONTACT - others);
          for (const fingerprint of room === 0 ? [] : fingerprints.slice(-room)) {
            expect(records.some((record) => record.fingerprint === fingerprint), `seen ${fingerprint}`).toBe(true);
          }
        }
        const current = store.keys('alice')[0]?.fingerprint;
        const everything = new Set([current, ...store.retiredKeys('alice').map((key) => key.fingerprint)]);
        for (const key of committedKeys) expect(everything.has(key), `key ${key} kept`).toBe(true);
        if (current !== undefined && committedKeys.includes(current)) expect(current).toBe(committedKeys.at(-1));
        const currentV4 = store.keys('alice')[0]?.v4?.fingerprint;
        expect(currentV4, 'an OTRv4 identity').toBeDefined();
        const everythingV4 = new Set([currentV4, ...store.retiredKeys('alice').map((key) => key.v4?.fingerprint)]);
        for (const key of committedV4Keys) expect(everythingV4.has(key), `OTRv4 key ${key} kept`).toBe(true);
        // The profile saved last is there, unless a regenerate cut short landed after it (the DSA key then differs).
        if (profileFor !== undefined && current === profileFor) expect(store.clientProfile('alice', new Date()).status).toBe('ok');
        // The dead writer's temporary files were cleared; only store files remain.
        for (const name of readdirSync(dir)) expect(STORE_FILES.has(name), `unexpected file ${name}`).toBe(true);
      } finally {
        await store.close();
      }
    }
    // The test exercised what it claims: many kills, with changes committed across them.
    expect(rounds).toBeGreaterThanOrEqual(MIN_ROUNDS);
    expect(commits).toBeGreaterThan(rounds);
    expect(trusted.size).toBeGreaterThan(0);
    expect(profileChecks).toBeGreaterThan(0);
  }, 60_000);
});
