import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildSearchText } from '../../sync-engine/src/domain/search-fold.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import { FilterNotOffered, dropStaleFilterIndexes, filterIndexes, filterTerms } from '../../sync-engine/src/records/record-filter.js';
import { buildFilterIndexes } from '../../sync-engine/src/records/filter-index-build.js';
import { listQuery } from '../../sync-engine/src/records/record-reads.js';
import { writeRecord, type RecordState } from '../../sync-engine/src/records/record-row.js';
import { recordPages } from '../../sync-engine/src/export/record-pages.js';
import { searchFieldsOf } from '../../sync-engine/src/store/catalog-cache.js';
import { DOSSIERS, validDossier } from '../datasets/fixtures.js';
import { refreshCatalog } from '../../sync-engine/src/sync/catalog-refresh.js';
import { beginResync, saveCursor } from '../../sync-engine/src/sync/cursor-store.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

// "Today" is the computer's calendar day: these offices keep Vietnam time. The clock: 2025-10-01 09:00 there.
process.env.TZ = 'Asia/Ho_Chi_Minh';
const DS = 'procedure-dossiers';
let f: EngineFixture;
const ids: Record<string, string> = {};

async function seed(key: string, data: Record<string, unknown>, state: RecordState = 'synced', updatedAt = '2025-09-30T00:00:00.000Z'): Promise<void> {
  const id = `0199a000-0000-7000-8000-${String(Object.keys(ids).length + 1).padStart(12, '0')}`;
  ids[key] = id;
  await f.store.transaction((tx) =>
    writeRecord(tx, {
      dataset: DS,
      id,
      data,
      deleted: false,
      rev: 1,
      baseData: data,
      baseDeleted: false,
      state,
      searchText: buildSearchText(data, searchFieldsOf(DOSSIERS)),
      updatedAt,
      updatedBy: null,
      pullGen: 0,
    }),
  );
}
const keysOf = (items: readonly { id: string }[]) => items.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0] ?? r.id);

before(async () => {
  f = await openEngineFixture();
  const d = (n: number, over: Record<string, unknown>) => validDossier({ dossierNumber: `D-${n}`, receivedAt: '2025-08-01T01:00:00Z', ...over });
  await seed('A', d(1, { appointmentAt: '2025-09-20T02:00:00Z', status: 'processing' }), 'synced', '2025-09-30T01:00:00.000Z');
  await seed('B', d(2, { appointmentAt: '2025-09-28T02:00:00Z', status: 'received' }), 'synced', '2025-09-30T02:00:00.000Z');
  await seed('C', d(3, { appointmentAt: '2025-09-10T02:00:00Z', status: 'completed' }), 'synced', '2025-09-30T03:00:00.000Z');
  await seed('D', d(4, { appointmentAt: '2025-10-01T08:00:00Z', status: 'processing' }), 'synced', '2025-09-30T04:00:00.000Z');
  // 08:30 in Vietnam is 01:30 UTC, before the clock's 02:00 UTC: late, though its text sorts after the clock's.
  await seed('E', d(5, { appointmentAt: '2025-10-01T08:30:00+07:00', status: 'received' }), 'waiting', '2025-09-30T05:00:00.000Z');
  // 01:00 on 2 October in Vietnam: still 1 October in UTC, not due today.
  await seed('F', d(6, { appointmentAt: '2025-10-01T18:00:00Z', status: 'processing' }), 'synced', '2025-09-30T06:00:00.000Z');
  await seed('G', d(7, { appointmentAt: '2025-09-01T02:00:00Z', status: 'cancelled' }), 'synced', '2025-09-30T07:00:00.000Z');
  await seed('H', d(8, { appointmentAt: '2025-09-25T02:00:00Z', status: 'processing', communeCode: '26734', applicantName: 'Nguyễn Văn Hải' }), 'synced', '2025-09-30T08:00:00.000Z');
  await seed('R', d(9, { appointmentAt: '2025-09-12T02:00:00Z', status: 'returned' }), 'synced', '2025-09-30T09:00:00.000Z');
});
after(async () => f.close());

test('"hồ sơ trễ hẹn": dossiers whose appointment is past and that are neither completed, returned nor cancelled, the oldest appointment first, counted', async () => {
  const page = await f.reads.list(DS, { filter: { due: 'overdue' } });
  assert.deepEqual(keysOf(page.items), ['A', 'H', 'B', 'E']);
  assert.equal(page.total, 4);
  const second = await f.reads.list(DS, { filter: { due: 'overdue' }, limit: 2, offset: 2 });
  assert.deepEqual(keysOf(second.items), ['B', 'E'], 'paged in the same order');
});

test('"đến hạn hôm nay": due on the computer\'s calendar day (Vietnam time here), not done, earliest first', async () => {
  const page = await f.reads.list(DS, { filter: { due: 'today' } });
  assert.deepEqual(keysOf(page.items), ['E', 'D']);
  assert.equal(page.total, 2);
});

test('a status and a commune filter, alone and together with the due filter, the state filter and the search', async () => {
  const processing = await f.reads.list(DS, { filter: { fields: { status: 'processing' } } });
  assert.deepEqual(keysOf(processing.items), ['H', 'F', 'D', 'A'], 'newest change first');
  assert.equal(processing.total, 4);
  const commune = await f.reads.list(DS, { filter: { fields: { communeCode: '26734' } } });
  assert.deepEqual([keysOf(commune.items), commune.total], [['H'], 1]);
  const both = await f.reads.list(DS, { filter: { fields: { communeCode: '25747' }, due: 'overdue' } });
  assert.deepEqual(keysOf(both.items), ['A', 'B', 'E']);
  const waitingLate = await f.reads.list(DS, { state: 'waiting', filter: { due: 'overdue' } });
  assert.deepEqual([keysOf(waitingLate.items), waitingLate.total], [['E'], 1]);
  const syncedLate = await f.reads.list(DS, { state: 'synced', filter: { due: 'overdue' } });
  assert.deepEqual([keysOf(syncedLate.items), syncedLate.total], [['A', 'H', 'B'], 3]);
  const found = await f.search.searchRecords(DS, 'nguyen', { filter: { fields: { status: 'processing' } } });
  assert.deepEqual([keysOf(found.items), found.total], [['H'], 1]);
  const none = await f.search.searchRecords(DS, 'nguyen', { filter: { fields: { status: 'completed' } } });
  assert.deepEqual([none.items, none.total], [[], 0]);
  const unfiltered = await f.reads.list(DS, {});
  assert.equal(unfiltered.total, 9, 'no filter: every record');
});

test('the export takes the same filters: "export the overdue dossiers" writes those four', async () => {
  const rows: string[] = [];
  for await (const page of recordPages(f.store.sql, DOSSIERS, { filter: { due: 'overdue' }, now: f.clock.now() })) {
    for (const r of page) rows.push(String((JSON.parse(r.data!) as { dossierNumber: string }).dossierNumber));
  }
  assert.deepEqual(rows.sort(), ['D-1', 'D-2', 'D-5', 'D-8']);
  const searched: string[] = [];
  for await (const page of recordPages(f.store.sql, DOSSIERS, { search: 'nguyen', filter: { fields: { status: 'completed' } } })) searched.push(...page.map((r) => String(r.rid)));
  assert.deepEqual(searched, []);
});

test('a filter the schema does not offer is refused: an unmarked field, a value outside the list, a deadline on a dataset without one', () => {
  const births = DATASETS.find((d) => d.name === 'civil-status-births')!;
  assert.throws(() => filterTerms(DOSSIERS, { fields: { applicantName: 'x' } }, 0), FilterNotOffered);
  assert.throws(() => filterTerms(DOSSIERS, { fields: { status: 'lost' } }, 0), FilterNotOffered);
  assert.throws(() => filterTerms(births, { due: 'overdue' }, 0), FilterNotOffered);
  assert.equal(filterTerms(births, { fields: { communeCode: '00004' } }, 0)?.where.length, 3);
});

test("the filters are served by the dataset's expression indexes, made from the catalog and dropped with it", async () => {
  const db = f.store.sql;
  const names = async () => (await db.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "name" LIKE 'ix_rf_%' ORDER BY 1`)).map((r) => r.name);
  assert.deepEqual(await names(), [], 'the fixture caches the catalog without refreshing it');
  // Indexes are made for the datasets whose pull has caught up once (below): these are, as if pulled.
  await f.store.transaction(async (tx) => {
    for (const d of DATASETS) await saveCursor(tx, d.name, 'c0:1', true, '2025-09-30T00:00:00.000Z');
  });
  assert.equal(await buildFilterIndexes(f.ctx), true);
  assert.deepEqual(await names(), DATASETS.flatMap(filterIndexes).map((i) => i.name).sort());
  await f.store.transaction((tx) => dropStaleFilterIndexes(tx, DATASETS.filter((d) => d.name !== DS)));
  assert.deepEqual(await names(), DATASETS.filter((d) => d.name !== DS).flatMap(filterIndexes).map((i) => i.name).sort());
  assert.equal((await f.reads.list(DS, { filter: { due: 'overdue' } })).total, 4, 'without its index a filter is still answered');
  assert.equal(await buildFilterIndexes(f.ctx), true);
  // Last: an EXPLAIN statement kept prepared holds the schema, and a DROP INDEX after it would wait on it.
  const plan = async (filter: Parameters<typeof filterTerms>[1]) => {
    const q = listQuery(DS, { terms: filterTerms(DOSSIERS, filter, f.clock.now()) });
    const steps = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.page.sql}`, [...q.page.params, 50, 0]);
    return steps.map((s) => s.detail).join(' | ');
  };
  assert.match(await plan({ fields: { status: 'processing' } }), /USING (COVERING )?INDEX ix_rf_/);
  assert.match(await plan({ fields: { communeCode: '25747' } }), /USING (COVERING )?INDEX ix_rf_/);
  assert.match(await plan({ due: 'overdue' }), /USING (COVERING )?INDEX ix_rf_/);
  // Late dossiers of one commune: the commune's index, the deadline checked in its rows (not every late dossier of the province read).
  assert.match(await plan({ due: 'overdue', fields: { communeCode: '25747' } }), /USING INDEX ix_rf_\w+ \(dataset=\? AND deleted=\? AND <expr>=\?\)/);
});

test("the filter indexes a catalog's schemas ask for are built once a dataset's pull has caught up (an initial pull writes without them), kept through a resync, and dropped by the refresh of a changed schema that no longer asks for them", async () => {
  const g = await openEngineFixture();
  try {
    const names = async () => (await g.store.sql.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "name" LIKE 'ix_rf_%' ORDER BY 1`)).map((r) => r.name);
    const platform = new ScriptedPlatform();
    const births = 'civil-status-births';
    for (let i = 1; i <= 3; i++) platform.put(births, `0199b000-0000-7000-8000-00000000000${i}`, 1, { fullName: `Người ${i}` });
    // The initial pull writes without the filter indexes; they are built after it (between runs: the service's FilterIndexBuilder).
    await new SyncRun({ ctx: g.ctx, client: platform }).run('schedule');
    assert.deepEqual(await names(), [], 'not made while the datasets were pulled from the beginning');
    assert.equal((await g.reads.list(births, { filter: { fields: { communeCode: '00004' } } })).total, 0, 'a filter is answered without them meanwhile');
    await refreshCatalog(g.ctx, platform);
    await buildFilterIndexes(g.ctx);
    assert.deepEqual(await names(), platform.datasets.flatMap(filterIndexes).map((i) => i.name).sort());
    // A resync (the platform purged, say) keeps them: only a dataset never caught up goes without.
    await g.store.transaction((tx) => beginResync(tx, births, '2025-10-01T00:00:00.000Z'));
    await refreshCatalog(g.ctx, platform);
    await buildFilterIndexes(g.ctx);
    assert.deepEqual(await names(), platform.datasets.flatMap(filterIndexes).map((i) => i.name).sort());
    // The next version of the dossiers no longer filters by status.
    const unmark = (d: (typeof DATASETS)[number]) => {
      const properties = { ...(d.schema['properties'] as Record<string, Record<string, unknown>>) };
      const { 'x-filter': _dropped, ...status } = properties['status']!;
      return { ...d, version: d.version + 1, schema: { ...d.schema, properties: { ...properties, status } } };
    };
    platform.datasets = platform.datasets.map((d) => (d.name === DS ? unmark(d) : d));
    await refreshCatalog(g.ctx, platform);
    assert.deepEqual(await names(), platform.datasets.flatMap(filterIndexes).map((i) => i.name).sort());
    assert.equal(platform.datasets.flatMap(filterIndexes).length, DATASETS.flatMap(filterIndexes).length - 1);
  } finally {
    await g.close();
  }
});
