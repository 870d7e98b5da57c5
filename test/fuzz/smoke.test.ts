/**
 * CI smoke run, with a fixed seed and a few hundred cases each, of the fuzz
 * targets of the SIP/MSRP chat decoders beyond MSRP's own (those have
 * packages/msrp/test/fuzz/smoke.test.ts). No time bound here: the long runs,
 * which check one, are `npm run fuzz:sip`.
 */
import { describe, expect, it } from 'vitest';
import { runTarget, type Target } from '../../packages/msrp/test/fuzz/engine.js';
import { chatTargets } from './chat-targets.js';
import { sipTargets } from './sip-targets.js';

const RUNS: Readonly<Record<string, number>> = { 'chat-stream': 100, 'sip-framing-trickle': 20 };

describe('SIP/MSRP chat fuzz targets (smoke)', () => {
  for (const target of [...chatTargets, ...sipTargets] as Target<never>[]) {
    it(target.name, () => {
      const result = runTarget(target, { seed: 20261206, runs: RUNS[target.name] ?? 300 });
      if (result.failure !== undefined) {
        expect.fail(`${result.failure.message}\ncounterexample: ${result.failure.counterexample}\nreplay: npm run fuzz:sip -- --target ${target.name} --seed=${result.seed} --path ${result.failure.path ?? ''}`);
      }
      expect(result.inputs).toBeGreaterThan(0);
    });
  }
});
