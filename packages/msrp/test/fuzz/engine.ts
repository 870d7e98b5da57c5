/**
 * Runs a fuzz target with fast-check: seeded cases, each fed to the
 * library by the target (which counts its inputs); a failure comes back
 * with the seed and path that replay it. A target may keep state across
 * cases (`start`/`stop`, e.g. one long-lived session), so that what the
 * library retains shows up as heap growth, measured after a forced
 * garbage collection against the heap after the first case.
 *
 * Shared by the fuzz targets of the SIP/MSRP chat stack (`npm run fuzz:sip`
 * runs these and those of @sotto/chat, the SDP reader, the SIP framing and
 * the web page's validators through the same engine).
 *
 * Linear time is checked by the command line only (never in vitest): with
 * `slowCaseMs`, a case whose check takes longer fails as a hang. The bound
 * is generous (a wall clock on a shared machine); the inputs that probe it
 * are the targets' long pumped ones.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';

/** A fuzz target. */
export interface Target<C> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<C>;
  /** Feeds one case; throws when an invariant breaks. Returns the inputs fed. */
  check(testCase: C): number;
  /** Heap growth (bytes) beyond which the run fails. */
  readonly heapBoundBytes: number;
  start?(): void;
  stop?(): void;
}

/** Options of one run. */
export interface RunOptions {
  readonly seconds?: number;
  readonly runs?: number;
  readonly seed?: number;
  readonly path?: string;
  /** Fail a case whose check takes longer than this (ms); the command line only. */
  readonly slowCaseMs?: number;
}

/** The outcome of one run. */
export interface RunResult {
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  readonly inputs: number;
  readonly maxHeapGrowth: number;
  /** The longest a case's check took, ms. */
  readonly slowestCaseMs: number;
  readonly failure?: { readonly message: string; readonly path: string | null; readonly counterexample: string };
}

type Gc = () => void;

function findGc(): Gc | undefined {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}

function retained(gc: Gc | undefined): number {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Runs `target` for the time or number of cases asked. */
export function runTarget<C>(target: Target<C>, options: RunOptions = {}): RunResult {
  const gc = findGc();
  const seed = options.seed ?? ((Date.now() ^ (Math.random() * 0x100000000)) >>> 0);
  let inputs = 0;
  let baseline: number | undefined;
  let maxGrowth = 0;
  let cases = 0;
  let slowest = 0;
  const property = fc.property(target.arbitrary, (testCase) => {
    const started = performance.now();
    inputs += target.check(testCase);
    const took = performance.now() - started;
    slowest = Math.max(slowest, took);
    if (options.slowCaseMs !== undefined && took > options.slowCaseMs) throw new Error(`hang: one case took ${took.toFixed(0)} ms (bound ${options.slowCaseMs} ms)`);
    cases++;
    if (baseline === undefined) baseline = retained(gc);
    else if (cases % 200 === 0) {
      maxGrowth = Math.max(maxGrowth, retained(gc) - baseline);
      if (maxGrowth > target.heapBoundBytes) throw new Error(`heap grew by ${maxGrowth} bytes (bound ${target.heapBoundBytes})`);
    }
  });
  const seconds = options.seconds ?? (options.runs === undefined ? 20 : undefined);
  target.start?.();
  let details: fc.RunDetails<[C]>;
  try {
    details = fc.check(property, {
      seed,
      numRuns: options.runs ?? 2_000_000_000,
      ...(options.path === undefined ? {} : { path: options.path, endOnFailure: true }),
      ...(seconds === undefined ? {} : { interruptAfterTimeLimit: seconds * 1000 }),
    });
    if (baseline !== undefined) maxGrowth = Math.max(maxGrowth, retained(gc) - baseline);
  } finally {
    target.stop?.();
  }
  const base = { target: target.name, seed: details.seed, runs: details.numRuns, inputs, maxHeapGrowth: maxGrowth, slowestCaseMs: slowest };
  if (details.failed && details.counterexample !== null) {
    const error = details.errorInstance;
    const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    return { ...base, failure: { message, path: details.counterexamplePath, counterexample: fc.stringify(details.counterexample[0]).slice(0, 4000) } };
  }
  return base;
}
