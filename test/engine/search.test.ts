import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { buildSearchText } from '../../sync-engine/src/domain/search-fold.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { writeRecords } from '../../sync-engine/src/records/record-row.js';
import { ftsMatchExpression } from '../../sync-engine/src/search/fts-query.js';
import { RANKED_MATCHES } from '../../sync-engine/src/search/record-search.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';

const DS = 'civil-status-births';
let f: EngineFixture;
let huong: string;
let dang: string;

before(async () => {
  f = await openEngineFixture();
  const samples = createSampleGenerator(42);
  const fields = ['fullName', 'personalId', 'registrationNumber', 'fatherName', 'motherName'];
  const rows = Array.from({ length: 3000 }, () => {
    // Names that match none of the queries below (the samples' parents may be called Nguyễn Thị Hương).
    const data = { ...samples.birth('01'), fullName: 'Trần Văn Bình', fatherName: 'Trần Văn An', motherName: 'Phạm Thị Yến' } as Record<string, unknown>;
    return {
      dataset: DS,
      id: uuidv7(),
      data,
      deleted: false,
      rev: 1,
      baseData: data,
      baseDeleted: false,
      state: 'synced' as const,
      searchText: buildSearchText(data, fields),
      updatedAt: '2025-09-01T00:00:00Z',
      updatedBy: null,
      pullGen: 0,
    };
  });
  await f.store.transaction((tx) => writeRecords(tx, rows));
  huong = uuidv7();
  await seedSynced(f, DS, huong, validBirth({ fullName: 'Nguyễn Thị Hương', motherName: 'Lê Thị Mai', fatherName: 'Lê Văn Tám' }), 1);
  dang = (await f.writes.put(DS, validBirth({ fullName: 'Đặng Văn Khoa', personalId: '001201098765', gender: 'male', motherName: 'Lê Thị Mai', fatherName: 'Lê Văn Tám' })))
    .record.id;
});
after(async () => f.close());

test('"nguyen thi huong" finds "Nguyễn Thị Hương" among thousands', async () => {
  const page = await f.search.searchRecords(DS, 'nguyen thi huong');
  assert.deepEqual(
    page.items.map((r) => r.id),
    [huong],
  );
  assert.equal(page.total, 1);
});

test('"dang" finds "Đặng": đ folds to d', async () => {
  const page = await f.search.searchRecords(DS, 'dang van');
  assert.deepEqual(
    page.items.map((r) => r.id),
    [dang],
  );
  assert.equal((await f.search.searchRecords(DS, 'ĐẶNG')).items[0]?.id, dang);
});

test('words match by prefix and in any order; case and accents do not matter', async () => {
  assert.equal((await f.search.searchRecords(DS, 'HƯƠ nguy')).items[0]?.id, huong);
  assert.equal((await f.search.searchRecords(DS, 'nguyen thi huongx')).total, 0);
});

test('search filters by state and pages through many matches', async () => {
  const waiting = await f.search.searchRecords(DS, 'le thi mai', { state: 'waiting' });
  assert.deepEqual(
    waiting.items.map((r) => r.id),
    [dang],
  );
  const first = await f.search.searchRecords(DS, 'binh', { limit: 100 });
  const second = await f.search.searchRecords(DS, 'binh', { limit: 100, offset: 100 });
  assert.equal(first.total, 3000);
  assert.equal(first.items.length, 100);
  assert.equal(new Set([...first.items, ...second.items].map((r) => r.id)).size, 200);
});

test('a search in a pending state looks each match up in the list of those few records, not in an index of the whole cache', async () => {
  const asked = await statementsOf(async () => {
    // 3,000 synced records match, none of them waiting.
    assert.equal((await f.search.searchRecords(DS, 'binh', { state: 'waiting' })).total, 0);
    assert.deepEqual((await f.search.searchRecords(DS, 'mai', { state: 'waiting' })).items.map((r) => r.id), [dang]);
  });
  const count = asked.find((a) => a.sql.includes('records_fts'));
  assert.ok(count);
  const plan = (await f.store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${count.sql}`, count.params)).map((p) => p.detail);
  assert.equal(plan.filter((d) => d.includes('VIRTUAL TABLE')).length, 1, `the full-text index is read once: ${plan.join(' | ')}`);
  const scan = plan.indexOf('SCAN f VIRTUAL TABLE INDEX 192:M1');
  assert.deepEqual(
    plan.slice(scan, scan + 4),
    [
      'SCAN f VIRTUAL TABLE INDEX 192:M1',
      'LIST SUBQUERY 1',
      'SEARCH records USING COVERING INDEX ix_records_pending (dataset=? AND state=? AND deleted=?)',
      'SEARCH r USING COVERING INDEX ix_records_search (rid=? AND dataset=? AND deleted=? AND state=?)',
    ],
  );
});

test('a search with more matches than it ranks asks the full-text index once, for the total and the page', async () => {
  let first: Awaited<ReturnType<typeof f.search.searchRecords>> | undefined;
  const asked = await statementsOf(async () => {
    first = await f.search.searchRecords(DS, 'binh', { limit: 100 });
  });
  assert.equal(first?.total, 3000);
  assert.equal(first?.items.length, 100);
  assert.equal(asked.filter((a) => a.sql.includes('records_fts')).length, 1);
  // The 3,000 matches are counted in SQLite: JavaScript is handed the page's rows, not a row per match.
  assert.deepEqual(asked.map((a) => a.rows), [100]);
  // Pages are slices of the same newest-first order, the last one short.
  const last = await f.search.searchRecords(DS, 'binh', { limit: 100, offset: 2950 });
  assert.equal(last.items.length, 50);
  const beyond = await f.search.searchRecords(DS, 'binh', { limit: 100, offset: 3000 });
  assert.deepEqual([beyond.items.length, beyond.total], [0, 3000]);
  const ids = (await f.search.searchRecords(DS, 'binh', { limit: 1000, offset: 0 })).items.map((r) => r.id);
  const again = [];
  for (let offset = 0; offset < 1000; offset += 250) again.push(...(await f.search.searchRecords(DS, 'binh', { limit: 250, offset })).items.map((r) => r.id));
  assert.deepEqual(again, ids);
});

/** The statements `fn` runs on the fixture's store, with the number of rows each handed back. */
async function statementsOf(fn: () => Promise<void>): Promise<Array<{ sql: string; params: readonly unknown[]; rows: number }>> {
  const asked: Array<{ sql: string; params: readonly unknown[]; rows: number }> = [];
  const all = f.store.sql.all.bind(f.store.sql);
  f.store.sql.all = async <T>(sql: string, params: readonly unknown[] = []) => {
    const rows = await all<T>(sql, params);
    asked.push({ sql, params, rows: rows.length });
    return rows;
  };
  try {
    await fn();
  } finally {
    f.store.sql.all = all;
  }
  return asked;
}

test('the index follows edits and deletes in the same transaction', async () => {
  const { record } = await f.writes.put(DS, validBirth({ fullName: 'Phạm Quỳnh Anh', personalId: '001301011111' }));
  assert.equal((await f.search.searchRecords(DS, 'quynh anh')).items[0]?.id, record.id);
  await f.writes.put(DS, validBirth({ fullName: 'Phạm Quỳnh Chi', personalId: '001301011111' }), { id: record.id });
  assert.equal((await f.search.searchRecords(DS, 'quynh anh')).total, 0);
  assert.equal((await f.search.searchRecords(DS, 'quynh chi')).items[0]?.id, record.id);
  await f.writes.delete(DS, record.id);
  assert.equal((await f.search.searchRecords(DS, 'quynh chi')).total, 0);
});

test('typed FTS operators are searched for, not obeyed', async () => {
  assert.equal(ftsMatchExpression('nguyen OR "x" *'), '"nguyen"* AND "or"* AND "x"*');
  assert.equal(ftsMatchExpression('   '), null);
  const page = await f.search.searchRecords(DS, 'NEAR(huong');
  assert.equal(page.total, 0);
});

test('an empty query lists the dataset, newest first', async () => {
  const page = await f.search.searchRecords(DS, '', { limit: 1 });
  assert.equal(page.items.length, 1);
  assert.ok(page.total >= 3002);
});

test('rebuilding the index from the records finds the same records', async () => {
  await f.search.rebuildIndex();
  assert.equal((await f.search.searchRecords(DS, 'nguyen thi huong')).items[0]?.id, huong);
  assert.equal((await f.search.searchRecords(DS, 'binh')).total, 3000);
});

test('up to RANKED_MATCHES matches come best first; beyond, newest first with the total still exact', async () => {
  const g = await openEngineFixture();
  try {
    const row = (searchText: string) => {
      const data = validBirth();
      return { dataset: DS, id: uuidv7(), data, deleted: false, rev: 1, baseData: data, baseDeleted: false, state: 'synced' as const, searchText, updatedAt: '2025-09-01T00:00:00Z', updatedBy: null, pullGen: 0 };
    };
    // The short text matches "quy" best (bm25), though the long one is newer.
    const best = row('quy');
    const newer = row('quy tran van binh pham thi yen tran van an nguyen thi hoa');
    await g.store.transaction((tx) => writeRecords(tx, [best, newer]));
    assert.deepEqual((await g.search.searchRecords(DS, 'quy')).items.map((r) => r.id), [best.id, newer.id]);

    const many = Array.from({ length: RANKED_MATCHES + 200 }, (_, i) => row(i % 2 === 0 ? 'lam' : 'lam tran van binh pham thi yen'));
    await g.store.transaction((tx) => writeRecords(tx, many));
    const page = await g.search.searchRecords(DS, 'lam', { limit: 20 });
    assert.equal(page.total, many.length);
    assert.equal(page.totalCapped, undefined);
    assert.deepEqual(page.items.map((r) => r.id), many.slice(-20).reverse().map((r) => r.id), 'newest first');
  } finally {
    await g.close();
  }
});
