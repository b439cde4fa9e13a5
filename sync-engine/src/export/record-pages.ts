import type { DatasetDescriptor } from '../protocol/catalog.js';
import { filterTerms, type RecordFilter } from '../records/record-filter.js';
import { PENDING } from '../records/record-reads.js';
import type { RecordState } from '../records/record-row.js';
import { ftsMatchExpression } from '../search/fts-query.js';
import type { Sql } from '../store/sql.js';

/**
 * The records an export writes (CSV or Excel): the ones the Records list shows
 * for the same filter (search text, state, the schema's filters): deleted ones never; a record in
 * conflict as this office's current version. They are read in pages of
 * PAGE_ROWS by a keyset on the row id (oldest record first), each page to be
 * written before the next is read, so memory stays flat at any size; a record
 * written during the export is exported at most once.
 */
export const PAGE_ROWS = 1000;

export interface ExportFilter {
  /** The Records list's search text (accent-insensitive); blank: all records. */
  search?: string | undefined;
  state?: RecordState | undefined;
  /** The schema's filters (records/record-filter.ts): a status, a commune, overdue or due today. */
  filter?: RecordFilter | undefined;
  /** The clock "overdue" and "due today" read (ms); default Date.now(). */
  now?: number | undefined;
}

export interface ExportRow {
  rid: number;
  data: string | null;
  state: RecordState;
}

/** The Records list's records for the filter, PAGE_ROWS at a time, oldest row first. */
export async function* recordPages(db: Sql, descriptor: DatasetDescriptor, filter: ExportFilter): AsyncGenerator<ExportRow[]> {
  const dataset = descriptor.name;
  const match = filter.search === undefined ? null : ftsMatchExpression(filter.search);
  // The schema's filters are read in each walked record's row (json_extract), not in their expression index:
  // the walk keeps its rid order, and an export reads every exported row anyway.
  const terms = filterTerms(descriptor, filter.filter, filter.now ?? Date.now(), 'r.');
  const state = [...(filter.state ? [`r."state" = ?`, ...(filter.state === 'synced' ? [] : [`r.${PENDING}`])] : []), ...(terms?.where ?? [])];
  const stateParams = [...(filter.state ? [filter.state] : []), ...(terms?.params ?? [])];
  // ix_records_search (rid, dataset, deleted, state, updated_at) holds every column the filter reads, in rid order:
  // each page seeks past the last rid and walks the index, never sorting the dataset or reading skipped rows.
  const rids =
    match === null
      ? `SELECT r."rid" FROM "records" r INDEXED BY "ix_records_search" WHERE r."rid" > ? AND r."dataset" = ? AND r."deleted" = 0 ${state.map((s) => `AND ${s}`).join(' ')} ORDER BY r."rid" LIMIT ?`
      : // As the Records list's search (search/record-search.ts): the full-text index drives, in rowid order.
        `SELECT f.rowid AS "rid" FROM "records_fts" f CROSS JOIN "records" r INDEXED BY "ix_records_search" ON r."rid" = f.rowid
         WHERE "records_fts" MATCH ? AND f.rowid > ? AND r."dataset" = ? AND r."deleted" = 0 ${state.map((s) => `AND ${s}`).join(' ')} ORDER BY f.rowid LIMIT ?`;
  let after = 0;
  for (;;) {
    const params = match === null ? [after, dataset, ...stateParams, PAGE_ROWS] : [match, after, dataset, ...stateParams, PAGE_ROWS];
    const page = await db.all<ExportRow>(
      `SELECT p."rid" AS "rid", p."data" AS "data", p."state" AS "state" FROM (${rids}) m CROSS JOIN "records" p ON p."rid" = m."rid" ORDER BY p."rid"`,
      params,
    );
    // A row deleted between the two reads of the statement is not there: the page is what it found.
    const live = page.filter((r) => r.data !== null);
    if (live.length > 0) yield live;
    if (page.length < PAGE_ROWS) return;
    after = page[page.length - 1]!.rid;
  }
}
