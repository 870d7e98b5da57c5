/**
 * `sotto chat --json` without --state-dir keeps a fresh identity (with its
 * private key) in a temporary directory; one killed outright cannot remove
 * it, so the next one does, and touches nothing that is not certainly such
 * a directory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleStateDirs } from '../../src/cli/temporary-state.js';
import { startRelay, type Relay } from '../../src/relay/server.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(root, 'packages/client/bin/sotto.js');

let relay: Relay;
const made: string[] = [];
const children: ChildProcess[] = [];
beforeAll(async () => {
  // Bring dist/ up to date (a no-op after `npm ci`, which builds it).
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', join(root, 'packages/client/tsconfig.build.json')], { stdio: 'inherit' });
  relay = await startRelay({ port: 0, log: () => undefined });
}, 120_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await relay.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function base(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-tmpdir-'));
  made.push(dir);
  return dir;
}

/** Starts `sotto chat --json` with TMPDIR=`temp`; resolves once it is ready. */
function driver(temp: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'chat', '--json', '--relay', `${relay.host}:${relay.port}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: temp },
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if ((JSON.parse(line) as { event: string }).event === 'ready') resolve(child);
    });
    child.on('exit', (status) => reject(new Error(`exited with ${status} before ready: ${stderr}`)));
  });
}

const exited = (child: ChildProcess): Promise<unknown> => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

describe('chat --json killed with SIGKILL leaves its temporary state directory', () => {
  it('the next chat --json removes it, and its own goes when it quits', async () => {
    const temp = base();
    const first = await driver(temp);
    const [left] = readdirSync(temp);
    expect(readdirSync(join(temp, left!))).toContain('keys.json');
    first.kill('SIGKILL');
    await exited(first);
    expect(existsSync(join(temp, left!))).toBe(true);

    const second = await driver(temp);
    expect(existsSync(join(temp, left!))).toBe(false);
    expect(left).toMatch(new RegExp(`^sotto-json-${first.pid}-`));
    expect(readdirSync(temp)).toEqual([expect.stringMatching(new RegExp(`^sotto-json-${second.pid}-`))]);
    second.stdin!.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    await exited(second);
    expect(readdirSync(temp)).toEqual([]);
  }, 60_000);

  it('leaves alone what is not certainly a dead driver\'s directory', () => {
    const temp = base();
    const dead = 999_999_999;
    const make = (name: string, files: string[] = ['keys.json', 'lock'], mode = 0o700): string => {
      const dir = join(temp, name);
      mkdirSync(dir);
      for (const file of files) writeFileSync(join(dir, file), '');
      chmodSync(dir, mode);
      return name;
    };
    const stale = make(`sotto-json-${dead}-aB3dE9`, ['keys.json', 'trust.json', 'lock', '.trust.json.tmp-12-0123456789abcdef']);
    const kept = [
      make(`sotto-json-${process.pid}-aaaaaa`), // a live process (this one)
      make(`sotto-json-${dead}-bbbbbb`, ['keys.json', 'notes.txt']), // a file the store never writes
      make(`sotto-json-${dead}-cccccc`, ['keys.json'], 0o755), // not private: not made by mkdtemp for us
      make(`sotto-${dead}-dddddd`), // another name
      make(`sotto-json-${dead}-eeeeee-x`),
      make('unrelated'),
    ];
    mkdirSync(join(temp, `sotto-json-${dead}-ffffff`), { mode: 0o700 });
    mkdirSync(join(temp, `sotto-json-${dead}-ffffff`, 'sub'));
    kept.push(`sotto-json-${dead}-ffffff`); // holds a directory
    symlinkSync(join(temp, 'unrelated'), join(temp, `sotto-json-${dead}-gggggg`));
    kept.push(`sotto-json-${dead}-gggggg`); // a symbolic link

    expect(removeStaleStateDirs(temp, (pid) => pid !== dead)).toEqual([join(temp, stale)]);
    expect(readdirSync(temp).sort()).toEqual(kept.sort());
  });
});
