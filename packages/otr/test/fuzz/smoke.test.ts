/**
 * CI smoke run of every fuzz target: a few thousand decoder inputs each and
 * a few dozen whole conversations, with a fixed seed. The long runs are
 * `npm run fuzz` (see SECURITY.md, "Fuzzing").
 */
import { describe, expect, it } from 'vitest';
import { runTarget } from './engine.js';
import { targets } from './targets.js';

const SEED = 20261203;

describe('fuzz targets (smoke)', () => {
  for (const target of targets) {
    it(target.name, () => {
      const result = runTarget(target, { seed: SEED, runs: target.kind === 'decoder' ? 30 : 40 });
      const failure = result.failure;
      if (failure !== undefined) {
        expect.fail(`${failure.kind}: ${failure.message}\ncounterexample: ${failure.counterexample}\nreplay: npm run fuzz -- --target ${target.name} --seed=${failure.seed} --path ${failure.path ?? ''}`);
      }
      expect(result.inputs).toBeGreaterThan(0);
      expect(result.crashes + result.hangs).toBe(0);
    });
  }
});
