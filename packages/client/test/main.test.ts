/** The `sotto` command line run in-process: help, exit statuses, keys, trust and relay. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@sotto/store';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { memoryIo } from './helpers/memory-io.js';
import { InProcessDriver } from './helpers/in-process-driver.js';
import { startRelay } from '../src/relay/server.js';

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  const status = await main(args, io.io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'sotto-main-'));

describe('sotto', () => {
  it('prints help for every command and subcommand with status 0', async () => {
    for (const args of [['--help'], ['help'], ['chat', '--help'], ['relay', '--help'], ['keys', '--help'], ['keys', 'show', '--help'], ['trust', '--help'], ['trust', 'verify', '-h']]) {
      const result = await run(args);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/^Usage: sotto/);
      expect(result.stderr).toBe('');
    }
  });

  it('exits 2 with one line on stderr for a bad command line, never a stack trace', async () => {
    const cases = [
      [],
      ['fly'],
      ['chat', '--max-message-size', '1'],
      ['chat', '--max-message-size', '63'],
      ['chat', '--versions', ''],
      ['chat', '--versions', '5'],
      ['chat', '--versions', '2,,3'],
      ['chat', '--policy', 'never'],
      ['chat', '--relay', 'localhost'],
      ['chat', '--json', '--bogus'],
      ['relay', '--port', 'x'],
      ['keys'],
      ['keys', 'burn'],
      ['keys', 'import', '--format', 'pgp'],
      ['keys', 'show', '--overwrite'],
      ['trust', 'verify', '127.0.0.1:1'],
      ['trust', 'frob'],
    ];
    for (const args of cases) {
      const result = await run(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('says clearly that the relay is down (status 1)', async () => {
    const relay = await startRelay({ port: 0, log: () => undefined });
    const address = `${relay.host}:${relay.port}`;
    await relay.close();
    const result = await run(['chat', '--json', '--relay', address]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`sotto: cannot reach the relay at ${address}: nothing is listening there. Start one with "sotto relay", or leave out --relay to use (or start) the local one.\n`);
  });

  it('keys show gives both fingerprints chat uses (OTRv3 and OTRv4); regenerate replaces it', async () => {
    const dir = freshDir();
    const shown = await run(['keys', 'show', '--state-dir', dir]);
    expect(shown.status).toBe(0);
    const human = /default: ((?:[0-9A-F]{8} ){4}[0-9A-F]{8})/.exec(shown.stdout)?.[1] ?? '';
    expect(human).not.toBe('');
    // Two lines of seven groups of eight.
    const v4Lines = /^ +OTRv4: ((?:[0-9A-F]{8} ){6}[0-9A-F]{8})\n +((?:[0-9A-F]{8} ){6}[0-9A-F]{8}) \(since/m.exec(shown.stdout);
    const humanV4 = v4Lines === null ? '' : `${v4Lines[1]} ${v4Lines[2]}`;
    expect(humanV4).not.toBe('');
    const relay = await startRelay({ port: 0, log: () => undefined });
    const driver = await InProcessDriver.start(['--relay', `${relay.host}:${relay.port}`, '--state-dir', dir]);
    // `fingerprint` is the highest version's (4); `fingerprints` has both.
    expect(driver.fingerprint).toBe(humanV4.replaceAll(' ', '').toLowerCase());
    expect(driver.events()[0]).toMatchObject({ fingerprints: { '3': human.replaceAll(' ', '').toLowerCase(), '4': driver.fingerprint } });
    expect(await driver.quit()).toBe(0);
    // The chat made its OTRv4 client profile and saved it for the next run.
    const store = await openStore(dir);
    expect(store.clientProfile('default', new Date()).status).toBe('ok');
    await store.close();
    await relay.close();
    const regenerated = await run(['keys', 'regenerate', '--state-dir', dir]);
    expect(regenerated.status).toBe(0);
    expect(regenerated.stdout).toContain(human);
    const after = (await run(['keys', 'show', '--state-dir', dir])).stdout;
    expect(after).not.toMatch(new RegExp(`^default: ${human}`, 'm'));
    expect(after).toMatch(new RegExp(`^retired default: ${human}`, 'm'));
  });

  it('trust verify, list and forget on a peer address; a malformed fingerprint is a usage error', async () => {
    const dir = freshDir();
    const fingerprint = '0123456789ABCDEF0123456789ABCDEF01234567';
    const grouped = (fingerprint.match(/.{8}/g) ?? []).join(' ');
    expect((await run(['trust', 'verify', '127.0.0.1:5000', ...grouped.split(' '), '--state-dir', dir])).status).toBe(0);
    const listed = await run(['trust', 'list', '--state-dir', dir]);
    expect(listed.stdout).toContain('127.0.0.1:5000');
    expect(listed.stdout).toContain(grouped);
    expect(listed.stdout).toMatch(/verified/);
    const store = await openStore(dir);
    expect(store.isVerified('default', '127.0.0.1:5000', fingerprint.toLowerCase())).toBe(true);
    await store.close();
    expect((await run(['trust', 'verify', '127.0.0.1:5000', 'abc', '--state-dir', dir])).status).toBe(2);
    expect((await run(['trust', 'forget', '127.0.0.1:5000', '--state-dir', dir])).status).toBe(0);
    const forgotten = await run(['trust', 'forget', '127.0.0.1:5000', '--state-dir', dir]);
    expect(forgotten.status).toBe(1);
    expect(forgotten.stderr).toMatch(/no fingerprints/);
  });

  it('refuses a state directory another sotto holds, naming it', async () => {
    const dir = freshDir();
    const store = await openStore(dir);
    const result = await run(['trust', 'list', '--state-dir', dir]);
    await store.close();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(dir);
  });

  it('runs a relay until stopped', async () => {
    const io = memoryIo();
    const running = main(['relay', '--port', '0'], io.io);
    while (!io.stderr().includes('listening on')) await new Promise((resolve) => setTimeout(resolve, 10));
    io.stop();
    expect(await running).toBe(0);
    expect(io.stderr()).toMatch(/relay: listening on 127\.0\.0\.1:\d+/);
  });
});
