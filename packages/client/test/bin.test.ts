/**
 * The installed command, bin/sotto.js on the built dist/, as the interop
 * harness runs it: exit statuses, stdout holding nothing but JSON lines, and
 * a clean exit on quit, end of input and SIGTERM.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '@sotto/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../src/relay/server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'packages/client/bin/sotto.js');

let relay: Relay;
beforeAll(async () => {
  // Bring dist/ up to date (a no-op after `npm ci`, which builds it).
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', join(root, 'packages/client/tsconfig.build.json')], { stdio: 'inherit' });
  relay = await startRelay({ port: 0, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await relay.close();
});

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function sotto(args: string[], input?: (child: ReturnType<typeof spawn>, lines: string[]) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      lines.push(line);
      input?.(child, lines);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status, signal) => resolve({ status, signal, stdout, stderr }));
    if (input === undefined) child.stdin.end();
  });
}

const relayArgs = (): string[] => ['--relay', `${relay.host}:${relay.port}`];

describe('bin/sotto.js', () => {
  it('prints help and exits 0', async () => {
    const result = await sotto(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sotto <command>/);
  });

  it('exits 2 on bad flags with one line on stderr and nothing on stdout', async () => {
    for (const args of [['chat', '--json', '--max-message-size', '10'], ['chat', '--json', '--versions', '1'], ['chat', '--json', '--local-port', 'x']]) {
      const result = await sotto(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('--json: ready, events for bad lines, exit 0 on quit; stdout only JSON', async () => {
    const result = await sotto(['chat', '--json', ...relayArgs()], (child, lines) => {
      if (lines.length === 1) {
        child.stdin?.write('garbage\n{"cmd":"end","to":"127.0.0.1:9"}\n');
      } else if (lines.length === 3) {
        child.stdin?.write('{"cmd":"quit"}\n');
      }
    });
    expect(result.status).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string });
    expect(events.map((event) => event.event)).toEqual(['ready', 'error', 'error']);
    expect(events[0]).toMatchObject({
      address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown,
      fingerprint: expect.stringMatching(/^[0-9a-f]{112}$/) as unknown,
      fingerprints: { '3': expect.stringMatching(/^[0-9a-f]{40}$/) as unknown, '4': expect.stringMatching(/^[0-9a-f]{112}$/) as unknown },
    });
  });

  it('--json: end of stdin is quit', async () => {
    const result = await sotto(['chat', '--json', ...relayArgs()], (child) => child.stdin?.end());
    expect(result.status).toBe(0);
  });

  it('SIGTERM ends the chat cleanly and releases the state directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotto-bin-'));
    const result = await sotto(['chat', '--json', ...relayArgs(), '--state-dir', dir], (child) => child.kill('SIGTERM'));
    expect(result.status).toBe(0);
    const store = await openStore(dir);
    await store.close();
  });
});
