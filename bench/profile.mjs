// Profiles one sotto workload with `node --cpu-prof` and prints where the time
// goes: self time per function and total (inclusive) time per function, as a
// share of the profile. Build first (node bench/run.mjs --impl sotto --quick
// does it), then:
//
//   node bench/profile.mjs <workload> [harness options, e.g. --quick]
//
// The .cpuprofile is kept in bench/build/profiles/ for Chrome DevTools.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const [workload, ...rest] = process.argv.slice(2);
if (!workload) {
  process.stderr.write('usage: node bench/profile.mjs <workload> [harness options]\n');
  process.exit(2);
}
const dir = join(BENCH, 'build', 'profiles', workload);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const r = spawnSync(
  process.execPath,
  ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', '--expose-gc', join(BENCH, 'build', 'sotto', 'harness.js'), '--workloads', workload, ...rest],
  { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (r.status !== 0) process.exit(r.status ?? 1);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) process.exit(1);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));

// Self time: samples whose leaf is the node. Total time: samples in whose stack
// the function appears (counted once per sample even when recursive).
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => {
  const f = n.callFrame;
  const url = f.url.startsWith('file:') ? relative(ROOT, fileURLToPath(f.url)) : f.url;
  return `${f.functionName || '(anonymous)'} ${url ? `${url}:${f.lineNumber + 1}` : ''}`.trim();
};
const self = new Map();
const total = new Map();
let samples = 0;
for (const id of profile.samples) {
  samples++;
  const leaf = byId.get(id);
  self.set(name(leaf), (self.get(name(leaf)) ?? 0) + 1);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = name(byId.get(cur));
    if (seen.has(key)) continue;
    seen.add(key);
    total.set(key, (total.get(key) ?? 0) + 1);
  }
}
const top = (m, n) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / samples).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
process.stdout.write(`\nprofile: ${relative(ROOT, join(dir, file))} (${samples} samples)\n\nself time\n${top(self, 25)}\n\ntotal time\n${top(total, 40)}\n`);
