/** The peers of the interop suite: sotto itself and the references none of us wrote. */
import { execFileSync } from 'node:child_process';
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
};

export const potr: PeerKind = {
  name: 'potr',
  versions: [2],
  command: (args) => ['/usr/bin/python3', [`${root}test/interop/peers/potr/peer.py`, ...args]],
};

/** Builds the libotr peer (needs Debian libotr5-dev, pkg-config and gcc). */
export function buildLibotrPeer(): void {
  execFileSync('make', ['-s', '-C', libotrDir], { stdio: 'inherit' });
  if (!existsSync(`${libotrDir}/build/libotr-peer`)) throw new Error('libotr peer did not build');
}

/** Whether sotto's client has been built (npm ci runs the build). */
export function sottoBuilt(): boolean {
  return existsSync(`${root}packages/client/dist/main.js`) && existsSync(`${root}packages/otr/dist/index.js`);
}
