/**
 * Runs a fuzz target with fast-check: cases come from the target's seeded
 * arbitrary, each case is checked by the target (which counts the real
 * inputs it fed to the library), and a failure comes back with the seed and
 * path that replay it (`--seed S --path P`).
 *
 * Retained memory: a target may keep state alive across cases (`start`
 * makes it, `stop` drops it; the receiver target keeps one account for the
 * whole run), so what the library retains from one input shows up in later
 * measurements instead of being dropped with the case. The heap and the
 * array buffers are measured after a forced garbage collection once the
 * first case has run (the baseline), every so often, and at the end with
 * the state still alive; growth over the baseline beyond the target's bound
 * fails the run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';

/** Counters a target's check updates. */
export interface Stats {
  /** Inputs fed to the library (decoder calls, or received messages and calls of a conversation). */
  inputs: number;
  /** Named counters a target keeps to show what it reached (e.g. secure sessions). */
  readonly counters: Record<string, number>;
}

/** A fuzz target. */
export interface Target<C> {
  readonly name: string;
  /** decoder or conversation. */
  readonly kind: 'decoder' | 'conversation';
  readonly arbitrary: fc.Arbitrary<C>;
  /** Feeds one case to the library; throws {@link FuzzFailure} (or anything) when an invariant breaks. */
  check(testCase: C, stats: Stats): void;
  /** A short, reproducible description of a case (for the report). */
  describe(testCase: C): string;
  /** Heap growth (bytes) beyond which the target fails. */
  readonly heapBoundBytes: number;
  /** Makes the state kept across the cases of one run (e.g. a long-lived account). */
  start?(): void;
  /** Drops that state, after the last measurement. */
  stop?(): void;
}

/** Why a case failed. */
export type FailureKind = 'crash' | 'hang' | 'heap' | 'invariant';

/** An invariant violation found by a target. */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** Options of one run. */
export interface RunOptions {
  /** Stop after this long (default 20 s unless `runs` is given). */
  readonly seconds?: number;
  /** Stop after this many fast-check cases. */
  readonly runs?: number;
  /** fast-check seed (default: random). */
  readonly seed?: number;
  /** fast-check path, to replay one case of a seed. */
  readonly path?: string;
  /** Progress for a watchdog: [0] = cases started, written with Atomics. */
  readonly progress?: Int32Array;
  /** Measure the heap about this often (ms, default 2000). */
  readonly heapEveryMs?: number;
}

/** The outcome of one run. */
export interface RunResult {
  readonly target: string;
  readonly seed: number;
  /** fast-check cases run. */
  readonly runs: number;
  /** Library inputs fed. */
  readonly inputs: number;
  readonly crashes: number;
  readonly hangs: number;
  /** Largest heap growth seen over the baseline, bytes. */
  readonly maxHeapGrowth: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly heapMeasuredWithGc: boolean;
  readonly elapsedMs: number;
  readonly failure?: {
    readonly kind: FailureKind;
    readonly message: string;
    readonly seed: number;
    readonly path: string | null;
    readonly counterexample: string;
  };
}

type Gc = () => void;

/** The V8 collector: `global.gc` under --expose-gc, else enabled at run time. */
export function findGc(): Gc | undefined {
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

/** Bytes in use on the V8 heap and in array buffers (where byte buffers live), after a collection when one is available. */
export function retainedBytes(gc: Gc | undefined): number {
  if (gc !== undefined) {
    gc();
    gc();
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Runs `target` for the time or number of cases asked. */
export function runTarget<C>(target: Target<C>, options: RunOptions = {}): RunResult {
  const gc = findGc();
  const seed = options.seed ?? ((Date.now() ^ (Math.random() * 0x100000000)) >>> 0);
  const stats: Stats = { inputs: 0, counters: {} };
  const heapEveryMs = options.heapEveryMs ?? 2000;
  const started = performance.now();
  let cases = 0;
  let baseline: number | undefined;
  let maxGrowth = 0;
  let nextHeapCheck = started + Math.min(heapEveryMs, 500);
  let heapFailure: string | undefined;

  const measure = (): void => {
    const used = retainedBytes(gc);
    if (baseline === undefined) baseline = used;
    else maxGrowth = Math.max(maxGrowth, used - baseline);
  };
  // The baseline is taken after the first case, once the corpora, the JIT
  // and the target's caches (keys, pools) exist.
  const property = fc.property(target.arbitrary, (testCase) => {
    if (options.progress !== undefined) Atomics.store(options.progress, 0, cases);
    cases++;
    if (heapFailure !== undefined) throw new FuzzFailure('heap', heapFailure);
    target.check(testCase, stats);
    if (baseline === undefined) {
      measure();
      return;
    }
    const now = performance.now();
    if (now >= nextHeapCheck) {
      measure();
      nextHeapCheck = performance.now() + heapEveryMs;
      if (maxGrowth > target.heapBoundBytes) {
        heapFailure = `heap grew by ${maxGrowth} bytes (bound ${target.heapBoundBytes})`;
        throw new FuzzFailure('heap', heapFailure);
      }
    }
  });

  const seconds = options.seconds ?? (options.runs === undefined ? 20 : undefined);
  const parameters: fc.Parameters<[C]> = {
    seed,
    numRuns: options.runs ?? 2_000_000_000,
    endOnFailure: options.path !== undefined,
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(seconds === undefined ? {} : { plugins: [fc.interruptAfterTimeLimit(seconds * 1000) as fc.Plugin<[C]>] }),
  };
  target.start?.();
  let details: fc.RunDetails<[C]>;
  try {
    details = fc.check(property, parameters);
    measure();
  } finally {
    target.stop?.();
  }
  if (maxGrowth > target.heapBoundBytes && heapFailure === undefined) heapFailure = `heap grew by ${maxGrowth} bytes (bound ${target.heapBoundBytes})`;
  const elapsedMs = performance.now() - started;

  const base = {
    target: target.name,
    seed: details.seed,
    runs: details.numRuns,
    inputs: stats.inputs,
    maxHeapGrowth: maxGrowth,
    counters: stats.counters,
    heapMeasuredWithGc: gc !== undefined,
    elapsedMs,
  };
  if (details.failed && details.counterexample !== null) {
    const error = details.errorInstance;
    const kind: FailureKind = error instanceof FuzzFailure ? error.kind : 'crash';
    const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    const failure = { kind, message, seed: details.seed, path: details.counterexamplePath, counterexample: target.describe(details.counterexample[0]) };
    return { ...base, crashes: kind === 'crash' || kind === 'invariant' ? 1 : 0, hangs: kind === 'hang' ? 1 : 0, failure };
  }
  if (heapFailure !== undefined) {
    return { ...base, crashes: 0, hangs: 0, failure: { kind: 'heap', message: heapFailure, seed: details.seed, path: null, counterexample: '(the whole run)' } };
  }
  return { ...base, crashes: 0, hangs: 0 };
}

/** Calls `body`, failing with a `hang` when it takes longer than `boundMs` three times running. */
export function timed<T>(boundMs: number, what: () => string, body: () => T): T {
  const start = performance.now();
  const result = body();
  if (performance.now() - start <= boundMs) return result;
  // A slow call may be a garbage collection or a busy machine: try again.
  for (let attempt = 0; attempt < 2; attempt++) {
    const again = performance.now();
    body();
    if (performance.now() - again <= boundMs) return result;
  }
  throw new FuzzFailure('hang', `${what()} took more than ${boundMs} ms three times`);
}
