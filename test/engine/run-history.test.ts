import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { LAST_THROUGH_SQL } from '../../sync-engine/src/sync/run-history.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => f.close());

test('the last run that went through is read through its index, not by scanning the failed runs after it', async () => {
  const plan = await f.store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${LAST_THROUGH_SQL}`);
  assert.deepEqual(
    plan.map((p) => p.detail),
    ['SEARCH sync_runs USING INDEX ix_sync_runs_through (finished_at>?)'],
  );
});
