/**
 * The harness itself: a peer that cannot start (a missing library, a program
 * that did not build) must fail its suite at once with what it wrote to
 * stderr, never by a timeout in each test.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Driver, peerStarts, startDriver, type PeerKind } from './harness.js';

/** A peer kind whose process runs `script` with node, ignoring the driver arguments. */
function nodePeer(name: string, script: string, build?: () => void): PeerKind {
  return { name, versions: [3], command: () => [process.execPath, ['-e', script]], ...(build === undefined ? {} : { build }) };
}

const missingModule = nodePeer('exits-at-once', "process.stderr.write('Traceback: ModuleNotFoundError: No module named potr\\n'); process.exit(3)");

describe('a peer that cannot start fails its suite at once with its stderr', () => {
  // Far below the 60 s a peer gets to become ready: only a failure that comes at once passes.
  const BOUND = 15_000;

  it('a peer that exits before it is ready: startDriver rejects with its exit and stderr', async () => {
    await expect(startDriver(missingModule, 'B', '127.0.0.1:1')).rejects.toThrow(/no ready: it exited with code 3[\s\S]*No module named potr/);
  }, BOUND);

  it('a command that cannot be run: startDriver rejects saying why', async () => {
    const absent: PeerKind = { name: 'absent', versions: [3], command: () => ['/nonexistent/libotr-peer', []] };
    await expect(startDriver(absent, 'A', '127.0.0.1:1')).rejects.toThrow(/no ready: it could not be started: spawn \/nonexistent\/libotr-peer ENOENT/);
  }, BOUND);

  it('the suite check rejects with the stderr, and again for every later suite without starting the peer again', async () => {
    await expect(peerStarts(missingModule)).rejects.toThrow(/No module named potr/);
    await expect(peerStarts(missingModule)).rejects.toThrow(/No module named potr/);
  }, BOUND);

  it('a peer that does not build fails the suite check with the build output, before it is started', async () => {
    const unbuilt = nodePeer('unbuilt', 'process.exit(0)', () => {
      throw new Error('the libotr peer did not build: peer.c:22:10: fatal error: libotr/proto.h: No such file or directory');
    });
    await expect(peerStarts(unbuilt)).rejects.toThrow(/libotr\/proto\.h: No such file or directory/);
  }, BOUND);

  it('a peer that starts but is never ready fails the suite check with its stderr once the check gives up', async () => {
    const silent = nodePeer('never-ready', "process.stderr.write('waiting for a key\\n'); process.stdin.on('end', () => process.exit(0)).resume()");
    await expect(peerStarts(silent, 1000)).rejects.toThrow(/no ready within 1000 ms[\s\S]*waiting for a key/);
  }, BOUND);

  it('a peer that dies during a scenario fails the next wait at once with its stderr', async () => {
    const child = spawn(process.execPath, ['-e', "console.log(JSON.stringify({ event: 'ready', address: 'x', fingerprint: 'y' })); process.stderr.write('Segmentation fault\\n'); process.exit(139)"], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const driver = new Driver('B (libotr)', child);
    await driver.waitFor((event) => event.event === 'ready', 'ready');
    await expect(driver.waitFor((event) => event.event === 'secure', 'secure', 60_000)).rejects.toThrow(/no secure: it exited with code 139[\s\S]*Segmentation fault/);
  }, BOUND);
});
