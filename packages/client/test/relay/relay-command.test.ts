/**
 * `sotto relay`: warn when --host is not a loopback address (issue 13), and
 * keep --max-frame-bytes within what the echo network's clients accept.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { memoryIo } from '../helpers/memory-io.js';
import { until } from './relay-clients.js';

/** Runs `sotto relay ARGS` until it listens, stops it, and returns its status and stderr. */
async function runRelay(args: readonly string[]): Promise<{ status: number; stderr: string }> {
  const io = memoryIo();
  const status = main(['relay', '--port', '0', ...args], io.io);
  let finished = false;
  void status.then(() => (finished = true));
  await until(() => finished || io.stderr().includes('listening'));
  io.stop();
  return { status: await status, stderr: io.stderr() };
}

describe('warn when --host is not a loopback address', () => {
  it('warns for an address others can reach', async () => {
    const { status, stderr } = await runRelay(['--host', '0.0.0.0']);
    expect(status).toBe(0);
    expect(stderr).toMatch(/warning: .*0\.0\.0\.0 is not a loopback address/);
  });

  it('does not warn for loopback addresses', async () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) {
      const { status, stderr } = await runRelay(['--host', host]);
      expect(status).toBe(0);
      expect(stderr).toContain('listening');
      expect(stderr).not.toContain('warning');
    }
  });
});

describe('the largest frame is bounded by what clients accept', () => {
  it('refuses --max-frame-bytes above 16 MiB with status 2', { timeout: 10_000 }, async () => {
    const io = memoryIo();
    expect(await main(['relay', '--port', '0', '--max-frame-bytes', String(16 * 1024 * 1024 + 1)], io.io)).toBe(2);
    expect(io.stderr()).toContain('--max-frame-bytes');
  });
});
