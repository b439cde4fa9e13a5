import type { MergeSide } from '../domain/merge.js';
import { isRemoval, type PullChange } from '../protocol/pull.js';
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
  /** NULL when base_same = 1. */
  base_data: string | null;
  base_deleted: number;
  /** 1: the base is the local version itself (data and deleted), stored once. */
  base_same: number;
  state: RecordState;
  search_text: string;
  updated_at: string;
  updated_by: string | null;
  pull_gen: number;
}

const COLUMNS =
  '"dataset", "id", "data", "deleted", "rev", "base_data", "base_deleted", "base_same", "state", "search_text", "updated_at", "updated_by", "pull_gen"';
const COLUMN_COUNT = 13;
/** Rows per INSERT: 13 parameters each, well under SQLite's bound-parameter limit. */
const ROWS_PER_STATEMENT = 1000;

/** Every column but the key takes the incoming row's value. */
const UPSERT = `ON CONFLICT ("dataset", "id") DO UPDATE SET
  "data" = excluded."data", "deleted" = excluded."deleted", "rev" = excluded."rev",
  "base_data" = excluded."base_data", "base_deleted" = excluded."base_deleted", "base_same" = excluded."base_same",
  "state" = excluded."state", "search_text" = excluded."search_text", "updated_at" = excluded."updated_at",
  "updated_by" = excluded."updated_by", "pull_gen" = excluded."pull_gen"`;

/**
 * A stored row as the engine sees it. With base_same the base is the local
 * version: baseData is the SAME object as data (rows are never mutated in
 * place), equal to what parsing a second copy of the text would give.
 */
export function fromDb(row: DbRecordRow): RecordRow {
  const data = fromJson<RecordData>(row.data);
  return {
    dataset: row.dataset,
    id: row.id,
    data,
    deleted: row.deleted === 1,
    rev: row.rev,
    baseData: row.base_same === 1 ? data : fromJson<RecordData>(row.base_data),
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

/**
 * The cached rows a pulled page must look at before it writes (sync/pull-page.ts):
 * rows with a pending local change (merged, never overwritten), rows newer than
 * the incoming change (kept as they are), and rows that a tombstone or a
 * removal targets (dropped). A synced row that the page overwrites with the
 * same or a newer rev is left out: the page's upsert replaces it whatever it
 * held, so reading and parsing it would be wasted work, and on a page of
 * national updates that is nearly every row. The rev comparison runs in SQLite:
 * one statement per 1000 changes (CROSS JOIN: the page's ids drive the lookups
 * in ux_records_dataset_id), and only the rows returned are parsed.
 * `writtenAfter` (a resync the platform asked for because it was restored: its
 * head time) adds the rows whose version was written after it, which the
 * restore lost and a newer national version must not overwrite unseen
 * (sync/lost-changes.ts).
 */
export async function getRecordsForPull(
  db: Sql,
  dataset: string,
  changes: ReadonlyMap<string, PullChange>,
  writtenAfter: string | null = null,
): Promise<Map<string, RecordRow>> {
  const out = new Map<string, RecordRow>();
  for (const part of chunk([...changes.values()], 1000)) {
    const rows = await db.all<DbRecordRow>(
      `WITH "incoming" ("id", "rev") AS (VALUES ${part.map(() => '(?, ?)').join(', ')})
       SELECT ${prefixedColumns('r')} FROM "incoming" i CROSS JOIN "records" r ON r."dataset" = ? AND r."id" = i."id"
       WHERE r."state" <> 'synced' OR i."rev" IS NULL OR r."rev" > i."rev"${writtenAfter === null ? '' : ` OR r."updated_at" > ?`}`,
      [...part.flatMap((c) => [c.id, isRemoval(c) || c.deleted ? null : c.rev]), dataset, ...(writtenAfter === null ? [] : [writtenAfter])],
    );
    for (const row of rows) out.set(row.id, fromDb(row));
  }
  return out;
}

/** What settling a pushed change needs to know of a cached record. */
export interface RecordHead {
  deleted: boolean;
  state: RecordState;
}

/** The cached records among `ids`, keyed by id: their state and deleted flag only, nothing parsed. */
export async function getRecordHeads(db: Sql, dataset: string, ids: readonly string[]): Promise<Map<string, RecordHead>> {
  const out = new Map<string, RecordHead>();
  for (const part of chunk([...new Set(ids)], 1000)) {
    const rows = await db.all<{ id: string; deleted: number; state: RecordState }>(
      `SELECT "id", "deleted", "state" FROM "records" WHERE "dataset" = ? AND "id" IN (${part.map(() => '?').join(', ')})`,
      [dataset, ...part],
    );
    for (const row of rows) out.set(row.id, { deleted: row.deleted === 1, state: row.state });
  }
  return out;
}

/** A pushed change the platform accepted: the record's new agreed version. */
export interface AgreedBase {
  id: string;
  rev: number;
  /** The outbox entry that carried the change: its stored data is the new base. */
  entrySeq: number;
  baseDeleted: boolean;
  /** The record's new state; null keeps the current one. */
  state: RecordState | null;
}

/**
 * Sets the agreed base (rev, base) of records after a push, with one UPDATE per
 * 1000 records, in SQLite: the local version (data, search text, times) is not
 * read, parsed or written again, so neither the full-text index nor the order
 * indexes move. The base is the data the outbox entry carried, taken from the
 * entry's row in the same statement (call it before the entries are deleted):
 * 500 records' JSON is neither serialised again nor bound, which cost a push
 * batch about 10 ms on the JavaScript thread. The base is stored as "same as
 * data" exactly when writeRecords would store it so (same JSON text, same
 * deleted flag).
 */
export async function settleRecords(tx: Sql, dataset: string, agreed: readonly AgreedBase[], pullGen: number): Promise<void> {
  for (const part of chunk(agreed, 1000)) {
    const sent = `CASE WHEN v.column4 = 1 THEN NULL ELSE o."data" END`;
    const same = `"records"."deleted" = v.column4 AND "records"."data" IS ${sent}`;
    await tx.run(
      `UPDATE "records" SET "rev" = v.column2,
         "base_same" = CASE WHEN ${same} THEN 1 ELSE 0 END,
         "base_data" = CASE WHEN ${same} THEN NULL ELSE ${sent} END,
         "base_deleted" = v.column4, "state" = COALESCE(v.column5, "records"."state"), "pull_gen" = ?
       FROM (VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')}) AS v JOIN "outbox" o ON o."seq" = v.column3
       WHERE "records"."dataset" = ? AND "records"."id" = v.column1`,
      [pullGen, ...part.flatMap((a) => [a.id, a.rev, a.entrySeq, a.baseDeleted ? 1 : 0, a.state]), dataset],
    );
  }
}

/**
 * Writes rows with multi-row INSERT ... ON CONFLICT DO UPDATE: one statement per
 * 1000 rows, the FTS index kept in step by the table's triggers. A row whose
 * base is its local version (same JSON text, same deleted flag) is stored with
 * base_same = 1 and no second copy of the JSON (migration 0002).
 */
export async function writeRecords(tx: Sql, rows: readonly RecordRow[]): Promise<void> {
  for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
    await tx.run(
      `INSERT INTO "records" (${COLUMNS}) VALUES ${part.map(() => placeholders(COLUMN_COUNT)).join(', ')} ${UPSERT}`,
      part.flatMap(toParams),
    );
  }
}

/** A platform version written over a record with no pending change: base = data, state 'synced'. */
export interface PulledVersion {
  id: string;
  data: RecordData | null;
  rev: number;
  searchText: string;
  updatedAt: string;
  updatedBy: UpdatedBy | null;
}

/** Parameters per pulled row: the rest of the row is the same for a whole page. */
const PULLED_PARAMS = 6;
const pulledStatements = new Map<number, string>();

/**
 * writeRecords for the common case of a pull: rows that take the platform's
 * version as it is. What every such row shares (dataset, pull generation, not
 * deleted, base "same as data", state 'synced') is bound once or written as a
 * literal, so a page of 1,000 binds 6,002 parameters instead of 13,000: the
 * binding runs on the JavaScript thread, which is the initial sync's bottleneck.
 */
export async function writePulledRecords(tx: Sql, dataset: string, pullGen: number, rows: readonly PulledVersion[]): Promise<void> {
  for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
    const params: unknown[] = [dataset, pullGen];
    for (const r of part) params.push(r.id, toJson(r.data), r.rev, r.searchText, r.updatedAt, toJson(r.updatedBy));
    await tx.run(pulledStatement(part.length), params);
  }
}

function pulledStatement(rows: number): string {
  let sql = pulledStatements.get(rows);
  if (sql === undefined) {
    // Numbered parameters (?1 for the dataset on every row) made SQLite take 2.5x longer
    // to run the statement; a one-row CTE of the shared values costs nothing.
    const values = new Array<string>(rows).fill(placeholders(PULLED_PARAMS)).join(', ');
    sql = `WITH "page" ("dataset", "pull_gen") AS (SELECT ?, ?)
      INSERT INTO "records" (${COLUMNS})
      SELECT p."dataset", v.column1, v.column2, 0, v.column3, NULL, 0, 1, 'synced', v.column4, v.column5, v.column6, p."pull_gen"
      FROM "page" p, (VALUES ${values}) v WHERE true ${UPSERT}`;
    // Pages are full but for the last one of each pull: a few sizes at most.
    if (pulledStatements.size < 8) pulledStatements.set(rows, sql);
  }
  return sql;
}

function toParams(r: RecordRow): unknown[] {
  const data = toJson(r.data);
  // Same object (a pulled record) or same text: the base is stored as "same as data".
  const base = r.baseData === r.data ? data : toJson(r.baseData);
  const same = r.baseDeleted === r.deleted && base === data;
  return [
    r.dataset,
    r.id,
    data,
    r.deleted ? 1 : 0,
    r.rev,
    same ? null : base,
    r.baseDeleted ? 1 : 0,
    same ? 1 : 0,
    r.state,
    r.searchText,
    r.updatedAt,
    toJson(r.updatedBy),
    r.pullGen,
  ];
}

/**
 * Marks the cached local digest of datasets stale: the next check recounts it
 * from the records. Ordinary writes need not call it: the digest journal's
 * triggers (store migration 0003) follow every change to the live set; this is
 * for a change of a whole dataset (a resync sweep).
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

/** The columns a RecordView needs: lists and search read neither the base nor the search text. */
const VIEW_COLUMNS = ['dataset', 'id', 'data', 'deleted', 'rev', 'state', 'updated_at', 'updated_by'] as const;
type DbRecordViewRow = Pick<DbRecordRow, (typeof VIEW_COLUMNS)[number]>;

/** `alias."dataset", alias."id", ...` for a RecordView, as `viewFromDb` reads them. */
export function recordViewColumns(alias: string): string {
  return VIEW_COLUMNS.map((c) => `${alias}."${c}"`).join(', ');
}

export function viewFromDb(row: DbRecordViewRow): RecordView {
  return {
    dataset: row.dataset,
    id: row.id,
    data: fromJson<RecordData>(row.data),
    deleted: row.deleted === 1,
    rev: row.rev,
    state: row.state,
    updatedAt: row.updated_at,
    updatedBy: fromJson(row.updated_by),
  };
}

/**
 * A records row as one JSON object (SQLite json_object, keys = column names),
 * for a query that fetches it along with other things in one statement;
 * `fromDb(JSON.parse(text))` reads it.
 */
export function recordJsonObject(alias: string): string {
  return `json_object(${COLUMNS.split(', ')
    .map((c) => `'${c.slice(1, -1)}', ${alias}.${c}`)
    .join(', ')})`;
}

function prefixedColumns(alias: string): string {
  return COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

export { COLUMNS as RECORD_COLUMNS };
export type { DbRecordRow, DbRecordViewRow };
