/**
 * The independent readers our exports are checked against: libotr itself
 * (through test/fixtures/libotr/read-libotr.c, built here with gcc and
 * libotr5-dev), python-potr and python-cryptography (the
 * libraries Blink used), and the openssl command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The libotr fixtures directory. */
export const LIBOTR_FIXTURES = fileURLToPath(new URL('../fixtures/libotr/', import.meta.url));
/** The Blink fixtures directory. */
export const BLINK_FIXTURES = fileURLToPath(new URL('../fixtures/blink/', import.meta.url));

function succeeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

/** Compiles one of the fixture C programs into `buildDir`; returns the executable's path. */
export function buildLibotrProgram(name: 'read-libotr' | 'write-libotr', buildDir: string): string {
  const output = join(buildDir, name);
  const flags = execFileSync('pkg-config', ['--cflags', '--libs', 'libotr'], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-O1', '-o', output, join(LIBOTR_FIXTURES, `${name}.c`), ...flags, '-lgcrypt']);
  return output;
}

/** What libotr understood from the files in `dir`, as read-libotr's sorted lines split on tabs. */
export function readWithLibotr(reader: string, dir: string): string[][] {
  const out = execFileSync(reader, [dir], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .sort()
    .map((line) => line.split('\t'));
}

/** The python3 that has python-potr (Debian's). */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** A python module can be imported. */
export function hasPythonModule(name: string): boolean {
  return succeeds(PYTHON, ['-c', `import ${name}`]);
}

/** Runs a python snippet with arguments; returns its stdout. */
export function runPython(code: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8' });
}

/** The openssl command is available. */
export const hasOpenssl = succeeds('openssl', ['version']);

/**
 * Throws one error naming the Debian packages of the Blink readers that are
 * missing (`npm test` installs them), so their tests fail at once and say why.
 */
export function requireBlinkReaders(): void {
  const missing = [
    ...(hasPythonModule('potr.compatcrypto') ? [] : ['python3-potr', 'python3-pycryptodome']),
    ...(hasPythonModule('cryptography.hazmat.primitives.serialization') ? [] : ['python3-cryptography']),
    ...(hasOpenssl ? [] : ['openssl']),
  ];
  if (missing.length > 0) {
    throw new Error(`the Blink readers are missing: ${PYTHON} with Debian ${missing.join(', ')}. npm test installs them; or run: apt-get install ${missing.join(' ')}`);
  }
}
