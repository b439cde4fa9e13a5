import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sqlite3 from 'sqlite3';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import { buildFilterIndexes, missingFilterIndexes } from '../../sync-engine/src/records/filter-index-build.js';
import { filterIndexes } from '../../sync-engine/src/records/record-filter.js';
import { FilterIndexBuilder } from '../../sync-engine/src/service/filter-index-builder.js';
import { saveCursor } from '../../sync-engine/src/sync/cursor-store.js';
import { validDossier } from '../datasets/fixtures.js';
import { FakeTime } from '../agent/support/fake-time.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';

const DS = 'procedure-dossiers';
const dossier = (n: string) => validDossier({ dossierNumber: n, provinceCode: '01', communeCode: '00004' });
/** A statement that never ends by itself: only giving way stops it (a stand-in for an index over a very large cache). */
const ENDLESS = `CREATE TABLE "endless" AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n`;

const names = async (f: EngineFixture) =>
  (await f.store.sql.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "name" LIKE 'ix_rf_%' ORDER BY 1`)).map((r) => r.name);

async function caughtUp(f: EngineFixture): Promise<void> {
  await f.store.transaction(async (tx) => {
    for (const d of DATASETS) await saveCursor(tx, d.name, 'c0:1', true, '2025-09-30T00:00:00.000Z');
  });
}

// Over 1,000,000 dossiers an index took 9-13 s to build, and inside the catalog's transaction a person's
// save waited for all three (36 s, docs/performance.md). The build now gives way: a save asked for while
// it runs stops it, and is written; the build changed nothing and is run again later.
test('a local save asked for during a long build is written, and the build gives way having changed nothing', { timeout: 60_000 }, async () => {
  const f = await openEngineFixture();
  try {
    const build = f.store.runGivingWay(ENDLESS);
    // Reads go on meanwhile: the build runs on a connection of its own.
    assert.equal((await f.reads.list(DS)).total, 0);
    const saved = await f.writes.put(DS, dossier('D-SAVED'));
    assert.equal(await build, false, 'the build gave way to the save');
    assert.equal((await f.reads.get(DS, saved.record.id))?.data?.['dossierNumber'], 'D-SAVED');
    assert.equal(await f.store.sql.get(`SELECT 1 FROM "sqlite_master" WHERE "name" = 'endless'`), undefined, 'rolled back whole');
    // The store goes on as before: a statement that ends runs to its end.
    assert.equal(await f.store.runGivingWay(`CREATE TABLE "short" AS SELECT 1 AS x`), true);
    // Its commit, on the other connection, was this process's own: the clean close still vouches for the file.
    await f.store.close();
    assert.ok(existsSync(join(f.dir, 'agent.sqlite.checked')), 'the clean-close note was written');
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test("the lease's heartbeat and the health samples do not stop a build (they wait for it); closing the store stops it", { timeout: 60_000 }, async () => {
  const f = await openEngineFixture();
  // Asked for while a build that ends by itself is queued or running, the bookkeeping lets it run to its end.
  const short = f.store.runGivingWay(`CREATE TABLE "short" AS SELECT 1 AS x`);
  let after = false;
  const sample = f.store.transaction(() => Promise.resolve((after = true)), { preempts: false });
  assert.equal(await short, true, 'the bookkeeping did not stop the build');
  await sample;
  assert.equal(after, true);

  const build = f.store.runGivingWay(ENDLESS);
  let waited = false;
  const bookkeeping = f.store.transaction(() => Promise.resolve((waited = true)), { preempts: false });
  // The endless build is still running when the bookkeeping is asked for; it ends only with the store's close.
  await f.close();
  assert.equal(await build, false);
  await bookkeeping.catch(() => undefined);
  assert.equal(waited, true, 'it ran once the build had given way');
});

test('the filter indexes are built one at a time between runs; a build that gave way is tried again later and completes', async () => {
  const f = await openEngineFixture();
  const time = new FakeTime();
  try {
    await seedSynced(f, DS, '0199a000-0000-7000-8000-000000000001', dossier('D-1'), 1);
    await caughtUp(f);
    const wanted = DATASETS.flatMap(filterIndexes).map((i) => i.name).sort();
    assert.deepEqual((await missingFilterIndexes(f.store.sql, DATASETS)).map((i) => i.name).sort(), wanted);
    let syncing = false;
    let holdsLease = false;
    const builder = new FilterIndexBuilder({ ctx: f.ctx, timer: time, syncing: () => syncing, holdsLease: () => holdsLease, retryMs: 60_000 });

    // A process without the folder's lease (it lapsed; another process syncs now) does not build beside it.
    builder.kick();
    assert.equal(builder.busy, false, 'no build without the lease');
    await builder.idle();
    assert.deepEqual(await names(f), []);
    holdsLease = true;

    // A write asked for while an index is queued or being built goes first: that index gives way.
    const real = f.store.runGivingWay.bind(f.store);
    let writes = 0;
    f.store.runGivingWay = (sql) => {
      const run = real(sql);
      writes += 1;
      void f.store.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES (?, '1')`, [`write-${writes}`]));
      return run;
    };
    builder.kick();
    await builder.idle();
    assert.equal(writes, 1, 'one index was tried, and gave way');
    assert.deepEqual(await names(f), [], 'nothing built: it gave way');
    assert.deepEqual(time.pendingDelays(), [60_000], 'tried again a minute later');

    // Not during a sync run: the retry waits for the run's end, which starts it (SyncLoop's afterRun).
    syncing = true;
    await time.advance(60_000);
    await builder.idle();
    assert.deepEqual(await names(f), []);
    syncing = false;
    f.store.runGivingWay = real;
    builder.kick();
    await builder.idle();
    assert.deepEqual(await names(f), wanted, 'all built once nothing asked to go first');
    assert.deepEqual(await missingFilterIndexes(f.store.sql, DATASETS), []);
    assert.equal(await buildFilterIndexes(f.ctx), true, 'nothing left to build');
    builder.stop();
    assert.deepEqual(time.pendingDelays(), []);
  } finally {
    await f.close();
  }
});

/** A statement long enough that a save waiting for all of it would be seen: a build that did not give way returns true. */
const LONG = `CREATE TABLE "long" AS SELECT count(*) AS n FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 20000000) SELECT x FROM n)`;

/** Runs `each` (with the call's number) around every PRAGMA data_version the store's own connection reads. */
function onDataVersion(f: EngineFixture, each: (n: number, read: () => Promise<unknown>) => Promise<unknown>): void {
  const query = f.store.dataSource.query.bind(f.store.dataSource);
  let n = 0;
  f.store.dataSource.query = ((sql: string, ...rest: unknown[]) =>
    /PRAGMA data_version/.test(sql) ? each(++n, () => query(sql, ...(rest as []))) : query(sql, ...(rest as []))) as typeof query;
}

/** A commit of another program on the folder's file (its own connection, as a process beside the service). */
async function anotherProgramWrites(file: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
  });
  await new Promise<void>((resolve, reject) => db.run(`INSERT INTO "settings" ("key", "value") VALUES ('other-program', '1')`, (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve) => db.close(() => resolve()));
}

// The build read the store's data_version (for the clean-close note) between its check for a waiting save and
// making itself stoppable: a save asked for then found nothing to stop, and waited for the whole index.
test('a save asked for while the build is getting ready (reading where the store stands) still stops it', { timeout: 120_000 }, async () => {
  const f = await openEngineFixture();
  try {
    let saved: Promise<unknown> | null = null;
    onDataVersion(f, (n, read) => {
      if (n === 1) saved = f.writes.put(DS, dossier('D-SAVED'));
      return read();
    });
    assert.equal(await f.store.runGivingWay(LONG), false, 'the build gave way to the save');
    assert.ok(saved, 'the save was asked for during the build');
    await saved;
    assert.equal(await f.store.sql.get(`SELECT 1 FROM "sqlite_master" WHERE "name" = 'long'`), undefined);
  } finally {
    await f.close();
  }
});

// The clean-close note vouches for a file only this process wrote (othersCommitted at close). The build's commit is
// this process's own; another program's, just before it started or just after it ended (one that waited for the
// build's write lock gets in then), was taken for it, and the next open skipped the check of a file it wrote.
for (const when of ['before the build starts', 'right after the build commits'] as const) {
  test(`another program's commit ${when} is not taken for the build's own: no clean-close note`, async () => {
    const f = await openEngineFixture();
    try {
      onDataVersion(f, async (n, read) => {
        if (when === 'right after the build commits' && n === 2) await anotherProgramWrites(f.store.file);
        const version = await read();
        if (when === 'before the build starts' && n === 1) await anotherProgramWrites(f.store.file);
        return version;
      });
      assert.equal(await f.store.runGivingWay(`CREATE TABLE "short" AS SELECT 1 AS x`), true);
      await f.store.close();
      assert.equal(existsSync(join(f.dir, 'agent.sqlite.checked')), false, 'the note would vouch for a file another program wrote');
    } finally {
      rmSync(f.dir, { recursive: true, force: true });
    }
  });
}
