import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { conflictListQuery, upsertOpenConflict } from '../../sync-engine/src/conflicts/conflict-rows.js';
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

test('the open conflicts filter by dataset and kind over all of them, newest first, each filter counted whole (not one page)', async () => {
  const kinds = ['fields', 'delete-vs-edit', 'possible-duplicate'] as const;
  // 250 open conflicts, more than the window's page of 200; every tenth a delete against an edit, the last ones oldest.
  for (let i = 0; i < 250; i++) {
    const kind = i % 10 === 9 ? kinds[1] : i % 25 === 0 ? kinds[2] : kinds[0];
    const dataset = i % 2 === 0 ? 'civil-status-births' : 'procedure-dossiers';
    const side = { data: { registrar: `Cán bộ ${i}` }, deleted: false };
    const at = new Date(Date.UTC(2026, 10, 1) + (250 - i) * 60_000).toISOString();
    await upsertOpenConflict(
      f.store.sql,
      { dataset, recordId: `r-${i}`, kind, base: side, local: side, remote: side, remoteRev: 2, fields: [{ field: 'registrar', base: 'a', local: 'b', remote: 'c' }], details: {}, existingId: null },
      () => `c-${String(i).padStart(3, '0')}`,
      at,
    );
  }
  const deletes = await f.conflicts.list({ status: 'open', kind: 'delete-vs-edit', limit: 200 });
  assert.deepEqual(
    deletes.map((c) => c.id),
    Array.from({ length: 25 }, (_, k) => `c-${String(10 * k + 9).padStart(3, '0')}`),
    'all 25, the ones past the first 200 too, newest first',
  );
  assert.equal(await f.conflicts.count({ status: 'open', kind: 'delete-vs-edit' }), 25);
  const births = await f.conflicts.list({ status: 'open', dataset: 'civil-status-births', kind: 'fields', limit: 1000 });
  assert.ok(births.every((c) => c.dataset === 'civil-status-births' && c.kind === 'fields'));
  assert.equal(births.length, 120, 'the 125 births (even i) less the five possible duplicates among them (i % 50 === 0); the deletes are all dossiers');
  assert.equal(await f.conflicts.count({ status: 'open', dataset: 'civil-status-births', kind: 'fields' }), births.length);
  assert.equal(await f.conflicts.count({ status: 'open' }), 250);
  assert.equal(await f.conflicts.count({ status: 'resolved' }), 0);
});
