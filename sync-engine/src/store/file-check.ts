import type { DataSource } from 'typeorm';
import { StoreCorruptedError, storeFailureOf } from './store-failures.js';

/**
 * The open-time check, in two parts (figures at 100,000 records in
 * docs/reliability.md):
 *
 * 1. `PRAGMA quick_check` with the connection query-only: every page of every
 *    table and index (the full-text index's own tables included) and the
 *    free-page list, inside one read transaction (about 0.3 s), during which
 *    another process writes as usual (WAL). SQLite 3.44 checks an FTS5 table
 *    by running its 'integrity-check' command, an INSERT; query-only, that row
 *    answers "unable to validate the inverted index for FTS5 table …: attempt
 *    to write a readonly database", which is left to part 2.
 * 2. With `fullText`: that 'integrity-check' of each FTS5 table, which finds an
 *    index leaf scribbled inside its blobs (part 1 checks the pages that hold
 *    them, not what they say). It runs as a write, so it holds the write lock
 *    while it reads the whole index (0.05-0.2 s): every save of another
 *    process waits meanwhile. Inside quick_check, it also needed the read transaction of
 *    the whole check to be the newest: whenever the other process committed
 *    during those 0.3 s (a save every 200 ms, a sync's pages) it failed with
 *    "database is locked", and the open gave up at the busy timeout.
 *    BEGIN IMMEDIATE here waits for the lock instead.
 */
export async function checkFile(dataSource: DataSource, file: string, fullText: boolean): Promise<void> {
  await dataSource.query('PRAGMA query_only = 1');
  let rows: Array<{ quick_check: string }>;
  try {
    rows = (await dataSource.query('PRAGMA quick_check')) as Array<{ quick_check: string }>;
  } finally {
    await dataSource.query('PRAGMA query_only = 0');
  }
  const damage = rows.map((r) => r.quick_check).filter((p) => p !== 'ok' && !NEEDS_A_WRITE.test(p));
  if (damage.length > 0) throw new StoreCorruptedError(file, damage);
  if (fullText) await checkFullTextIndexes((sql) => dataSource.query(sql) as Promise<unknown[]>, file);
}

/** A virtual table's check that query-only could not run (SQLite 3.44's FTS5 check is a write). */
const NEEDS_A_WRITE = /^unable to validate .*: attempt to write a readonly database$/;

/** Part 2 of checkFile: StoreCorruptedError naming each damaged full-text index; a lock kept past the busy timeout throws SQLITE_BUSY. */
export async function checkFullTextIndexes(query: (sql: string) => Promise<unknown[]>, file: string): Promise<void> {
  const tables = (await query(`SELECT "name" FROM "sqlite_schema" WHERE "type" = 'table' AND "sql" LIKE 'CREATE VIRTUAL TABLE % USING fts5%'`)) as Array<{ name: string }>;
  if (tables.length === 0) return;
  await query('BEGIN IMMEDIATE');
  const damage: string[] = [];
  try {
    for (const { name } of tables) {
      const table = `"${name.replaceAll('"', '""')}"`;
      try {
        await query(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`);
      } catch (error) {
        if (!(storeFailureOf(file, error) instanceof StoreCorruptedError)) throw error;
        // The row quick_check gave for it.
        damage.push(`malformed inverted index for FTS5 table main.${name}`);
      }
    }
  } finally {
    // The check writes nothing.
    await query('ROLLBACK').catch(() => undefined);
  }
  if (damage.length > 0) throw new StoreCorruptedError(file, damage);
}
