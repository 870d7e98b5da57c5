/**
 * History durability: a message is committed before record() returns, so a
 * process killed with SIGKILL right after showing a message (after the call
 * returned) never loses it; and killed at any moment, the database still
 * opens and holds every message reported as shown.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistory, openStore } from '../../src/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { compileStore } from './compile.js';

const CHILD = new URL('./history-child.mjs', import.meta.url).pathname;
const ROUNDS = 6;

let storeEntry = '';
beforeAll(() => {
  storeEntry = compileStore(tempDir('sotto-history-build-'));
}, 60_000);
afterAll(removeTempDirs);

/** Runs the child; in 'loop' mode kills it once `killAfterLines` lines were shown. Returns the indexes shown. */
function runChild(dir: string, first: number, mode: 'once' | 'loop', killAfterLines = 0): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, storeEntry, dir, String(first), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (mode === 'loop' && (stdout.match(/^shown /gm)?.length ?? 0) >= killAfterLines) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited on its own: ${stderr}`));
      // Only whole lines count: the kill may cut the last one.
      else resolve(stdout.split('\n').slice(0, -1).filter((line) => line.startsWith('shown ')).map((line) => Number(line.slice(6))));
    });
  });
}

async function recordedIndexes(dir: string): Promise<number[]> {
  const store = await openStore(dir);
  const history = openHistory(store);
  const found = history
    .peers('sip:alice@example.org')
    .flatMap((peer) => history.messages('sip:alice@example.org', peer.peer, { limit: 1000 }).messages)
    .map((message) => Number(/^message (\d+)/.exec(message.text)?.[1]));
  history.close();
  await store.close();
  return found.sort((a, b) => a - b);
}

describe('history durability', () => {
  it('a message shown right before SIGKILL is in the history', async () => {
    const dir = tempDir();
    const shown = await runChild(dir, 1, 'once');
    expect(shown).toEqual([1]);
    expect(await recordedIndexes(dir)).toEqual([1]);
  });

  it('killed at any moment, the history opens and keeps every message shown', async () => {
    const dir = tempDir();
    const all: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const shown = await runChild(dir, round * 1000, 'loop', 1 + ((round * 7) % 20));
      all.push(...shown);
      const recorded = new Set(await recordedIndexes(dir));
      for (const index of all) expect(recorded.has(index), `message ${index} was shown but is not in the history`).toBe(true);
    }
    expect(all.length).toBeGreaterThanOrEqual(ROUNDS);
  });
});
