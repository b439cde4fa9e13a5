import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes the records table cheaper to write and to read (docs/performance.md,
 * "Local store"), without changing what a read returns:
 *
 * - `base_same`: 1 when the base IS the local version (every synced record,
 *   and most others until they are edited). Such a row stores no `base_data`
 *   (NULL) and readers take the base from `data` (records/record-row.ts,
 *   fromDb). Writing each record's JSON once instead of twice halves the row,
 *   which was the largest single cost of applying a pulled page; smaller rows
 *   also make every lookup by rowid (search, digest) touch fewer pages.
 *   Existing rows are left as they are (base_same 0: base_data holds the base,
 *   which is what it always meant) and take the lean form when next written.
 *   Folding them here was measured: at 100,000 records it rewrote every page
 *   (8 s, a 430 MB WAL) and freed nothing, since rows shrink in place.
 * - Indexes: `ix_records_live (dataset, deleted, updated_at)` serves the list
 *   screens' order AND their counts from the index alone (the old
 *   `(dataset, updated_at)` left `deleted` to the table, so a count read every
 *   row). State filters use `ix_records_pending (dataset, state, deleted,
 *   updated_at)`, a partial index of the few records that are not synced: the
 *   bulk of the cache (synced) costs it nothing on write. Queries must spell
 *   `"state" <> 'synced'` for SQLite to use it (it does not infer it from
 *   `"state" = 'waiting'`). `ix_records_search (rid, dataset, deleted, state,
 *   updated_at)` lets a search filter, count and order its full-text matches
 *   without reading the rows (a few MB that stay in the page cache, where the
 *   rows are 1 KB each): only the page of results shown is read. New records
 *   append to it (rid grows), so it costs little on write.
 * - Full-text index: rebuilt without `prefix='2 3'` (the short-prefix indexes
 *   cost more on every insert than they saved on the one- and two-letter
 *   queries, which are capped anyway), and the update trigger only re-indexes
 *   a record whose search text actually changed.
 */
export class LeanRecords1767830400000 implements MigrationInterface {
  name = 'LeanRecords1767830400000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of UP) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const statement of DOWN) await q.query(statement);
  }
}

const FTS_TRIGGERS = ['records_fts_ai', 'records_fts_ad', 'records_fts_au'] as const;

const INSERT_AND_DELETE_TRIGGERS: readonly string[] = [
  `CREATE TRIGGER "records_fts_ai" AFTER INSERT ON "records" BEGIN
    INSERT INTO "records_fts" (rowid, search_text) VALUES (new."rid", new."search_text");
  END`,
  `CREATE TRIGGER "records_fts_ad" AFTER DELETE ON "records" BEGIN
    INSERT INTO "records_fts" ("records_fts", rowid, search_text) VALUES ('delete', old."rid", old."search_text");
  END`,
];

const UP: readonly string[] = [
  `ALTER TABLE "records" ADD COLUMN "base_same" INTEGER NOT NULL DEFAULT 0`,

  `DROP INDEX "ix_records_dataset_state"`,
  `DROP INDEX "ix_records_dataset_updated"`,
  `CREATE INDEX "ix_records_live" ON "records" ("dataset", "deleted", "updated_at")`,
  `CREATE INDEX "ix_records_pending" ON "records" ("dataset", "state", "deleted", "updated_at") WHERE "state" <> 'synced'`,
  `CREATE INDEX "ix_records_search" ON "records" ("rid", "dataset", "deleted", "state", "updated_at")`,

  ...FTS_TRIGGERS.map((name) => `DROP TRIGGER "${name}"`),
  `DROP TABLE "records_fts"`,
  `CREATE VIRTUAL TABLE "records_fts" USING fts5(
    search_text, content='records', content_rowid='rid', tokenize='unicode61'
  )`,
  ...INSERT_AND_DELETE_TRIGGERS,
  // An upsert that leaves the search text as it was (most national updates) costs the index nothing.
  `CREATE TRIGGER "records_fts_au" AFTER UPDATE OF "search_text" ON "records"
    WHEN old."search_text" IS NOT new."search_text" BEGIN
    INSERT INTO "records_fts" ("records_fts", rowid, search_text) VALUES ('delete', old."rid", old."search_text");
    INSERT INTO "records_fts" (rowid, search_text) VALUES (new."rid", new."search_text");
  END`,
  `INSERT INTO "records_fts" ("records_fts") VALUES ('rebuild')`,
];

const DOWN: readonly string[] = [
  ...FTS_TRIGGERS.map((name) => `DROP TRIGGER "${name}"`),
  `DROP TABLE "records_fts"`,
  `CREATE VIRTUAL TABLE "records_fts" USING fts5(
    search_text, content='records', content_rowid='rid', tokenize='unicode61', prefix='2 3'
  )`,
  ...INSERT_AND_DELETE_TRIGGERS,
  `CREATE TRIGGER "records_fts_au" AFTER UPDATE OF "search_text" ON "records" BEGIN
    INSERT INTO "records_fts" ("records_fts", rowid, search_text) VALUES ('delete', old."rid", old."search_text");
    INSERT INTO "records_fts" (rowid, search_text) VALUES (new."rid", new."search_text");
  END`,
  `INSERT INTO "records_fts" ("records_fts") VALUES ('rebuild')`,

  `DROP INDEX "ix_records_search"`,
  `DROP INDEX "ix_records_pending"`,
  `DROP INDEX "ix_records_live"`,
  `CREATE INDEX "ix_records_dataset_state" ON "records" ("dataset", "state", "updated_at")`,
  `CREATE INDEX "ix_records_dataset_updated" ON "records" ("dataset", "updated_at")`,

  `UPDATE "records" SET "base_data" = "data" WHERE "base_same" = 1`,
  `ALTER TABLE "records" DROP COLUMN "base_same"`,
];
