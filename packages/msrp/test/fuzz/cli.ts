/**
 * `npm run fuzz:msrp`: runs the MSRP fuzz targets one after another and
 * prints, per target, the cases, inputs, heap growth and slowest case;
 * exits non-zero on a failure, with the command that replays it. Started by
 * run.mjs. `fuzzMain` is shared with `npm run fuzz:sip` (test/fuzz/cli.ts).
 *
 *   npm run fuzz:msrp -- [--seconds N] [--target a,b] [--runs N] [--seed S] [--path P] [--slow-ms M] [--list]
 */
import { parseArgs } from 'node:util';
import { runTarget, type Target } from './engine.js';
import { targets } from './targets.js';

/** The per-case wall-clock bound of a command-line run (ms): generous, the machine is shared. */
const DEFAULT_SLOW_MS = 2000;

/** The command line over `all` (the npm script is `command`); returns the exit status. */
export function fuzzMain(argv: readonly string[], all: readonly Target<never>[], command: string): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seconds: { type: 'string' }, target: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, path: { type: 'string' },
        'slow-ms': { type: 'string' }, list: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (values.list) {
    for (const target of all) process.stdout.write(`${target.name}\n`);
    return 0;
  }
  const names = values.target?.split(',') ?? all.map((t) => t.name);
  let failed = false;
  for (const name of names) {
    const target = all.find((t) => t.name === name);
    if (target === undefined) {
      process.stderr.write(`fuzz: unknown target ${name}\n`);
      return 2;
    }
    const result = runTarget(target, {
      ...(values.seconds === undefined ? {} : { seconds: Number(values.seconds) }),
      ...(values.runs === undefined ? {} : { runs: Number(values.runs) }),
      ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
      ...(values.path === undefined ? {} : { path: values.path }),
      slowCaseMs: values['slow-ms'] === undefined ? DEFAULT_SLOW_MS : Number(values['slow-ms']),
    });
    process.stdout.write(
      `${name}: ${result.runs} cases, ${result.inputs} inputs, max heap growth ${(result.maxHeapGrowth / 1048576).toFixed(1)} MiB, ` +
        `slowest case ${result.slowestCaseMs.toFixed(0)} ms, seed ${result.seed}${result.failure === undefined ? '' : ' FAILED'}\n`,
    );
    if (result.failure !== undefined) {
      failed = true;
      process.stdout.write(`${result.failure.message}\ncounterexample: ${result.failure.counterexample}\nreplay: npm run ${command} -- --target ${name} --seed=${result.seed} --path ${result.failure.path ?? ''}\n`);
    }
  }
  process.stdout.write(failed ? 'fuzz: FAILED\n' : 'fuzz: no failures\n');
  return failed ? 1 : 0;
}

/** `npm run fuzz:msrp`; returns the exit status. */
export function main(argv: readonly string[]): number {
  return fuzzMain(argv, targets, 'fuzz:msrp');
}
