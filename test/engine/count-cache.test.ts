import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { writeRecords, type RecordRow } from '../../sync-engine/src/records/record-row.js';
import { liveCounts } from '../../sync-engine/src/service/record-views.js';
import { openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture } from './support/engine-fixture.js';

const DS = 'civil-status-births';

function synced(): RecordRow {
  const data = validBirth();
  return { dataset: DS, id: uuidv7(), data, deleted: false, rev: 1, baseData: data, baseDeleted: false, state: 'synced', searchText: 'nguyen', updatedAt: '2025-10-01T00:00:00.000Z', updatedBy: { national: true }, pullGen: 1 };
}

// A COUNT over a large cache reads a whole index (docs/performance.md, "Large caches in the window"):
// the list's total and the per-dataset counts are counted once, and again only after a write.
test('counts are read once and kept until a write of this process or another one, or a rolled-back one', async () => {
  const f = await openEngineFixture();
  try {
    await f.store.transaction((tx) => writeRecords(tx, [synced(), synced()]));
    const counted: string[] = [];
    const get = f.store.sql.get.bind(f.store.sql);
    f.store.sql.get = (sql, params) => {
      if (sql.includes('COUNT(')) counted.push(sql);
      return get(sql, params);
    };
    const all = f.store.sql.all.bind(f.store.sql);
    f.store.sql.all = (sql, params) => {
      if (sql.includes('COUNT(')) counted.push(sql);
      return all(sql, params);
    };
    const total = async (state?: 'synced' | 'waiting') => (await f.reads.list(DS, { limit: 1, ...(state ? { state } : {}) })).total;

    assert.equal(await total(), 2);
    assert.equal((await liveCounts(f.store)).get(DS), 2);
    const first = counted.length;
    assert.equal(await total(), 2);
    assert.equal((await liveCounts(f.store)).get(DS), 2);
    assert.equal(counted.length, first, 'nothing written: nothing counted again');

    // A write here counts again.
    await f.writes.put(DS, validBirth(), { user: 'clerk' });
    assert.equal(await total(), 3);
    assert.equal(await total('waiting'), 1);
    assert.equal((await liveCounts(f.store)).get(DS), 3);
    assert.ok(counted.length > first);

    // A transaction that wrote and rolled back counts again, and finds what was there.
    await assert.rejects(
      f.store.transaction(async (tx) => {
        await writeRecords(tx, [synced()]);
        assert.equal(await total(), 4, 'inside the transaction, its own write');
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.equal(await total(), 3);

    // Another connection's commit (the window's process beside the service): SQLite's data_version says so.
    const other = await openAgentStore(f.dir, { integrityCheck: false });
    try {
      await other.transaction((tx) => writeRecords(tx, [synced()]));
    } finally {
      await other.close();
    }
    assert.equal(await total(), 4);
    assert.equal(await total('synced'), 3);
    assert.equal((await liveCounts(f.store)).get(DS), 4);
  } finally {
    await f.close();
  }
});
