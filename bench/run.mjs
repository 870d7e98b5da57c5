// Runs the OTR benchmarks for sotto and the reference implementations (libotr,
// python-potr, otr.js) in one run, then prints a table, sotto's ratios against
// each reference and the targets of the benchmark issue (met / missed).
//
//   node bench/run.mjs [--json] [--quick] [--impl sotto,libotr,...]
//                      [--workloads ake,smp,...] [--rounds N] [--full-references]
//                      [--strict]
//
// --json             only the JSON lines {"impl","workload","median","unit","runs",...}
// --quick            one run of each workload with small counts (CI smoke)
// --rounds N         interleave the timed workloads in N rounds (default 3):
//                    every implementation runs once per round, in a rotating
//                    order, with 1/N of its runs; the result is the median of
//                    the round medians, so a slow spell of a shared machine
//                    falls on every implementation alike
// --full-references  give the slow references (potr, otr.js) the full message,
//                    run and session counts instead of the reduced ones
// --strict           exit non-zero when any implementation is skipped or its
//                    harness fails (CI's smoke run, so no harness rots unseen)
//
// The v4_* workloads are sotto's OTRv4 rows (no reference speaks v4); they run
// in the same rounds and harness processes as the v3 ones, and the targets
// compare them with sotto's own v3 figures of the same run.
//
// Each harness is built (sotto: tsc; libotr: gcc) and run here; a reference that
// cannot be built or run prints a note and the others still run. session_memory
// and v4_session_memory run once each, in a process of their own so earlier
// workloads do not blur the RSS growth.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const BUILD = join(BENCH, 'build');
const PYTHON = '/usr/bin/python3';

const V3_WORKLOADS = ['keygen', 'ake', 'smp', 'data_100B_alternating', 'data_10KiB_oneway', 'session_memory'];
const V4_WORKLOADS = ['v4_dake', 'v4_smp', 'v4_data_100B_alternating', 'v4_data_10KiB_oneway', 'v4_session_memory'];
const WORKLOADS = [...V3_WORKLOADS, ...V4_WORKLOADS];
const MEMORY_WORKLOADS = new Set(['session_memory', 'v4_session_memory']);
/** The workloads an implementation's harness runs: only sotto speaks v4. */
const workloadsOf = (impl, list) => list.filter((w) => impl === 'sotto' || !V4_WORKLOADS.includes(w));
// The full counts of the message and session workloads (fewer are reported as reduced).
const FULL_MESSAGES = { data_100B_alternating: 10000, data_10KiB_oneway: 1000, v4_data_100B_alternating: 500, v4_data_10KiB_oneway: 1000 };
const FULL_SESSIONS = { session_memory: 10000, v4_session_memory: 1000 };
// The spec's minimum of Ed448 operations per run (see bench/README.md).
const ED448_MINIMUM = {
  v4_dake: { base: 16, point: 14, checks: 8 },
  v4_smp: { base: 22, point: 36, checks: 10 },
};
const IMPLS = ['sotto', 'libotr', 'potr', 'otr.js'];
// Lower is better for these units; higher for msg/s.
const LOWER_IS_BETTER = new Set(['ms', 'KiB/session']);

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    impl: { type: 'string' },
    workloads: { type: 'string' },
    rounds: { type: 'string' },
    'full-references': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const rounds = opts.quick ? 1 : Number(opts.rounds ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) usage('--rounds must be a positive integer');
const selectedImpls = opts.impl ? opts.impl.split(',') : IMPLS;
const selectedWorkloads = opts.workloads ? opts.workloads.split(',') : WORKLOADS;
for (const w of selectedWorkloads) if (!WORKLOADS.includes(w)) usage(`unknown workload ${w}`);
for (const i of selectedImpls) if (!IMPLS.includes(i)) usage(`unknown impl ${i}`);

function usage(why) {
  process.stderr.write(`bench: ${why}\n`);
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);
const notes = [];
let harnessFailed = false;
function note(line) {
  notes.push(line);
  log(`bench: ${line}`);
}

// ---- building and locating the harnesses ----------------------------------

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...options });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

// The reduced counts for the slow references (their rates are per message, so
// fewer messages measure the same thing; the JSON lines carry the counts).
const SLOW = {
  potr: {
    full: { 'messages-scale': 0.2, 'runs-scale': 0.6, 'keygen-runs': 30, sessions: 2000 },
    quick: { 'messages-scale': 0.1, sessions: 50 },
  },
  'otr.js': {
    full: { 'messages-scale': 0.02, 'runs-scale': 0.5, 'keygen-runs': 20, sessions: 500 },
    quick: { 'messages-scale': 0.02, sessions: 20 },
  },
};

/** Harness arguments for one round: the impl's reduced counts, with its runs split over the rounds. */
function scaleArgs(impl) {
  const slow = SLOW[impl];
  const chosen = { ...(!slow || (opts['full-references'] && !opts.quick) ? {} : opts.quick ? slow.quick : slow.full) };
  if (rounds > 1) {
    chosen['runs-scale'] = (chosen['runs-scale'] ?? 1) / rounds;
    chosen['keygen-runs'] = Math.max(1, Math.round((chosen['keygen-runs'] ?? 100) / rounds));
  }
  return Object.entries(chosen).flatMap(([k, v]) => [`--${k}`, String(v)]);
}

/** Returns {cmd, args} to run the harness, or a string saying why it cannot run. */
function prepare(impl) {
  mkdirSync(BUILD, { recursive: true });
  switch (impl) {
    case 'sotto': {
      const lib = run(process.execPath, [tsc, '-b', 'packages/otr/tsconfig.build.json']);
      if (!lib.ok) return `building @sotto/otr failed:\n${lib.out}`;
      const harness = run(process.execPath, [tsc, '-p', 'bench/tsconfig.build.json']);
      if (!harness.ok) return `building bench/sotto failed:\n${harness.out}`;
      return { cmd: process.execPath, args: ['--expose-gc', join(BUILD, 'sotto', 'harness.js')] };
    }
    case 'libotr': {
      const flags = run('pkg-config', ['--cflags', '--libs', 'libotr']);
      if (!flags.ok) return 'libotr not found by pkg-config (Debian: apt-get install libotr5-dev pkg-config gcc)';
      const exe = join(BUILD, 'libotr-harness');
      const cc = run('gcc', ['-O2', '-Wall', '-Wextra', '-std=gnu11', '-o', exe, join(BENCH, 'libotr', 'harness.c'), ...flags.out.split(/\s+/).filter(Boolean)]);
      if (!cc.ok) return `compiling bench/libotr/harness.c failed:\n${cc.out}`;
      return { cmd: exe, args: [] };
    }
    case 'potr': {
      if (!existsSync(PYTHON)) return `${PYTHON} not found (Debian: apt-get install python3 python3-potr)`;
      const probe = run(PYTHON, ['-c', 'import potr, Cryptodome']);
      if (!probe.ok) return 'python3-potr or pycryptodome missing (Debian: apt-get install python3-potr)';
      const shim = join(ROOT, 'test', 'interop', 'peers', 'potr', 'potr_compat.py');
      if (!existsSync(shim)) return `the potr compatibility shim ${shim} is missing`;
      return { cmd: PYTHON, args: [join(BENCH, 'potr', 'harness.py')] };
    }
    case 'otr.js': {
      const require = createRequire(join(ROOT, 'package.json'));
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(require.resolve('otr/package.json'), 'utf8'));
      } catch {
        return 'npm package `otr` is not installed (npm i -D otr@0.2.16)';
      }
      if (pkg.version !== '0.2.16') note(`otr.js is ${pkg.version}, not 0.2.16`);
      return { cmd: process.execPath, args: ['--expose-gc', join(BENCH, 'otrjs', 'harness.js')] };
    }
    default:
      throw new Error(impl);
  }
}

/** Runs one harness process; resolves with its JSON lines (and streams them). */
function runHarness(impl, how, workloads, { stream = opts.json } = {}) {
  const args = [...how.args, ...(opts.quick ? ['--quick'] : []), ...scaleArgs(impl), '--workloads', workloads.join(',')];
  return new Promise((resolve) => {
    const child = spawn(how.cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const results = [];
    let buffer = '';
    let errors = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let parsed;
        try {
          parsed = JSON.parse(line);
        } catch {
          log(`${impl}: ${line}`);
          continue;
        }
        results.push(parsed);
        if (stream) process.stdout.write(`${JSON.stringify(parsed)}\n`);
        else if (!opts.json) log(`  ${impl.padEnd(7)} ${parsed.workload.padEnd(24)} ${format(parsed)}`);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        harnessFailed = true;
        note(`${impl} harness exited with ${signal ?? code}${errors ? `: ${errors.trim()}` : ''}`);
      }
      resolve(results);
    });
  });
}

// ---- formatting -------------------------------------------------------------

function num(x) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function format(r) {
  let s = `${num(r.median)} ${r.unit}`;
  if (r.MB_per_s !== undefined) s += ` (${num(r.MB_per_s)} MB/s)`;
  if (r.ed448_base_mults !== undefined) s += ` (${ed448Ops(r)})`;
  return s;
}

/** Ed448 operations per run: "16+14 mul, 8 chk" (base + variable-point multiplications, subgroup checks). */
function ed448Ops(r) {
  const n = (x) => (Number.isInteger(x) ? String(x) : num(x));
  return `${n(r.ed448_base_mults)}+${n(r.ed448_point_mults)} mul, ${n(r.ed448_subgroup_checks)} chk`;
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

/** How many times better sotto is than `ref` (> 1 = sotto better). */
function advantage(s, ref) {
  return LOWER_IS_BETTER.has(s.unit) ? ref.median / s.median : s.median / ref.median;
}

function machine() {
  const cpu = cpus();
  const libotr = run('pkg-config', ['--modversion', 'libotr']);
  const py = existsSync(PYTHON) ? run(PYTHON, ['-c', 'import sys, Cryptodome; print(sys.version.split()[0], Cryptodome.__version__)']) : { ok: false };
  const parts = [
    `${cpu[0]?.model ?? 'unknown CPU'} x${cpu.length}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.version}`,
  ];
  if (libotr.ok) parts.push(`libotr ${libotr.out}`);
  if (py.ok) parts.push(`Python ${py.out.split(' ')[0]} + pycryptodome ${py.out.split(' ')[1]}`);
  return parts.join(', ');
}

// ---- targets (from the benchmark issue; reported, never enforced) ------------

function targets(get) {
  const checks = [];
  const vsLibotr = (workload, label, ok) => {
    const s = get('sotto', workload);
    const l = get('libotr', workload);
    if (!s || !l) return checks.push([label, 'n/a', 'not run']);
    const lower = LOWER_IS_BETTER.has(s.unit);
    const ratio = s.median / l.median;
    checks.push([label, `${num(ratio)}x libotr's ${lower ? 'time' : 'throughput'}`, ok(ratio) ? 'met' : 'MISSED']);
  };
  vsLibotr('ake', 'ake: time <= 0.33x libotr', (r) => r <= 0.33);
  vsLibotr('smp', 'smp: time <= 0.4x libotr', (r) => r <= 0.4);
  vsLibotr('data_100B_alternating', 'data_100B_alternating: >= 3x libotr', (r) => r >= 3);
  vsLibotr('data_10KiB_oneway', 'data_10KiB_oneway: >= 1.3x libotr', (r) => r >= 1.3);
  vsLibotr('keygen', 'keygen: no slower than libotr', (r) => r <= 1);
  for (const w of V3_WORKLOADS.filter((x) => x !== 'session_memory')) {
    const s = get('sotto', w);
    const o = get('otr.js', w);
    const label = `${w}: >= 20x faster than otr.js`;
    if (!s || !o) checks.push([label, 'n/a', 'not run']);
    else {
      const a = advantage(s, o);
      checks.push([label, `${num(a)}x`, a >= 20 ? 'met' : 'MISSED']);
    }
  }
  const m = get('sotto', 'session_memory');
  checks.push(['session_memory: <= 32 KiB/session', m ? `${num(m.median)} KiB/session` : 'n/a', m ? (m.median <= 32 ? 'met' : 'MISSED') : 'not run']);
  return checks;
}

/** sotto's v4 rows against its own v3 rows of the same run (from the OTRv4 issue; reported, never enforced). */
function v4Targets(get) {
  const checks = [];
  const vsV3 = (v4, v3, label, ok) => {
    const a = get('sotto', v4);
    const b = get('sotto', v3);
    if (!a || !b) return checks.push([label, 'n/a', 'not run']);
    const ratio = a.median / b.median;
    checks.push([label, `${num(ratio)}x v3's ${LOWER_IS_BETTER.has(a.unit) ? 'time' : 'rate'} (${num(a.median)} against ${num(b.median)} ${a.unit})`, ok(ratio) ? 'met' : 'MISSED']);
  };
  vsV3('v4_dake', 'ake', 'v4_dake: time <= 15x sotto v3 ake', (r) => r <= 15);
  vsV3('v4_smp', 'smp', 'v4_smp: time <= sotto v3 smp', (r) => r <= 1);
  vsV3('v4_data_100B_alternating', 'data_100B_alternating', 'v4_data_100B_alternating: >= 0.5x sotto v3', (r) => r >= 0.5);
  const m = get('sotto', 'v4_session_memory');
  checks.push(['v4_session_memory: <= 64 KiB/session', m ? `${num(m.median)} KiB/session (${m.sessions} sessions)` : 'n/a', m ? (m.median <= 64 ? 'met' : 'MISSED') : 'not run']);
  for (const [w, min] of Object.entries(ED448_MINIMUM)) {
    const r = get('sotto', w);
    // v4_smp's counts are of the SMP alone: the harness subtracts the ratchet steps of its 4 data messages (ratchet_ed448_* fields).
    const what = w === 'v4_smp' ? 'SMP alone, its 4 ratchet steps subtracted' : 'both sides';
    const label = `${w}: Ed448 ops (${what}) <= spec minimum ${min.base}+${min.point} mul, ${min.checks} chk`;
    if (!r || r.ed448_base_mults === undefined) checks.push([label, 'n/a', 'not run']);
    else checks.push([label, ed448Ops(r), r.ed448_base_mults <= min.base && r.ed448_point_mults <= min.point && r.ed448_subgroup_checks <= min.checks ? 'met' : 'MISSED']);
  }
  return checks;
}

// ---- main ---------------------------------------------------------------------

/**
 * One result per workload from the rounds of one impl: the round whose median
 * is the median of the round medians, with the runs of all rounds counted.
 */
function combineRounds(perRound) {
  const byWorkload = new Map();
  for (const r of perRound) byWorkload.set(r.workload, [...(byWorkload.get(r.workload) ?? []), r]);
  return [...byWorkload.values()].map((list) => {
    const sorted = [...list].sort((a, b) => a.median - b.median);
    const middle = sorted[(sorted.length - 1) >> 1];
    return list.length === 1 ? middle : { ...middle, runs: list.reduce((n, r) => n + r.runs, 0), rounds: list.length, round_medians: list.map((r) => r.median) };
  });
}

const results = [];
let sottoFailed = false;
const prepared = new Map();
for (const impl of selectedImpls) {
  const how = prepare(impl);
  if (typeof how === 'string') {
    if (impl === 'sotto') sottoFailed = true;
    harnessFailed = true;
    note(`${impl} skipped: ${how}`);
  } else prepared.set(impl, how);
}
const ready = selectedImpls.filter((impl) => prepared.has(impl));
const timed = selectedWorkloads.filter((w) => !MEMORY_WORKLOADS.has(w));
const perRound = new Map(ready.map((impl) => [impl, []]));
if (timed.length > 0) {
  for (let round = 0; round < rounds; round++) {
    // Rotate the order, so no implementation always runs first or last.
    const order = ready.map((_, i) => ready[(i + round) % ready.length]);
    for (const impl of order) {
      const own = workloadsOf(impl, timed);
      if (own.length === 0) continue;
      if (!opts.json) log(`bench: ${impl}${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''}`);
      perRound.get(impl).push(...(await runHarness(impl, prepared.get(impl), own, { stream: opts.json && rounds === 1 })));
    }
  }
}
for (const impl of ready) {
  const combined = combineRounds(perRound.get(impl));
  if (opts.json && rounds > 1) for (const r of combined) process.stdout.write(`${JSON.stringify(r)}\n`);
  results.push(...combined);
}
for (const memory of selectedWorkloads.filter((w) => MEMORY_WORKLOADS.has(w))) {
  for (const impl of ready) {
    if (workloadsOf(impl, [memory]).length === 0) continue;
    if (!opts.json) log(`bench: ${impl} ${memory}`);
    results.push(...(await runHarness(impl, prepared.get(impl), [memory])));
  }
}
if (results.every((r) => r.impl !== 'sotto') && selectedImpls.includes('sotto')) sottoFailed = true;

if (!opts.json) {
  const get = (impl, workload) => results.find((r) => r.impl === impl && r.workload === workload);
  const impls = selectedImpls.filter((i) => results.some((r) => r.impl === i));
  const rows = [['workload', ...impls]];
  for (const w of selectedWorkloads) rows.push([w, ...impls.map((i) => (get(i, w) ? format(get(i, w)) : '-'))]);
  const out = [];
  out.push('', `Results (median; ${opts.quick ? 'QUICK smoke run, one run each: not a measurement' : `median of ${rounds} interleaved round${rounds > 1 ? 's' : ''}; see bench/README.md`})`, table(rows));

  const refs = impls.filter((i) => i !== 'sotto');
  if (impls.includes('sotto') && refs.length > 0) {
    const ratioRows = [['workload', ...refs.map((r) => `vs ${r}`)]];
    for (const w of selectedWorkloads.filter((x) => !V4_WORKLOADS.includes(x))) {
      const s = get('sotto', w);
      ratioRows.push([w, ...refs.map((r) => (s && get(r, w) ? `${num(advantage(s, get(r, w)))}x` : '-'))]);
    }
    out.push('', "sotto's advantage (>1 = sotto better; time and memory: ref/sotto, throughput: sotto/ref)", table(ratioRows));
    out.push('', `Targets (same run${opts.quick ? '; quick smoke run: indicative only' : ''})`, table([['target', 'measured', 'status'], ...targets(get)]));
  }
  if (impls.includes('sotto') && selectedWorkloads.some((w) => V4_WORKLOADS.includes(w))) {
    out.push(
      '',
      `OTRv4 targets: sotto v4 against sotto v3, same run${opts.quick ? '; quick smoke run: indicative only' : ''} (Ed448 ops per run, both sides: base + variable-point scalar multiplications, q*P subgroup checks)`,
      table([['target', 'measured', 'status'], ...v4Targets(get)]),
    );
  }
  const reduced = results.filter((r) => (r.messages !== undefined && r.messages < FULL_MESSAGES[r.workload]) || (r.sessions !== undefined && r.sessions < FULL_SESSIONS[r.workload]));
  if (reduced.length > 0 && !opts.quick) out.push('', `Reduced counts: ${reduced.map((r) => `${r.impl} ${r.workload} ${r.messages !== undefined ? `${r.messages} messages` : `${r.sessions} sessions`}`).join('; ')}`);
  if (results.some((r) => r.impl === 'potr')) out.push('potr speaks OTR v2 only: its ake is a v2 AKE.');
  for (const n of notes) out.push(`Note: ${n}`);
  out.push(`Machine: ${machine()}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
process.exit(sottoFailed || (opts.strict && harnessFailed) ? 1 : 0);
