/** `sotto account`, `sotto history` and `sotto logging`, run in-process. */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHistory, openSipAccounts, openStore, type UserMessage } from '@sotto/store';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { memoryIo, type MemoryIo } from '../helpers/memory-io.js';

const PASSWORD = 'hunter2-but-longer';
const ALICE = 'sip:alice@example.org';
const BOB = 'sip:bob@example.org';

async function run(args: string[], io: MemoryIo = memoryIo()): Promise<{ status: number; stdout: string; stderr: string }> {
  const status = await main(args, io.io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'sotto-sip-cli-'));

function passwordFile(dir: string): string {
  const file = join(dir, 'password.txt');
  writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
  return file;
}

describe('sotto account', () => {
  it('adds with --password-file, lists without the password, removes', async () => {
    const dir = freshDir();
    const state = join(dir, 'state');
    const added = await run(['account', 'add', 'SIP:alice@Example.ORG', '--password-file', passwordFile(dir), '--proxy', '127.0.0.1:5060', '--transport', 'tcp', '--msrp-relay', '127.0.0.1:2855', '--state-dir', state]);
    expect(added).toMatchObject({ status: 0, stderr: '' });
    expect(added.stdout).toContain(`added ${ALICE}: transport tcp, proxy 127.0.0.1:5060, MSRP relay 127.0.0.1:2855 (tcp)`);
    expect(added.stdout).not.toContain(PASSWORD);
    expect(statSync(join(state, 'accounts.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(state, 'accounts.json'), 'utf8')).toContain(PASSWORD);

    const listed = await run(['account', 'list', '--state-dir', state]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${ALICE}: transport tcp`));
    expect(listed.stdout + listed.stderr).not.toContain(PASSWORD);

    expect((await run(['account', 'remove', ALICE, '--state-dir', state])).status).toBe(0);
    expect((await run(['account', 'list', '--state-dir', state])).stdout).toMatch(/^no SIP accounts yet/);
    const again = await run(['account', 'remove', ALICE, '--state-dir', state]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/no account sip:alice@example.org/);
  });

  it('refuses to read a password from a stdin that is not a terminal', async () => {
    const dir = freshDir();
    const io = memoryIo();
    io.stdin.end(`${PASSWORD}\n`);
    const result = await run(['account', 'add', ALICE, '--state-dir', join(dir, 'state')], io);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not a terminal: give the password with --password-file/);
    expect(existsSync(join(dir, 'state', 'accounts.json'))).toBe(false);
  });

  it('asks for the password on a terminal without echoing it', async () => {
    const dir = freshDir();
    const io = memoryIo();
    const raw: boolean[] = [];
    // The terminal's side of a tty.ReadStream: isTTY and setRawMode.
    Object.assign(io.stdin, { isTTY: true, setRawMode: (on: boolean) => void raw.push(on) });
    const result = run(['account', 'add', ALICE, '--state-dir', join(dir, 'state')], io);
    while (!io.stderr().includes('Password for')) await new Promise((resolve) => setImmediate(resolve));
    io.stdin.write(`${PASSWORD}x\u007f\r`);
    const done = await result;
    expect(done.status).toBe(0);
    expect(raw).toEqual([true, false]);
    expect(done.stderr).toBe(`Password for ${ALICE}: \n`);
    expect(done.stdout).not.toContain(PASSWORD);
    const store = await openStore(join(dir, 'state'));
    expect((await openSipAccounts(store)).get(ALICE)?.password).toBe(PASSWORD);
    await store.close();
  });

  it('refuses bad addresses and options with status 2 and writes nothing', async () => {
    const dir = freshDir();
    const file = passwordFile(dir);
    const state = join(dir, 'state');
    for (const args of [
      ['account', 'add', 'alice@example.org', '--password-file', file],
      ['account', 'add', 'sip:alice@example.org:5060', '--password-file', file],
      ['account', 'add', ALICE, '--password-file', file, '--transport', 'udp'],
      ['account', 'add', ALICE, '--password-file', file, '--proxy', 'nohostport'],
      ['account', 'add', ALICE, '--password-file', file, '--msrp-transport', 'tls'],
      ['account', 'add', ALICE, '--password-file', file, '--ca-file', file],
      ['account', 'add', ALICE, '--password-file', file, '--cert-fingerprint', 'abc'],
      ['account', 'add', ALICE, '--password-file', join(dir, 'missing')],
      ['account', 'list', '--proxy', '1.2.3.4:5'],
      ['account', 'frob'],
    ]) {
      const result = await run([...args, '--state-dir', state]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).not.toContain(PASSWORD);
    }
    expect(existsSync(join(state, 'accounts.json'))).toBe(false);
  });
});

function userMessage(text: string, overrides: Partial<UserMessage> = {}): UserMessage {
  return {
    account: ALICE,
    peer: BOB,
    direction: 'out',
    time: new Date('2026-03-04T05:06:07Z'),
    contentType: 'text/plain',
    text,
    delivery: 'delivered',
    encryption: { status: 'encrypted-verified', fingerprint: 'ab'.repeat(20), otrVersion: 3 },
    ...overrides,
  };
}

describe('sotto logging and sotto history', () => {
  it('logging on|off|status switches the store setting', async () => {
    const state = join(freshDir(), 'state');
    expect((await run(['logging', 'status', '--state-dir', state])).stdout).toBe('logging is off: no message is recorded\n');
    expect((await run(['logging', 'on', '--state-dir', state])).stdout).toMatch(/^logging is on: messages are recorded/);
    expect((await run(['logging', 'status', '--state-dir', state])).stdout).toMatch(/^logging is on/);
    expect((await run(['logging', 'off', '--state-dir', state])).stdout).toBe('logging is off: no message is recorded\n');
    expect((await run(['logging', 'maybe', '--state-dir', state])).status).toBe(2);
  });

  it('history show renders each message with its lock, direction, time and delivery; peer text sanitised', async () => {
    const state = join(freshDir(), 'state');
    const store = await openStore(state);
    await store.setLogging(true);
    const history = openHistory(store);
    history.record(userMessage('hello bob'));
    history.record(userMessage('hi \u001b[2Jalice\nsecond line', { direction: 'in', delivery: 'not-requested', encryption: { status: 'encrypted-unverified', fingerprint: 'cd'.repeat(20), otrVersion: 3 } }));
    history.record(userMessage('in the clear', { delivery: 'failed', encryption: { status: 'plaintext' } }));
    history.record(userMessage('100% sure'));
    history.close();
    await store.close();

    const shown = await run(['history', 'show', 'sip:bob@EXAMPLE.org', '--state-dir', state]);
    expect(shown.status).toBe(0);
    expect(shown.stdout.split('\n')).toEqual([
      `-- ${BOB} fingerprint (OTRv3): ABABABAB ABABABAB ABABABAB ABABABAB ABABABAB`,
      '2026-03-04 05:06:07Z [otr verified]   me  -> hello bob  (delivered)',
      `-- ${BOB} fingerprint (OTRv3): CDCDCDCD CDCDCDCD CDCDCDCD CDCDCDCD CDCDCDCD`,
      '2026-03-04 05:06:07Z [otr unverified] them <- hi <U+001B>[2Jalice',
      '    second line',
      '2026-03-04 05:06:07Z [plain]          me  -> in the clear  (NOT delivered)',
      `-- ${BOB} fingerprint (OTRv3): ABABABAB ABABABAB ABABABAB ABABABAB ABABABAB`,
      '2026-03-04 05:06:07Z [otr verified]   me  -> 100% sure  (delivered)',
      '',
    ]);
    const found = await run(['history', 'show', BOB, '--search', '%', '--state-dir', state]);
    expect(found.stdout).toContain('100% sure');
    expect(found.stdout).not.toContain('hello bob');
    const peers = await run(['history', 'peers', '--account', ALICE, '--state-dir', state]);
    expect(peers.stdout).toMatch(/^sip:bob@example.org {2}4 message\(s\)/);
  });

  it('history show says when logging is off', async () => {
    const state = join(freshDir(), 'state');
    const result = await run(['history', 'show', BOB, '--state-dir', state]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('no recorded messages\n(logging is off: nothing new is recorded; turn it on with: sotto logging on)\n');
  });

  it('prints help for account, history and logging', async () => {
    for (const args of [['account', '--help'], ['history', '--help'], ['logging', '-h']]) {
      const result = await run(args);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/^Usage: sotto/);
    }
    expect((await run(['--help'])).stdout).toMatch(/account +add, list or remove your SIP accounts/);
  });
});
