/**
 * `npm run fuzz:msrp`: runs the MSRP fuzz targets one after another and
 * prints, per target, the cases, inputs and heap growth; exits non-zero on
 * a failure, with the command that replays it. Started by run.mjs.
 *
 *   npm run fuzz:msrp -- [--seconds N] [--target a,b] [--runs N] [--seed S] [--path P] [--list]
 */
import { parseArgs } from 'node:util';
import { runTarget } from './engine.js';
import { targetNamed, targets } from './targets.js';

/** The command line; returns the exit status. */
export function main(argv: readonly string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { seconds: { type: 'string' }, target: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, path: { type: 'string' }, list: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (values.list) {
    for (const target of targets) process.stdout.write(`${target.name}\n`);
    return 0;
  }
  const names = values.target?.split(',') ?? targets.map((t) => t.name);
  let failed = false;
  for (const name of names) {
    const target = targetNamed(name);
    if (target === undefined) {
      process.stderr.write(`fuzz: unknown target ${name}\n`);
      return 2;
    }
    const result = runTarget(target, {
      ...(values.seconds === undefined ? {} : { seconds: Number(values.seconds) }),
      ...(values.runs === undefined ? {} : { runs: Number(values.runs) }),
      ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
      ...(values.path === undefined ? {} : { path: values.path }),
    });
    process.stdout.write(`${name}: ${result.runs} cases, ${result.inputs} inputs, max heap growth ${(result.maxHeapGrowth / 1048576).toFixed(1)} MiB, seed ${result.seed}${result.failure === undefined ? '' : ' FAILED'}\n`);
    if (result.failure !== undefined) {
      failed = true;
      process.stdout.write(`${result.failure.message}\ncounterexample: ${result.failure.counterexample}\nreplay: npm run fuzz:msrp -- --target ${name} --seed=${result.seed} --path ${result.failure.path ?? ''}\n`);
    }
  }
  process.stdout.write(failed ? 'fuzz: FAILED\n' : 'fuzz: no failures\n');
  return failed ? 1 : 0;
}
