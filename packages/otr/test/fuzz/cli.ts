/**
 * `npm run fuzz`: runs the fuzz targets, each in a worker thread watched for
 * hangs, and prints per target the inputs run, crashes, hangs and the
 * largest heap growth. Exits non-zero on any failure, with the command that
 * replays it. Started by run.mjs (which loads this TypeScript through
 * Vite's module runner, as vitest does).
 *
 *   npm run fuzz -- [--seconds N] [--target a,b,...] [--runs N] [--inputs N]
 *                   [--seed S] [--path P] [--jobs N] [--hang-seconds N] [--list]
 *
 * --seconds N       time per target (default 20; with --runs or --inputs: no time limit unless given)
 * --target a,b      only these targets (see --list)
 * --runs N          fast-check cases per target
 * --inputs N        for decoder targets: run until N decoder inputs (cases of a fixed batch)
 * --seed S          fast-check seed (default: a fresh one per target, printed)
 * --path P          with --seed and one --target: replay one case (fast-check path; one run)
 * --jobs N          targets run at once (default 1)
 * --hang-seconds N  a case running longer than this is a hang (default 60)
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { BATCH } from './decoders.js';
import { runTarget, type RunOptions, type RunResult } from './engine.js';
import { targetNamed, targets } from './targets.js';

/** What a worker is asked to run. */
export interface WorkerJob {
  readonly target: string;
  readonly options: Omit<RunOptions, 'progress'>;
  readonly progress: SharedArrayBuffer;
}

/** Runs one job inside a worker (called by worker.mjs). */
export function runJob(job: WorkerJob): RunResult {
  const target = targetNamed(job.target);
  if (target === undefined) throw new Error(`unknown target ${job.target}`);
  return runTarget(target, { ...job.options, progress: new Int32Array(job.progress) });
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

interface Outcome {
  readonly result?: RunResult;
  /** A failure the worker could not report itself (hang, out of memory, error outside a case). */
  readonly lost?: { readonly kind: 'hang' | 'heap' | 'crash'; readonly message: string; readonly seed: number; readonly path: string | undefined };
}

function runInWorker(workerUrl: URL, job: WorkerJob, hangSeconds: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const progress = new Int32Array(job.progress);
    Atomics.store(progress, 0, -1);
    const worker = new Worker(workerUrl, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    let last = -1;
    let lastChange = Date.now();
    let settled = false;
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      resolve(outcome);
    };
    const watchdog = setInterval(() => {
      const now = Atomics.load(progress, 0);
      if (now !== last || now < 0) {
        last = now;
        lastChange = Date.now();
        return;
      }
      if (Date.now() - lastChange > hangSeconds * 1000) {
        void worker.terminate();
        finish({ lost: { kind: 'hang', message: `case ${now} did not finish within ${hangSeconds} s`, seed: job.options.seed ?? 0, path: String(now) } });
      }
    }, 1000);
    worker.on('message', (result: RunResult) => {
      finish({ result });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'heap' : 'crash';
      finish({ lost: { kind, message: `${error.name}: ${error.message}`, seed: job.options.seed ?? 0, path: last >= 0 ? String(last) : undefined } });
    });
    worker.on('exit', (code) => {
      finish({ lost: { kind: 'crash', message: `worker exited with code ${code} without a result`, seed: job.options.seed ?? 0, path: last >= 0 ? String(last) : undefined } });
    });
  });
}

function usage(message: string): number {
  process.stderr.write(`fuzz: ${message}\n`);
  return 2;
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number`);
  return number;
}

/** The command line; returns the exit status. */
export async function main(argv: readonly string[], workerUrl: URL): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seconds: { type: 'string' },
        target: { type: 'string' },
        runs: { type: 'string' },
        inputs: { type: 'string' },
        seed: { type: 'string' },
        path: { type: 'string' },
        jobs: { type: 'string' },
        'hang-seconds': { type: 'string' },
        list: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (values.list) {
    for (const target of targets) process.stdout.write(`${target.name} (${target.kind})\n`);
    return 0;
  }
  let seconds, runs, inputs, jobs, hangSeconds, seed;
  try {
    seconds = positive(values.seconds, '--seconds');
    runs = positive(values.runs, '--runs');
    inputs = positive(values.inputs, '--inputs');
    jobs = Math.floor(positive(values.jobs, '--jobs') ?? 1);
    hangSeconds = positive(values['hang-seconds'], '--hang-seconds') ?? 60;
    seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error('--seed must be an integer');
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const names = values.target === undefined ? targets.map((t) => t.name) : values.target.split(',').filter((n) => n.length > 0);
  for (const name of names) if (targetNamed(name) === undefined) return usage(`unknown target ${name} (see --list)`);
  if (values.path !== undefined && (seed === undefined || names.length !== 1)) return usage('--path needs --seed and a single --target');
  if (seconds === undefined && runs === undefined && inputs === undefined) seconds = 20;

  process.stdout.write(`fuzz: ${names.length} target(s)${seconds === undefined ? '' : `, ${seconds} s each`}${runs === undefined ? '' : `, ${runs} cases`}${inputs === undefined ? '' : `, ${inputs} decoder inputs`}, ${jobs} at a time\n`);
  const results: { name: string; outcome: Outcome; seed: number }[] = [];
  const queue = [...names];
  const runNext = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const target = targetNamed(name);
      if (target === undefined) continue;
      const targetSeed = seed ?? ((Date.now() ^ (Math.random() * 0x100000000)) >>> 0);
      const targetRuns = values.path !== undefined ? (runs ?? 1) : inputs !== undefined && target.kind === 'decoder' ? Math.ceil(inputs / BATCH) : runs;
      const options: WorkerJob['options'] = {
        seed: targetSeed,
        ...(seconds === undefined ? {} : { seconds }),
        ...(targetRuns === undefined ? {} : { runs: targetRuns }),
        ...(values.path === undefined ? {} : { path: values.path }),
      };
      const outcome = await runInWorker(workerUrl, { target: name, options, progress: new SharedArrayBuffer(4) }, hangSeconds);
      results.push({ name, outcome, seed: targetSeed });
      const r = outcome.result;
      process.stdout.write(
        r === undefined
          ? `${name}: ${outcome.lost?.kind ?? 'lost'}: ${outcome.lost?.message ?? ''}\n`
          : `${name}: ${r.inputs} inputs in ${r.runs} cases, ${r.crashes} crashes, ${r.hangs} hangs, max heap growth ${mib(r.maxHeapGrowth)}, ${(r.elapsedMs / 1000).toFixed(1)} s, seed ${r.seed}${r.failure === undefined ? '' : ' FAILED'}\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, runNext));
  results.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));

  process.stdout.write('\n| target | inputs | cases | crashes | hangs | max heap growth | seconds | seed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n');
  let failed = false;
  for (const { name, outcome, seed: s } of results) {
    const r = outcome.result;
    if (r === undefined) {
      failed = true;
      process.stdout.write(`| ${name} | ? | ? | ${outcome.lost?.kind === 'crash' ? 1 : 0} | ${outcome.lost?.kind === 'hang' ? 1 : 0} | ${outcome.lost?.kind === 'heap' ? 'exhausted' : '?'} | ? | ${s} |\n`);
      continue;
    }
    if (r.failure !== undefined) failed = true;
    process.stdout.write(`| ${name} | ${r.inputs} | ${r.runs} | ${r.crashes} | ${r.hangs} | ${mib(r.maxHeapGrowth)} | ${(r.elapsedMs / 1000).toFixed(1)} | ${r.seed} |\n`);
  }
  for (const { name, outcome, seed: s } of results) {
    const r = outcome.result;
    const failure = r?.failure;
    if (failure !== undefined) {
      process.stdout.write(`\n${name}: ${failure.kind}\n${failure.message}\ncounterexample: ${failure.counterexample.slice(0, 4000)}\n`);
      process.stdout.write(`replay: npm run fuzz -- --target ${name} --seed=${failure.seed}${failure.path === null ? '' : ` --path ${failure.path}`}\n`);
    } else if (outcome.lost !== undefined) {
      process.stdout.write(`\n${name}: ${outcome.lost.kind}: ${outcome.lost.message}\n`);
      process.stdout.write(`replay: npm run fuzz -- --target ${name} --seed=${s}${outcome.lost.path === undefined ? '' : ` --path ${outcome.lost.path}`}\n`);
    }
  }
  const withoutGc = results.some((x) => x.outcome.result?.heapMeasuredWithGc === false);
  if (withoutGc) process.stdout.write('\nnote: heap measured without a forced garbage collection (run node with --expose-gc)\n');
  process.stdout.write(failed ? '\nfuzz: FAILED\n' : '\nfuzz: no failures\n');
  return failed ? 1 : 0;
}
