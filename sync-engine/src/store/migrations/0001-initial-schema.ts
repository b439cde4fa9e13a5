import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agent's first schema. Written by hand (never `synchronize`): the FTS5
 * table, its triggers and the partial unique index are things TypeORM cannot
 * generate, and a migration is what an installed agent runs on upgrade.
 *
 * `records` keys records by (dataset, id) through a UNIQUE index; its primary
 * key is `rid INTEGER PRIMARY KEY`, a stable rowid alias, because the FTS5
 * external-content table refers to records by rowid and VACUUM may renumber
 * rowids that are not aliased by an INTEGER PRIMARY KEY.
 */
export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of UP) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}

const TABLES = [
  'records',
  'records_fts',
  'outbox',
  'conflicts',
  'cursors',
  'catalog',
  'digests',
  'sync_runs',
  'health_samples',
  'audit_log',
  'settings',
  'credentials',
  'lease',
] as const;

const UP: readonly string[] = [
  `CREATE TABLE "records" (
    "rid" INTEGER PRIMARY KEY NOT NULL,
    "dataset" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "data" TEXT,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "rev" INTEGER,
    "base_data" TEXT,
    "base_deleted" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL,
    "search_text" TEXT NOT NULL DEFAULT '',
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT,
    "pull_gen" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ck_records_state" CHECK ("state" IN ('synced', 'waiting', 'conflict', 'rejected'))
  )`,
  `CREATE UNIQUE INDEX "ux_records_dataset_id" ON "records" ("dataset", "id")`,
  `CREATE INDEX "ix_records_dataset_state" ON "records" ("dataset", "state", "updated_at")`,
  `CREATE INDEX "ix_records_dataset_updated" ON "records" ("dataset", "updated_at")`,
  // Folded tokens only (the fold happens in TypeScript: đ -> d is not a Unicode
  // decomposition), so the tokenizer needs no diacritic handling of its own.
  // prefix='2 3' indexes short prefixes: "ng" or "dan" stay index lookups.
  `CREATE VIRTUAL TABLE "records_fts" USING fts5(
    search_text, content='records', content_rowid='rid', tokenize='unicode61', prefix='2 3'
  )`,
  `CREATE TRIGGER "records_fts_ai" AFTER INSERT ON "records" BEGIN
    INSERT INTO "records_fts" (rowid, search_text) VALUES (new."rid", new."search_text");
  END`,
  `CREATE TRIGGER "records_fts_ad" AFTER DELETE ON "records" BEGIN
    INSERT INTO "records_fts" ("records_fts", rowid, search_text) VALUES ('delete', old."rid", old."search_text");
  END`,
  `CREATE TRIGGER "records_fts_au" AFTER UPDATE OF "search_text" ON "records" BEGIN
    INSERT INTO "records_fts" ("records_fts", rowid, search_text) VALUES ('delete', old."rid", old."search_text");
    INSERT INTO "records_fts" (rowid, search_text) VALUES (new."rid", new."search_text");
  END`,

  `CREATE TABLE "outbox" (
    "seq" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "mutation_id" TEXT NOT NULL,
    "dataset" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "base_rev" INTEGER,
    "data" TEXT,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errors" TEXT,
    "created_at" TEXT NOT NULL,
    "sent_at" TEXT,
    CONSTRAINT "ck_outbox_op" CHECK ("op" IN ('upsert', 'delete')),
    CONSTRAINT "ck_outbox_status" CHECK ("status" IN ('queued', 'in_flight', 'quarantined'))
  )`,
  `CREATE UNIQUE INDEX "ux_outbox_mutation_id" ON "outbox" ("mutation_id")`,
  `CREATE INDEX "ix_outbox_status_seq" ON "outbox" ("status", "seq")`,
  `CREATE INDEX "ix_outbox_record" ON "outbox" ("dataset", "record_id", "seq")`,

  `CREATE TABLE "conflicts" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "dataset" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "base" TEXT,
    "local" TEXT NOT NULL,
    "remote" TEXT,
    "remote_rev" INTEGER,
    "fields" TEXT NOT NULL DEFAULT '[]',
    "details" TEXT NOT NULL DEFAULT '{}',
    "existing_id" TEXT,
    "status" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "resolved_at" TEXT,
    "resolution" TEXT,
    CONSTRAINT "ck_conflicts_kind" CHECK ("kind" IN ('fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate')),
    CONSTRAINT "ck_conflicts_status" CHECK ("status" IN ('open', 'resolved'))
  )`,
  `CREATE INDEX "ix_conflicts_status" ON "conflicts" ("status", "created_at")`,
  `CREATE INDEX "ix_conflicts_record" ON "conflicts" ("dataset", "record_id")`,
  // Invariant: at most one open conflict per record.
  `CREATE UNIQUE INDEX "ux_conflicts_open" ON "conflicts" ("dataset", "record_id") WHERE "status" = 'open'`,

  `CREATE TABLE "cursors" (
    "dataset" TEXT PRIMARY KEY NOT NULL,
    "cursor" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "resyncing" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TEXT NOT NULL,
    "caught_up_at" TEXT
  )`,
  `CREATE TABLE "catalog" (
    "dataset" TEXT PRIMARY KEY NOT NULL,
    "position" INTEGER NOT NULL,
    "descriptor" TEXT NOT NULL,
    "fetched_at" TEXT NOT NULL
  )`,
  `CREATE TABLE "digests" (
    "dataset" TEXT PRIMARY KEY NOT NULL,
    "local_digest" TEXT,
    "local_count" INTEGER,
    "platform_digest" TEXT,
    "platform_count" INTEGER,
    "local_stale" INTEGER NOT NULL DEFAULT 1,
    "status" TEXT NOT NULL,
    "checked_at" TEXT NOT NULL,
    CONSTRAINT "ck_digests_status" CHECK ("status" IN ('match', 'mismatch', 'pending'))
  )`,
  `CREATE TABLE "sync_runs" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "trigger" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "finished_at" TEXT,
    "status" TEXT NOT NULL,
    "pushed" INTEGER NOT NULL DEFAULT 0,
    "pulled" INTEGER NOT NULL DEFAULT 0,
    "conflicts" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "summary" TEXT,
    CONSTRAINT "ck_sync_runs_status" CHECK ("status" IN ('running', 'ok', 'partial', 'failed'))
  )`,
  `CREATE INDEX "ix_sync_runs_started" ON "sync_runs" ("started_at")`,
  `CREATE TABLE "health_samples" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TEXT NOT NULL,
    "ok" INTEGER NOT NULL,
    "latency_ms" INTEGER,
    "http_status" INTEGER,
    "error_code" TEXT,
    "skew_ms" INTEGER
  )`,
  `CREATE INDEX "ix_health_samples_at" ON "health_samples" ("at")`,
  `CREATE TABLE "audit_log" (
    "seq" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "dataset" TEXT,
    "record_id" TEXT,
    "details" TEXT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
  )`,
  `CREATE INDEX "ix_audit_log_record" ON "audit_log" ("dataset", "record_id")`,
  `CREATE TABLE "settings" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL)`,
  `CREATE TABLE "credentials" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL)`,
  `CREATE TABLE "lease" (
    "id" INTEGER PRIMARY KEY NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" INTEGER NOT NULL,
    CONSTRAINT "ck_lease_id" CHECK ("id" = 1)
  )`,
];
