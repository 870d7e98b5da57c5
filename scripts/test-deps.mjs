#!/usr/bin/env node
/**
 * The first step of `npm test` (and so of .ci/run): makes sure the Debian
 * packages the tests use as independent references are installed, installing
 * the missing ones with apt-get (through sudo when not root). Where it cannot,
 * it stops at once with one message naming the missing packages and the
 * command that installs them. `npx vitest run FILE` does not run it.
 *
 * This is the only list of those packages; keep README.md's Requirements in step.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The packages, and what the tests use each for. */
const TEST_PACKAGES = [
  'libotr5-bin', // otr_parse, otr_sesskeys: regenerate the recorded vectors
  'libotr5-dev', // libotr: the interop peer and the store's libotr reader
  'python3-potr', // python-potr: the interop peer and the Blink key reader
  'python3-pycryptodome', // the cryptography python-potr uses
  'python3-cryptography', // reads our Blink otr.key
  'openssl', // reads our Blink otr.key
  'pkg-config', // finds libotr for the C programs
  'gcc', // builds the C programs
  'make', // builds the libotr peer
  'kamailio', // the SIP registrar/proxy and MSRP relay of the SIP tests
  'kamailio-tls-modules', // SIP over TLS and the msrps relay in those tests
  'chromium', // the browser the sotto web tests drive (playwright-core, no browser download)
];

/** Whether `command` is an executable file on PATH. */
function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The packages of `names` that dpkg does not report as installed. */
function missingPackages(names) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package}\\t${Status}\\n', ...names], { encoding: 'utf8' });
  const installed = new Set();
  for (const line of (result.stdout ?? '').split('\n')) {
    const [name, status = ''] = line.split('\t');
    if (status.split(' ')[2] === 'installed') installed.add(name);
  }
  return names.filter((name) => !installed.has(name));
}

/** Stops `npm test` with one message; `prefix` is 'sudo ', '', or null for a command to run as root. */
function stop(missing, why, prefix) {
  const install = `${prefix ?? ''}apt-get update && ${prefix ?? ''}apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  process.stderr.write(
    `npm test: missing Debian packages the tests use: ${missing.join(' ')}\n` +
      `${why}; install them${prefix === null ? ' as root' : ''} with\n\n    ${install}\n\nthen run npm test again.\n`,
  );
  process.exit(1);
}

function main() {
  if (!onPath('dpkg-query') || !onPath('apt-get')) {
    stop(TEST_PACKAGES, 'this is not a Debian system (no dpkg-query or apt-get)', '');
  }
  const missing = missingPackages(TEST_PACKAGES);
  if (missing.length === 0) return;

  const root = process.getuid?.() === 0;
  const prefix = root ? '' : 'sudo ';
  let sudo = [];
  if (!root) {
    if (!onPath('sudo')) stop(missing, 'not running as root and sudo is not installed', null);
    // Without a terminal sudo can only go on without a password.
    const passwordless = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
    if (!passwordless && !process.stdin.isTTY) stop(missing, 'not running as root and sudo needs a password, with no terminal to ask for it', prefix);
    sudo = ['sudo', 'DEBIAN_FRONTEND=noninteractive'];
  }
  const apt = (args) => {
    const [command, ...rest] = [...sudo, 'apt-get', ...args];
    const result = spawnSync(command, rest, { stdio: ['inherit', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return result.status === 0;
  };

  process.stderr.write(`npm test: installing the Debian packages the tests use: ${missing.join(' ')}\n`);
  if (!apt(['update', '-q'])) stop(missing, 'apt-get update failed', prefix);
  if (!apt(['install', '-y', '-q', '--no-install-recommends', ...missing])) stop(missing, 'apt-get install failed', prefix);
  const still = missingPackages(missing);
  if (still.length > 0) stop(still, 'apt-get finished but dpkg does not list them as installed', prefix);
}

main();
