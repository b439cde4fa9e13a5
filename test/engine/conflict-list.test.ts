import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { conflictListQuery } from '../../sync-engine/src/conflicts/conflict-rows.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

/**
 * Settled conflicts are listed newest settled first (the window's history of them, `conflicts list --resolved`),
 * and only grow: they are read in that order on their index, a page at a time, never sorted whole.
 */
let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture({ bare: true });
});
afterEach(async () => {
  await f.close();
});

test('settled conflicts are read newest settled first on ix_conflicts_resolved, with or without a dataset, never sorted whole', async () => {
  for (const filter of [{ status: 'resolved' as const }, { status: 'resolved' as const, dataset: 'civil-status-births' }]) {
    const { sql, params } = conflictListQuery({ ...filter, limit: 50, offset: 100 });
    const plan = (await f.store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((p) => p.detail);
    assert.deepEqual(plan, ['SEARCH conflicts USING INDEX ix_conflicts_resolved (status=?)'], JSON.stringify(filter));
  }
});
