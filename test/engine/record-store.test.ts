import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import type { PullChange } from '../../sync-engine/src/protocol/pull.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { getRecord, getRecordsForPull, writePulledRecords, writeRecords, type RecordRow } from '../../sync-engine/src/records/record-row.js';
import { listQuery } from '../../sync-engine/src/records/record-reads.js';
import { AGENT_DB_FILE, openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { ENTITIES } from '../../sync-engine/src/store/entities.js';
import { MIGRATIONS } from '../../sync-engine/src/store/migrations/index.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture } from './support/engine-fixture.js';

const DS = 'civil-status-births';
const AT = '2025-10-01T02:00:00.000Z';

function row(id: string, overrides: Partial<RecordRow> = {}): RecordRow {
  const data = validBirth({ registrationNumber: `R-${id.slice(-6)}` });
  return {
    dataset: DS,
    id,
    data,
    deleted: false,
    rev: 3,
    baseData: data,
    baseDeleted: false,
    state: 'synced',
    searchText: 'nguyen thi huong',
    updatedAt: AT,
    updatedBy: { national: true },
    pullGen: 1,
    ...overrides,
  };
}

test('every shape of record reads back as it was written, the base stored once when it is the data', async () => {
  const f = await openEngineFixture();
  try {
    const ids = Array.from({ length: 6 }, () => uuidv7());
    const [synced, edited, created, deletedHere, sameText, tombstoned] = ids as [string, string, string, string, string, string];
    const rows: RecordRow[] = [
      row(synced),
      row(edited, { data: validBirth({ fullName: 'Nguyễn Thị Hà' }), state: 'waiting' }),
      row(created, { rev: null, baseData: null, state: 'waiting' }),
      row(deletedHere, { data: null, deleted: true, state: 'waiting', searchText: '' }),
      // Equal data in two objects (a push answer: base = the entry's copy of the data).
      row(sameText, { baseData: structuredClone(validBirth({ registrationNumber: `R-${sameText.slice(-6)}` })) }),
      row(tombstoned, { data: validBirth(), baseData: null, baseDeleted: true, state: 'conflict' }),
    ];
    await f.store.transaction((tx) => writeRecords(tx, rows));

    for (const written of rows) assert.deepEqual(await getRecord(f.store.sql, DS, written.id), written, written.id);
    const stored = await f.store.sql.all<{ id: string; base_same: number; base_data: string | null }>(
      'SELECT "id", "base_same", "base_data" FROM "records" ORDER BY "id"',
    );
    const same = new Map(stored.map((s) => [s.id, s]));
    assert.deepEqual(same.get(synced), { id: synced, base_same: 1, base_data: null });
    assert.deepEqual(same.get(sameText), { id: sameText, base_same: 1, base_data: null });
    assert.equal(same.get(edited)?.base_same, 0);
    assert.deepEqual(JSON.parse(same.get(edited)?.base_data ?? 'null'), rows[1]?.baseData);
    assert.equal(same.get(deletedHere)?.base_same, 0, 'a local delete keeps its live base');
    assert.equal(same.get(tombstoned)?.base_same, 0);

    // An edit of a synced record stores its base again; the platform agreeing stores it once more.
    await f.store.transaction((tx) => writeRecords(tx, [{ ...rows[0]!, data: validBirth({ fullName: 'Trần Văn Bình' }), state: 'waiting' }]));
    assert.deepEqual((await getRecord(f.store.sql, DS, synced))?.baseData, rows[0]?.data);
    await f.store.transaction((tx) => writeRecords(tx, [rows[0]!]));
    assert.deepEqual(await f.store.sql.get('SELECT "base_same", "base_data" FROM "records" WHERE "id" = ?', [synced]), { base_same: 1, base_data: null });
  } finally {
    await f.close();
  }
});

test('a pulled version is stored exactly as the general writer stores a synced row, over any earlier state', async () => {
  const f = await openEngineFixture();
  try {
    const ids = Array.from({ length: 4 }, () => uuidv7());
    const [fresh, editedBefore, tombstoneBefore, noData] = ids as [string, string, string, string];
    // Earlier states the pulled version replaces: an edit with its own base, a local delete.
    await f.store.transaction((tx) =>
      writeRecords(tx, [
        row(editedBefore, { data: validBirth({ fullName: 'Trần Văn Bình' }), state: 'waiting', pullGen: 1 }),
        row(tombstoneBefore, { data: null, deleted: true, state: 'conflict', searchText: '', pullGen: 1 }),
      ]),
    );
    const expected = [
      row(fresh, { rev: 7, pullGen: 4, updatedBy: { siteCode: 'T01', agentId: 'a-1', user: 'Lê Văn Tám' } }),
      row(editedBefore, { rev: 8, pullGen: 4, searchText: 'tran van binh' }),
      row(tombstoneBefore, { rev: 9, pullGen: 4 }),
      row(noData, { data: null, baseData: null, searchText: '', rev: 2, pullGen: 4, updatedBy: null }),
    ];
    await f.store.transaction((tx) =>
      writePulledRecords(
        tx,
        DS,
        4,
        expected.map((r) => ({ id: r.id, data: r.data, rev: r.rev as number, searchText: r.searchText, updatedAt: r.updatedAt, updatedBy: r.updatedBy as never })),
      ),
    );
    for (const written of expected) assert.deepEqual(await getRecord(f.store.sql, DS, written.id), written, written.id);
    const stored = await f.store.sql.all<{ base_same: number; base_data: string | null; state: string }>(
      'SELECT "base_same", "base_data", "state" FROM "records" WHERE "dataset" = ?',
      [DS],
    );
    assert.equal(stored.length, 4);
    for (const s of stored) assert.deepEqual(s, { base_same: 1, base_data: null, state: 'synced' });
    const found = await f.store.sql.all<{ id: string }>(
      `SELECT r."id" FROM "records_fts" JOIN "records" r ON r."rid" = "records_fts"."rowid" WHERE "records_fts" MATCH '"tran van binh"'`,
    );
    assert.deepEqual(found, [{ id: editedBefore }], 'the search index follows the new search text');
  } finally {
    await f.close();
  }
});

test('a pulled page reads only the cached rows it cannot simply overwrite', async () => {
  const f = await openEngineFixture();
  try {
    const id = () => uuidv7();
    const older = id(); // synced at rev 3, the page brings rev 5: overwritten, not read
    const same = id(); // synced at rev 3, the page brings rev 3 again: overwritten, not read
    const newer = id(); // synced at rev 3, the page brings rev 2: kept, read
    const pending = id(); // waiting: merged, read
    const tombstone = id(); // synced, the page deletes it: read
    const removal = id(); // synced, it left the office's scope: read
    const absent = id(); // not cached
    await f.store.transaction((tx) =>
      writeRecords(tx, [row(older), row(same), row(newer), row(pending, { state: 'waiting', data: validBirth() }), row(tombstone), row(removal)]),
    );
    const live = (rid: string, rev: number, deleted = false): PullChange => ({
      seq: rev,
      id: rid,
      rev,
      deleted,
      data: deleted ? null : validBirth(),
      updatedAt: AT,
      updatedBy: { national: true },
    });
    const changes = new Map<string, PullChange>([
      [older, live(older, 5)],
      [same, live(same, 3)],
      [newer, live(newer, 2)],
      [pending, live(pending, 9)],
      [tombstone, live(tombstone, 9, true)],
      [removal, { seq: 10, id: removal, removed: true }],
      [absent, live(absent, 1)],
    ]);
    const cached = await getRecordsForPull(f.store.sql, DS, changes);
    assert.deepEqual([...cached.keys()].sort(), [newer, pending, tombstone, removal].sort());
    assert.deepEqual(cached.get(pending), await getRecord(f.store.sql, DS, pending), 'full rows');
  } finally {
    await f.close();
  }
});

test('lists and counts by state agree with the rows, the synced ones counted as live minus pending', async () => {
  const f = await openEngineFixture();
  try {
    const states = ['synced', 'synced', 'synced', 'waiting', 'waiting', 'conflict', 'rejected'] as const;
    const rows = states.map((state, i) => row(uuidv7(), { state, updatedAt: `2025-10-0${i + 1}T00:00:00.000Z` }));
    rows.push(row(uuidv7(), { state: 'waiting', data: null, deleted: true, searchText: '' }));
    await f.store.transaction((tx) => writeRecords(tx, rows));
    for (const state of ['synced', 'waiting', 'conflict', 'rejected'] as const) {
      const live = rows.filter((r) => r.state === state && !r.deleted);
      const page = await f.reads.list(DS, { state });
      assert.equal(page.total, live.length, state);
      assert.deepEqual(
        page.items.map((r) => r.id),
        [...live].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1)).map((r) => r.id),
        `${state}: newest first`,
      );
      assert.equal((await f.reads.list(DS, { state, includeDeleted: true })).total, rows.filter((r) => r.state === state).length);
    }
    assert.equal((await f.reads.list(DS)).total, 7);
    assert.deepEqual(await f.reads.countsByState(DS), { synced: 3, waiting: 3, conflict: 1, rejected: 1 });
    assert.deepEqual(await f.reads.countsByState(), { synced: 3, waiting: 3, conflict: 1, rejected: 1 });
  } finally {
    await f.close();
  }
});

test('synced records page deep into the list from the indexes alone: the rows they skip are never read', async () => {
  const f = await openEngineFixture();
  try {
    // Pending records between the synced ones, and pairs with the same time (then the later written first).
    const rows = Array.from({ length: 30 }, (_, i) =>
      row(uuidv7(), { state: i % 4 === 1 ? 'waiting' : i % 7 === 3 ? 'rejected' : 'synced', updatedAt: `2025-10-01T00:00:${String(Math.floor(i / 2)).padStart(2, '0')}.000Z` }),
    );
    await f.store.transaction((tx) => writeRecords(tx, rows));
    const expected = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.state === 'synced').reverse().map(({ r }) => r.id);
    const paged: string[] = [];
    for (let offset = 0; offset < expected.length + 5; offset += 5) {
      const page = await f.reads.list(DS, { state: 'synced', limit: 5, offset });
      assert.equal(page.total, expected.length);
      paged.push(...page.items.map((r) => r.id));
    }
    assert.deepEqual(paged, expected, 'every synced record once, newest first');

    // The page's rids come from ix_records_live alone (COVERING: no row read per record skipped by
    // OFFSET) less the pending ones from ix_records_pending; only the rows shown are read.
    const { page } = listQuery(DS, { state: 'synced' });
    const plan = await f.store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${page.sql}`, [...page.params, 100, 900_000]);
    assert.deepEqual(
      plan.map((p) => p.detail),
      [
        'CO-ROUTINE m',
        'SEARCH records USING COVERING INDEX ix_records_live (dataset=? AND deleted=?)',
        'LIST SUBQUERY 1',
        'SEARCH records USING COVERING INDEX ix_records_pending (dataset=?)',
        'SCAN m',
        'SEARCH p USING INTEGER PRIMARY KEY (rowid=?)',
        'USE TEMP B-TREE FOR ORDER BY',
      ],
    );
  } finally {
    await f.close();
  }
});

test('a store created before migration 0002 migrates with its records unchanged, searchable and indexed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-0001-'));
  try {
    const first = MIGRATIONS[0];
    assert.ok(first);
    const old = new DataSource({
      type: 'sqlite',
      database: join(dir, AGENT_DB_FILE),
      driver: sqlite3,
      entities: ENTITIES,
      migrations: [first],
      migrationsTableName: 'schema_migrations',
      enableWAL: true,
      logging: false,
    });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    // Rows as the first schema stored them: every base written out in full.
    const synced = validBirth({ fullName: 'Nguyễn Thị Hương' });
    const edited = validBirth({ fullName: 'Đặng Văn Khoa', personalId: '001201098765', gender: 'male' });
    const editedBase = validBirth({ fullName: 'Đặng Văn Khoa', personalId: '001201098765', gender: 'male', registrar: 'Lê Văn Tám' });
    const ids = { synced: uuidv7(), edited: uuidv7(), created: uuidv7(), deleted: uuidv7() };
    const insert = `INSERT INTO "records" ("dataset", "id", "data", "deleted", "rev", "base_data", "base_deleted", "state", "search_text", "updated_at", "updated_by", "pull_gen")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    const by = JSON.stringify({ national: true });
    await old.query(insert, [DS, ids.synced, JSON.stringify(synced), 0, 4, JSON.stringify(synced), 0, 'synced', 'nguyen thi huong', AT, by, 2]);
    await old.query(insert, [DS, ids.edited, JSON.stringify(edited), 0, 7, JSON.stringify(editedBase), 0, 'waiting', 'dang van khoa', AT, null, 2]);
    await old.query(insert, [DS, ids.created, JSON.stringify(synced), 0, null, null, 0, 'waiting', 'nguyen thi huong', AT, null, 0]);
    await old.query(insert, [DS, ids.deleted, null, 1, 5, JSON.stringify(synced), 0, 'rejected', '', AT, null, 1]);
    await old.destroy();

    const store = await openAgentStore(dir);
    try {
      const names = (await store.sql.all<{ name: string }>('SELECT "name" FROM "schema_migrations"')).map((m) => m.name);
      assert.deepEqual(names, MIGRATIONS.map((m) => m.name));
      const expected: Record<keyof typeof ids, Partial<RecordRow>> = {
        synced: { data: synced, deleted: false, rev: 4, baseData: synced, baseDeleted: false, state: 'synced', updatedBy: { national: true }, pullGen: 2 },
        edited: { data: edited, rev: 7, baseData: editedBase, state: 'waiting', updatedBy: null },
        created: { data: synced, rev: null, baseData: null, state: 'waiting', pullGen: 0 },
        deleted: { data: null, deleted: true, rev: 5, baseData: synced, baseDeleted: false, state: 'rejected' },
      };
      for (const [key, want] of Object.entries(expected)) {
        const got = await getRecord(store.sql, DS, ids[key as keyof typeof ids]);
        assert.ok(got, key);
        for (const [field, value] of Object.entries(want)) assert.deepEqual(got[field as keyof RecordRow], value, `${key}.${field}`);
      }
      // Old rows keep their written-out base; the next write of one stores it once.
      const sameOf = async (id: string) => store.sql.get<{ base_same: number; base_data: string | null }>('SELECT "base_same", "base_data" FROM "records" WHERE "id" = ?', [id]);
      assert.deepEqual(await sameOf(ids.synced), { base_same: 0, base_data: JSON.stringify(synced) });
      const again = await getRecord(store.sql, DS, ids.synced);
      assert.ok(again);
      await store.transaction((tx) => writeRecords(tx, [{ ...again, pullGen: 3 }]));
      assert.deepEqual(await sameOf(ids.synced), { base_same: 1, base_data: null });
      assert.deepEqual(await getRecord(store.sql, DS, ids.synced), { ...again, pullGen: 3 });

      // The full-text index was rebuilt from the records, and new writes keep it in step.
      const hits = await store.sql.all<{ id: string }>(
        `SELECT r."id" FROM "records_fts" f JOIN "records" r ON r."rid" = f.rowid WHERE "records_fts" MATCH '"dang"* AND "khoa"*'`,
      );
      assert.deepEqual(hits, [{ id: ids.edited }]);
      const indexes = (await store.sql.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = 'records'`)).map((r) => r.name);
      for (const name of ['ix_records_live', 'ix_records_pending', 'ix_records_search']) assert.ok(indexes.includes(name), name);
      for (const name of ['ix_records_dataset_state', 'ix_records_dataset_updated']) assert.ok(!indexes.includes(name), name);
      // FTS5 compares its index with the records (rank 1: against the content table too); SQLITE_CORRUPT otherwise.
      await store.transaction((tx) => tx.run(`INSERT INTO "records_fts" ("records_fts", "rank") VALUES ('integrity-check', 1)`));
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
