/**
 * CI smoke run of every MSRP fuzz target with a fixed seed and a few
 * hundred cases. The long runs are `npm run fuzz:msrp`.
 */
import { describe, expect, it } from 'vitest';
import { runTarget } from './engine.js';
import { targets } from './targets.js';

describe('msrp fuzz targets (smoke)', () => {
  for (const target of targets) {
    it(target.name, () => {
      const result = runTarget(target, { seed: 20261206, runs: 150 });
      if (result.failure !== undefined) {
        expect.fail(`${result.failure.message}\ncounterexample: ${result.failure.counterexample}\nreplay: npm run fuzz:msrp -- --target ${target.name} --seed=${result.seed} --path ${result.failure.path ?? ''}`);
      }
      expect(result.inputs).toBeGreaterThan(0);
    });
  }
});
