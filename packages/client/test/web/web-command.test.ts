/**
 * `sotto web`'s command line: the account from the store or from the same
 * options as `sotto chat --account`, and what it says when it cannot start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { freePort } from '../helpers/free-port.js';
import { memoryIo } from '../helpers/memory-io.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-web-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'password'), 'secret\n', { mode: 0o600 });
  return dir;
}

async function web(args: readonly string[]): Promise<{ status: number; stderr: string; stdout: string }> {
  const io = memoryIo({ SOTTO_NO_BROWSER: '1' });
  const status = await main(['web', '--no-browser', ...args], io.io);
  return { status, stderr: io.stderr(), stdout: io.stdout() };
}

describe('sotto web takes the options of sotto chat --account', () => {
  it('--help lists the SIP account options', async () => {
    const { status, stdout } = await web(['--help']);
    expect(status).toBe(0);
    for (const option of ['--password-file', '--proxy', '--transport', '--msrp-relay', '--msrp-transport', '--ca-file', '--policy', '--versions', '--state-dir', '--port']) expect(stdout).toContain(option);
  });

  it('bad values are refused as sotto chat refuses them (exit status 2)', async () => {
    const dir = stateDir();
    for (const [args, message] of [
      [['--account', 'sip:nobody'], '--account must be a SIP address'],
      [['--account', 'sip:a@b.org', '--transport', 'udp'], '--transport must be tcp or tls'],
      [['--account', 'sip:a@b.org', '--policy', 'sometimes'], '--policy must be never'],
      [['--account', 'sip:a@b.org', '--proxy', 'nowhere'], '--proxy must be HOST:PORT'],
      [['--json'], 'unknown option "--json"'],
      [['--password-file', join(dir, 'password')], '--password-file needs --account'],
    ] as const) {
      const { status, stderr } = await web([...args, '--state-dir', dir]);
      expect(status, args.join(' ')).toBe(2);
      expect(stderr).toContain(message);
    }
  });

  it('without --password-file the account must be in the store', async () => {
    const dir = stateDir();
    const none = await web(['--state-dir', dir]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no SIP account yet');
    const unknown = await web(['--account', 'sip:alice@example.org', '--state-dir', dir]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('sip:alice@example.org is not a SIP account here');
  });

  it('an account that cannot register is told, with exit status 1, and nothing is served', async () => {
    const dir = stateDir();
    const port = await freePort();
    const { status, stderr, stdout } = await web(['--account', 'sip:alice@127.0.0.1', '--password-file', join(dir, 'password'), '--proxy', `127.0.0.1:${String(port)}`, '--state-dir', dir]);
    expect(status).toBe(1);
    expect(stderr).toContain('cannot register sip:alice@127.0.0.1');
    expect(stdout).not.toContain('http://');
    expect(stderr).not.toContain('secret');
  });
});
