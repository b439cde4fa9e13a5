import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reportScenario, runScenario, type ScenarioOptions } from './support/scenario.js';

/**
 * Three offices of Hà Nội and the national side edit at random while every
 * call between offices and platform crosses a fault-injecting proxy. After the
 * network heals, nothing may be lost and nothing doubled. Fast by default;
 * SOAK=1 runs longer and more seeds; RELIABILITY_SEED replays one seed and
 * RELIABILITY_STEPS sets the number of random steps.
 */
const SOAK = process.env['SOAK'] === '1';
const STEPS = Number(process.env['RELIABILITY_STEPS'] ?? (SOAK ? 300 : 30));
const SEEDS = process.env['RELIABILITY_SEED'] ? [Number(process.env['RELIABILITY_SEED'])] : SOAK ? [11, 12, 13, 14, 15] : [11];

const SCENARIOS: Array<Omit<ScenarioOptions, 'seed' | 'steps'>> = [
  { name: 'lossy-network', rates: { 'reset-before': 0.06, 'reset-after': 0.08, 'cut-body': 0.08, delay: 0.1, duplicate: 0.1 } },
  { name: 'overloaded-gateway', rates: { 'server-error': 0.07, 'too-many': 0.1, delay: 0.05 } },
  { name: 'partitions', rates: { 'reset-after': 0.03 }, partitionChance: 0.06, partitionSyncs: 4 },
  {
    name: 'everything-at-once',
    rates: { 'reset-before': 0.03, 'reset-after': 0.05, 'cut-body': 0.05, delay: 0.05, duplicate: 0.06, 'server-error': 0.04, 'too-many': 0.05 },
    partitionChance: 0.03,
    partitionSyncs: 3,
  },
];

describe('offices and the national side edit through a faulty network', () => {
  for (const scenario of SCENARIOS) {
    for (const seed of SEEDS) {
      test(`${scenario.name} (seed ${seed}): after healing nothing is lost, nothing doubled, digests equal everywhere`, async () => {
        console.log(`[reliability] ${scenario.name} seed=${seed} (replay: RELIABILITY_SEED=${seed})`);
        const result = await runScenario({ ...scenario, seed, steps: STEPS });
        reportScenario(result);
        assert.ok(result.faultsInjected > 0, 'faults were injected');
        assert.ok(result.recordsWritten > 0, 'records were written');
        assert.deepEqual(result.problems, [], `seed ${seed}`);
        assert.equal(result.lost, 0, 'no local write lost');
        assert.equal(result.duplicated, 0, 'no record or mutation doubled');
      });
    }
  }
});
