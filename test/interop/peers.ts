/** The peers of the interop suite: sotto itself and the references none of us wrote. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PeerKind } from './harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const sotto: PeerKind = {
  name: 'sotto',
  versions: [2, 3],
  command: (args) => [process.execPath, [`${root}packages/client/bin/sotto.js`, 'chat', '--json', ...args]],
};

const libotrDir = `${root}test/interop/peers/libotr`;
export const libotr: PeerKind = {
  name: 'libotr',
  versions: [2, 3],
  command: (args) => [`${libotrDir}/build/libotr-peer`, args],
  build: buildLibotrPeer,
};

export const potr: PeerKind = {
  name: 'potr',
  versions: [2],
  command: (args) => ['/usr/bin/python3', [`${root}test/interop/peers/potr/peer.py`, ...args]],
};

/** Builds the libotr peer (needs Debian libotr5-dev, pkg-config, gcc and make); fails with make's output. */
function buildLibotrPeer(): void {
  const result = spawnSync('make', ['-s', '-C', libotrDir], { encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(`${libotrDir}/build/libotr-peer`)) {
    const why = result.error?.message ?? (result.status === 0 ? 'no build/libotr-peer' : `make exited with ${result.signal ?? `code ${String(result.status)}`}`);
    throw new Error(`the libotr peer did not build (make -C ${libotrDir}): ${why}\n${result.stdout}${result.stderr}`);
  }
}
