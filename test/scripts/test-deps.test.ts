/**
 * scripts/test-deps.mjs, the first step of `npm test`, run against stand-ins
 * for dpkg-query, apt-get and sudo (first on PATH) that keep the "installed"
 * packages in a file: it installs exactly what is missing, and where it cannot
 * it stops with one message naming the packages and the command.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/test-deps.mjs', import.meta.url));
const ALL = ['libotr5-bin', 'libotr5-dev', 'python3-potr', 'python3-pycryptodome', 'python3-cryptography', 'openssl', 'pkg-config', 'gcc', 'make', 'kamailio', 'kamailio-tls-modules', 'chromium'];
const sudo = process.getuid?.() === 0 ? '' : 'sudo ';

const FAKES = {
  'dpkg-query': `#!/bin/sh
shift 2
for p in "$@"; do
  if grep -qx "$p" "$FAKE_STATE"; then printf '%s\\tinstall ok installed\\n' "$p"; else printf '%s\\tunknown ok not-installed\\n' "$p"; fi
done
`,
  'apt-get': `#!/bin/sh
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*" >> "$FAKE_LOG"
[ -n "$FAKE_APT_FAIL" ] && [ "$1" = "$FAKE_APT_FAIL" ] && exit 100
if [ "$1" = install ]; then for p in "$@"; do case "$p" in -*|install) ;; *) echo "$p" >> "$FAKE_STATE" ;; esac; done; fi
exit 0
`,
  sudo: `#!/bin/sh
[ "$1" = -n ] && shift
exec env "$@"
`,
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the script with `installed` already installed; returns its exit status, stderr, the apt-get calls and what is installed after. */
function run(installed: string[], options: { aptFails?: 'update' | 'install'; tools?: (keyof typeof FAKES)[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sotto-test-deps-'));
  dirs.push(dir);
  for (const tool of options.tools ?? (Object.keys(FAKES) as (keyof typeof FAKES)[])) {
    writeFileSync(join(dir, tool), FAKES[tool]);
    chmodSync(join(dir, tool), 0o755);
  }
  // PATH is this directory alone: the stand-ins, and the two host tools they use.
  for (const tool of ['grep', 'env']) symlinkSync(['/usr/bin', '/bin'].map((bin) => join(bin, tool)).find((path) => existsSync(path)) ?? tool, join(dir, tool));
  const state = join(dir, 'installed');
  const log = join(dir, 'apt.log');
  writeFileSync(state, installed.map((p) => `${p}\n`).join(''));
  const result = spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: dir, FAKE_STATE: state, FAKE_LOG: log, FAKE_APT_FAIL: options.aptFails ?? '' },
  });
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return { status: result.status, stderr: result.stderr, apt: lines(log), installed: lines(state) };
}

describe('npm test on a fresh machine installs the Debian packages the tests use, or stops at once with one message', () => {
  it('does nothing when every package is installed', () => {
    expect(run(ALL)).toMatchObject({ status: 0, stderr: '', apt: [] });
  });

  it('installs exactly the missing packages, non-interactively and without recommends', () => {
    const result = run(['openssl', 'pkg-config', 'gcc', 'make', 'python3-cryptography', 'kamailio', 'kamailio-tls-modules', 'chromium']);
    expect(result.status).toBe(0);
    const missing = 'libotr5-bin libotr5-dev python3-potr python3-pycryptodome';
    expect(result.apt).toEqual(['DEBIAN_FRONTEND=noninteractive apt-get update -q', `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${missing}`]);
    expect(result.installed.sort()).toEqual([...ALL].sort());
  });

  it.each(['update', 'install'] as const)('apt-get %s fails: one message with the missing packages and the command', (aptFails) => {
    const result = run(['openssl', 'pkg-config', 'gcc', 'make', 'python3-cryptography', 'kamailio', 'kamailio-tls-modules', 'chromium'], { aptFails });
    expect(result.status).toBe(1);
    const missing = 'libotr5-bin libotr5-dev python3-potr python3-pycryptodome';
    expect(result.stderr).toContain(`missing Debian packages the tests use: ${missing}\napt-get ${aptFails} failed`);
    expect(result.stderr).toContain(`    ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing}\n`);
    expect(result.stderr.match(/missing Debian packages/g)).toHaveLength(1);
  });

  it('not a Debian system: one message naming every package, and apt is never run', () => {
    const result = run([], { tools: ['apt-get', 'sudo'] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`missing Debian packages the tests use: ${ALL.join(' ')}\nthis is not a Debian system`);
    expect(result.apt).toEqual([]);
  });
});
