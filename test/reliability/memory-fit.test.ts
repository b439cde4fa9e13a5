// The soak's least-squares line (support/memory-fit.ts): slope per 1,000 runs, its standard error, the residuals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitMemory } from './support/memory-fit.js';

test('a line through memory samples: slope per 1,000 runs, its standard error, the spread about it and the range', () => {
  // value = 100 + 2 per run, with residuals +1, -1, -1, +1 at runs 0, 1000, 2000, 3000.
  const fit = fitMemory([
    { runs: 0, value: 101 },
    { runs: 1000, value: 2099 },
    { runs: 2000, value: 4099 },
    { runs: 3000, value: 6101 },
  ]);
  assert.equal(fit.slope, 2000);
  // Residuals of the fitted line: sum of squares 4, n - 2 = 2, so sd √2; Sxx = 5,000,000: error √2 / √5e6 × 1,000.
  assert.ok(Math.abs(fit.residual - Math.SQRT2) < 1e-9);
  assert.ok(Math.abs(fit.slopeError - (Math.SQRT2 / Math.sqrt(5e6)) * 1000) < 1e-9);
  assert.deepEqual([fit.min, fit.max], [101, 6101]);
});

test('a flat series has slope 0 and error 0; two samples leave the error unknown', () => {
  const flat = fitMemory([0, 250, 500].map((runs) => ({ runs, value: 7 })));
  assert.deepEqual([flat.slope, flat.slopeError, flat.residual], [0, 0, 0]);
  assert.ok(Number.isNaN(fitMemory([{ runs: 0, value: 1 }, { runs: 1, value: 2 }]).slopeError));
});
