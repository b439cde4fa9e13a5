import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { writePulledRecords, type PulledVersion } from '../../sync-engine/src/records/record-row.js';
import { COUNTED_MATCHES } from '../../sync-engine/src/search/record-search.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture } from '../engine/support/engine-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

// A search too broad to count (search/record-search.ts: exact up to COUNTED_MATCHES) says "more
// than" through the admin API and the CLI, instead of giving the floor as the number of matches.
test('a search matching more than COUNTED_MATCHES records answers totalCapped through the service and says "more than" in the CLI', async () => {
  const seeded = await openEngineFixture();
  const dir = seeded.dir;
  try {
    const data = validBirth();
    const rows: PulledVersion[] = Array.from({ length: COUNTED_MATCHES + 1 }, (_, i) => ({
      id: uuidv7(),
      data,
      rev: i + 1,
      searchText: i === 0 ? 'nguyen thi huong' : 'nguyen van an',
      updatedAt: '2025-10-01T00:00:00.000Z',
      updatedBy: { national: true },
    }));
    await seeded.store.transaction((tx) => writePulledRecords(tx, DATASET, 1, rows), { durable: false });
    await seeded.store.close();

    const service = await createAgentService({ dataDir: dir, user: 'clerk', onError: () => undefined });
    try {
      const broad = await service.call('records.list', { dataset: DATASET, search: 'nguyen', limit: 2 });
      assert.ok(broad.ok);
      assert.deepEqual({ total: broad.value.total, totalCapped: broad.value.totalCapped, items: broad.value.items.length }, { total: COUNTED_MATCHES, totalCapped: true, items: 2 });
      const narrow = await service.call('records.list', { dataset: DATASET, search: 'nguyen thi', limit: 2 });
      assert.ok(narrow.ok);
      assert.deepEqual({ total: narrow.value.total, totalCapped: narrow.value.totalCapped }, { total: 1, totalCapped: undefined });
      const listed = await service.call('records.list', { dataset: DATASET, limit: 2 });
      assert.ok(listed.ok);
      assert.deepEqual({ total: listed.value.total, totalCapped: listed.value.totalCapped }, { total: COUNTED_MATCHES + 1, totalCapped: undefined }, 'a list is counted exactly');
    } finally {
      await service.close();
    }

    const vi = await cli(dir, ['records', 'list', DATASET, '--search', 'nguyen', '--limit', '2']);
    assert.equal(vi.code, 0, vi.stderr);
    assert.match(vi.stdout, new RegExp(`2 / hơn ${COUNTED_MATCHES} bản ghi`));
    const en = await cli(dir, ['--lang', 'en', 'records', 'list', DATASET, '--search', 'nguyen', '--limit', '2']);
    assert.match(en.stdout, new RegExp(`2 of more than ${COUNTED_MATCHES} records`));
    const json = await cli(dir, ['--json', 'records', 'list', DATASET, '--search', 'nguyen', '--limit', '2']);
    assert.deepEqual({ total: json.json.total, totalCapped: json.json.totalCapped }, { total: COUNTED_MATCHES, totalCapped: true });
    const exact = await cli(dir, ['records', 'list', DATASET, '--search', 'nguyen thi']);
    assert.match(exact.stdout, /1 \/ 1 bản ghi/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
