/**
 * `node --import tsx test/bench/record-filters.ts [records]` (default 100,000): the Records list's
 * schema filters (records/record-filter.ts) on a store of generated procedure dossiers of one
 * province, without and then with their expression indexes: a filtered first page (50 rows and the
 * total), each the median of 5. Also what the indexes cost: their build over the cache (and what a
 * local save asked for during it takes: the build gives way to it), and a pulled append of 10,000
 * records without and with them. Prints figures only; asserts nothing
 * (docs/performance.md, "Records filters").
 */
import { performance } from 'node:perf_hooks';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { buildSearchText } from '../../sync-engine/src/domain/search-fold.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { buildFilterIndexes } from '../../sync-engine/src/records/filter-index-build.js';
import { dropStaleFilterIndexes, type RecordFilter } from '../../sync-engine/src/records/record-filter.js';
import { saveCursor } from '../../sync-engine/src/sync/cursor-store.js';
import { writePulledRecords, type PulledVersion } from '../../sync-engine/src/records/record-row.js';
import { searchFieldsOf } from '../../sync-engine/src/store/catalog-cache.js';
import { openEngineFixture, type EngineFixture } from '../engine/support/engine-fixture.js';

const DS = 'procedure-dossiers';
const descriptor = DATASETS.find((d) => d.name === DS)!;
const total = Number(process.argv[2] ?? 100_000);
const generator = createSampleGenerator(7);

async function pull(f: EngineFixture, n: number): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < n; done += 1000) {
    const rows: PulledVersion[] = Array.from({ length: Math.min(1000, n - done) }, (_, i) => {
      const data = generator.dossier('01') as unknown as Record<string, unknown>;
      return { id: uuidv7(), data, rev: done + i + 1, searchText: buildSearchText(data, searchFieldsOf(descriptor)), updatedAt: new Date(Date.UTC(2025, 8, 1) + done + i).toISOString(), updatedBy: { national: true } };
    });
    await f.store.transaction((tx) => writePulledRecords(tx, DS, 1, rows), { durable: false });
  }
  return performance.now() - started;
}

/** A first page counts its total: the counts kept since the last write (store/count-cache.ts) are forgotten. */
function forgetCounts(f: EngineFixture): void {
  (f.store.counts as unknown as { kept: Map<string, unknown> }).kept.clear();
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

const f = await openEngineFixture();
try {
  await pull(f, total);
  const commune = String((JSON.parse((await f.store.sql.get<{ data: string }>(`SELECT "data" FROM "records" WHERE "dataset" = ? LIMIT 1`, [DS]))!.data) as Record<string, unknown>)['communeCode']);
  const cases: Array<[string, RecordFilter, string]> = [
    ['status = processing', { fields: { status: 'processing' } }, ''],
    [`commune = ${commune}`, { fields: { communeCode: commune } }, ''],
    ['overdue', { due: 'overdue' }, ''],
    ['due today', { due: 'today' }, ''],
    ['overdue + commune', { due: 'overdue', fields: { communeCode: commune } }, ''],
    ['search "nguyen" + processing', { fields: { status: 'processing' } }, 'nguyen'],
  ];
  const measure = async (label: string) => {
    for (const [name, filter, search] of cases) {
      forgetCounts(f);
      const page = search ? await f.search.searchRecords(DS, search, { filter, limit: 50 }) : await f.reads.list(DS, { filter, limit: 50 });
      const ms = await median(async () => {
        forgetCounts(f);
        return search ? f.search.searchRecords(DS, search, { filter, limit: 50 }) : f.reads.list(DS, { filter, limit: 50 });
      });
      console.log(`${label}\t${name}\t${page.total} matching\t${ms.toFixed(1)} ms`);
    }
  };
  await measure('no index');
  // The indexes are built for a dataset whose pull has caught up once.
  await f.store.transaction((tx) => saveCursor(tx, DS, `c0:${total}`, true, new Date().toISOString()));
  // A local save asked for 1 s into the build stops it (the build is run again below); what the save took, against one after.
  const save = async (n: number) => {
    const asked = performance.now();
    await f.writes.put(DS, { ...generator.dossier('01'), dossierNumber: `BENCH-SAVE-${n}` });
    return performance.now() - asked;
  };
  const during = buildFilterIndexes(f.ctx);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const saved = await save(1);
  const gaveWay = !(await during);
  console.log(`a local save 1 s into the build: ${saved.toFixed(0)} ms (the build ${gaveWay ? 'gave way' : 'went on to the end'}); the next save: ${(await save(2)).toFixed(0)} ms`);
  const started = performance.now();
  const built = await buildFilterIndexes(f.ctx);
  console.log(`index build over ${total} records: ${(performance.now() - started).toFixed(0)} ms${built ? '' : ' (gave way)'}`);
  await measure('indexed');
  const withIndexes = await pull(f, 10_000);
  await f.store.transaction((tx) => dropStaleFilterIndexes(tx, []));
  const without = await pull(f, 10_000);
  console.log(`pulled append of 10,000: ${without.toFixed(0)} ms without the filter indexes, ${withIndexes.toFixed(0)} ms with them`);
} finally {
  await f.close();
}
