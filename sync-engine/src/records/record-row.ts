import type { MergeSide } from '../domain/merge.js';
import type { RecordData, UpdatedBy } from '../protocol/records.js';
import type { Sql } from '../store/sql.js';
import { chunk, fromJson, placeholders, toJson } from '../store/sql.js';

/**
 * A record as the agent caches it. Besides the local current version it keeps
 * the base: the last version both sides agreed on (the platform's version at
 * `rev`), which is the base of every three-way merge (SYNC-PROTOCOL.md, 4).
 *
 * States: 'synced' (no pending local change), 'waiting' (an outbox entry will
 * carry the change), 'conflict' (an open conflict awaits a person), 'rejected'
 * (the platform refused the change; its entry is quarantined).
 */
export const RECORD_STATES = ['synced', 'waiting', 'conflict', 'rejected'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export interface RecordRow {
  dataset: string;
  id: string;
  /** Local current version; null when deleted. */
  data: RecordData | null;
  deleted: boolean;
  /** Platform rev the local version is based on; null if the platform never had it. */
  rev: number | null;
  baseData: RecordData | null;
  baseDeleted: boolean;
  state: RecordState;
  searchText: string;
  updatedAt: string;
  updatedBy: UpdatedBy | { user?: string } | null;
  /** Pull generation that last saw this record (resync sweeps older synced ones). */
  pullGen: number;
}

interface DbRecordRow {
  dataset: string;
  id: string;
  data: string | null;
  deleted: number;
  rev: number | null;
  base_data: string | null;
  base_deleted: number;
  state: RecordState;
  search_text: string;
  updated_at: string;
  updated_by: string | null;
  pull_gen: number;
}

const COLUMNS =
  '"dataset", "id", "data", "deleted", "rev", "base_data", "base_deleted", "state", "search_text", "updated_at", "updated_by", "pull_gen"';
const COLUMN_COUNT = 12;
/** Rows per INSERT: 12 parameters each, well under SQLite's bound-parameter limit. */
const ROWS_PER_STATEMENT = 1000;

export function fromDb(row: DbRecordRow): RecordRow {
  return {
    dataset: row.dataset,
    id: row.id,
    data: fromJson<RecordData>(row.data),
    deleted: row.deleted === 1,
    rev: row.rev,
    baseData: fromJson<RecordData>(row.base_data),
    baseDeleted: row.base_deleted === 1,
    state: row.state,
    searchText: row.search_text,
    updatedAt: row.updated_at,
    updatedBy: fromJson(row.updated_by),
    pullGen: row.pull_gen,
  };
}

/** The merge's view of the base: null when the platform never had the record. */
export function baseSide(row: RecordRow): MergeSide | null {
  return row.rev === null ? null : { data: row.baseDeleted ? null : row.baseData, deleted: row.baseDeleted };
}

export function localSide(row: RecordRow): MergeSide {
  return { data: row.deleted ? null : row.data, deleted: row.deleted };
}

export async function getRecord(db: Sql, dataset: string, id: string): Promise<RecordRow | null> {
  const row = await db.get<DbRecordRow>(`SELECT ${COLUMNS} FROM "records" WHERE "dataset" = ? AND "id" = ?`, [dataset, id]);
  return row ? fromDb(row) : null;
}

/** The cached rows among `ids`, keyed by id (one SELECT per 500 ids). */
export async function getRecords(db: Sql, dataset: string, ids: readonly string[]): Promise<Map<string, RecordRow>> {
  const out = new Map<string, RecordRow>();
  for (const part of chunk([...new Set(ids)], 500)) {
    const rows = await db.all<DbRecordRow>(
      `SELECT ${COLUMNS} FROM "records" WHERE "dataset" = ? AND "id" IN (${part.map(() => '?').join(', ')})`,
      [dataset, ...part],
    );
    for (const row of rows) out.set(row.id, fromDb(row));
  }
  return out;
}

/**
 * Writes rows with multi-row INSERT ... ON CONFLICT DO UPDATE: one statement per
 * 1000 rows, the FTS index kept in step by the table's triggers.
 */
export async function writeRecords(tx: Sql, rows: readonly RecordRow[]): Promise<void> {
  await markDigestStale(tx, rows.map((r) => r.dataset));
  for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
    await tx.run(
      `INSERT INTO "records" (${COLUMNS}) VALUES ${part.map(() => placeholders(COLUMN_COUNT)).join(', ')}
       ON CONFLICT ("dataset", "id") DO UPDATE SET
         "data" = excluded."data", "deleted" = excluded."deleted", "rev" = excluded."rev",
         "base_data" = excluded."base_data", "base_deleted" = excluded."base_deleted", "state" = excluded."state",
         "search_text" = excluded."search_text", "updated_at" = excluded."updated_at",
         "updated_by" = excluded."updated_by", "pull_gen" = excluded."pull_gen"`,
      part.flatMap((r) => [
        r.dataset,
        r.id,
        toJson(r.data),
        r.deleted ? 1 : 0,
        r.rev,
        toJson(r.baseData),
        r.baseDeleted ? 1 : 0,
        r.state,
        r.searchText,
        r.updatedAt,
        toJson(r.updatedBy),
        r.pullGen,
      ]),
    );
  }
}

/**
 * Any write to a dataset's records may change its digest input (ids, revs), so
 * the cached local digest is marked stale: once per statement, not per row.
 */
export async function markDigestStale(tx: Sql, datasets: Iterable<string>): Promise<void> {
  const list = [...new Set(datasets)];
  if (list.length === 0) return;
  await tx.run(`UPDATE "digests" SET "local_stale" = 1 WHERE "dataset" IN (${list.map(() => '?').join(', ')})`, list);
}

export async function writeRecord(tx: Sql, row: RecordRow): Promise<void> {
  await writeRecords(tx, [row]);
}

export async function deleteRecords(tx: Sql, dataset: string, ids: readonly string[]): Promise<number> {
  if (ids.length > 0) await markDigestStale(tx, [dataset]);
  let n = 0;
  for (const part of chunk(ids, 500)) {
    n += await tx.run(`DELETE FROM "records" WHERE "dataset" = ? AND "id" IN (${part.map(() => '?').join(', ')})`, [
      dataset,
      ...part,
    ]);
  }
  return n;
}

/** What screens and the API get: the row without storage details. */
export interface RecordView {
  dataset: string;
  id: string;
  data: RecordData | null;
  deleted: boolean;
  rev: number | null;
  state: RecordState;
  updatedAt: string;
  updatedBy: RecordRow['updatedBy'];
}

export function toView(row: RecordRow): RecordView {
  return {
    dataset: row.dataset,
    id: row.id,
    data: row.data,
    deleted: row.deleted,
    rev: row.rev,
    state: row.state,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

export { COLUMNS as RECORD_COLUMNS };
export type { DbRecordRow };
