import type { RecordFilter } from '../records/record-filter.js';
import { clamp, PENDING, RecordReads, type RecordPage } from '../records/record-reads.js';
import { recordViewColumns, viewFromDb, type DbRecordViewRow, type RecordState, type RecordView } from '../records/record-row.js';
import type { EngineContext } from '../store/engine-context.js';
import { ftsMatchExpression } from './fts-query.js';

export interface SearchOptions {
  state?: RecordState;
  /** The schema's filters (records/record-filter.ts), as the list takes them. */
  filter?: RecordFilter | undefined;
  limit?: number;
  offset?: number;
}

/**
 * Accent-insensitive search over the local cache (PRODUCT.md: "nguyen thi
 * huong" finds "Nguyễn Thị Hương", "dang" finds "Đặng"). Records keep a folded
 * `search_text`; an FTS5 index over it (kept in step by triggers, inside the
 * same transactions as the writes) answers prefix queries without scanning,
 * where a LIKE '%...%' would read every row.
 */
export class RecordSearch {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Best matches first (bm25), then newest, when at most RANKED_MATCHES match;
   * newest first beyond. The total is exact up to COUNTED_MATCHES, a floor
   * above (`totalCapped`). An empty query lists the dataset.
   */
  async searchRecords(dataset: string, query: string, options: SearchOptions = {}): Promise<RecordPage> {
    const match = ftsMatchExpression(query);
    const limit = clamp(options.limit ?? 50, 1, 1000);
    const offset = Math.max(0, options.offset ?? 0);
    const reads = new RecordReads(this.ctx);
    if (match === null) return reads.list(dataset, { ...(options.state ? { state: options.state } : {}), filter: options.filter, limit, offset });
    const where = ['r."dataset" = ?', 'r."deleted" = 0'];
    const params: unknown[] = [dataset];
    if (options.state) {
      where.push('r."state" = ?');
      params.push(options.state);
      if (options.state !== 'synced') {
        where.push(`r.${PENDING}`);
        // The few records in a pending state, listed once from their partial index: each match is
        // looked up in that list, not in ix_records_search. A broad word matches most of a large cache
        // ("nguyen": 660,000 of 1,000,000), and a seek per match took about 0.5 s to find a few hundred.
        // The + keeps the list a filter of the matches, not a rowid lookup in the full-text index per pending record.
        where.unshift(`+f.rowid IN (SELECT "rid" FROM "records" INDEXED BY "ix_records_pending" WHERE "dataset" = ? AND "state" = ? AND "deleted" = 0 AND ${PENDING})`);
        params.unshift(dataset, options.state);
      }
    }
    const terms = await reads.filterTermsOf(dataset, options.filter);
    if (terms) {
      // As the pending list above: the filter's records, listed once from its expression index, each match looked up in that list.
      where.unshift(`+f.rowid IN (SELECT "rid" FROM "records" WHERE ${terms.where.join(' AND ')})`);
      params.unshift(...terms.params);
    }
    const db = this.ctx.store.sql;
    // CROSS JOIN pins the FTS table as the outer loop: the planner would otherwise walk
    // the dataset's records and run the full-text query once per row. Each match is
    // checked in ix_records_search (a few MB that stay cached), not in its 1 KB row.
    const matches = `"records_fts" f CROSS JOIN "records" r INDEXED BY "ix_records_search" ON r."rid" = f.rowid
      WHERE "records_fts" MATCH ? AND ${where.join(' AND ')}`;
    // The matches' rids, newest first, up to one past what is counted, kept in SQLite: their number is
    // the total, and beyond RANKED_MATCHES the page is a slice of them, read in the same statement. A
    // short prefix ("0", "n") makes FTS5 merge the lists of every word it starts (each personal ID is a
    // word) before the first match: about 0.25 s in a cache of 1,000,000 records, paid once here where
    // counting and then paging paid it twice. The rids stay in SQLite: handing 5,001 rows to JavaScript
    // to count them cost more than the count (docs/performance.md, item 7).
    const sliced = await db.all<DbRecordViewRow & { matched: number }>(
      `WITH "m" AS MATERIALIZED (SELECT f.rowid AS "rid" FROM ${matches} ORDER BY f.rowid DESC LIMIT ?),
        "c" AS (SELECT COUNT(*) AS "n" FROM "m")
       SELECT c."n" AS "matched", ${recordViewColumns('p')} FROM "c"
       LEFT JOIN (SELECT "rid" FROM "m" WHERE (SELECT "n" FROM "c") > ? ORDER BY "rid" DESC LIMIT ? OFFSET ?) s
       LEFT JOIN "records" p ON p."rid" = s."rid"
       ORDER BY s."rid" DESC`,
      [match, ...params, COUNTED_MATCHES + 1, RANKED_MATCHES, limit, offset],
    );
    const counted = sliced[0]?.matched ?? 0;
    if (counted === 0) return { items: [], total: 0 };
    const capped = counted > COUNTED_MATCHES;
    const total = (items: RecordView[]): RecordPage => (capped ? { items, total: COUNTED_MATCHES, totalCapped: true } : { items, total: counted });
    if (counted > RANKED_MATCHES && (!capped || offset + limit <= counted)) {
      return total(sliced.filter((row) => row.id !== null).map(viewFromDb));
    }
    // The page is chosen among the matches first; only its rows are then read.
    const page = counted > RANKED_MATCHES
      ? `SELECT f.rowid AS "rid", 0 AS "rank", 0 AS "updated_at" FROM ${matches} ORDER BY f.rowid DESC LIMIT ? OFFSET ?`
      : `SELECT f.rowid AS "rid", f.rank AS "rank", r."updated_at" AS "updated_at" FROM ${matches} ORDER BY f.rank, r."updated_at" DESC LIMIT ? OFFSET ?`;
    const rows = await db.all<DbRecordViewRow>(
      `SELECT ${recordViewColumns('p')} FROM (${page}) m CROSS JOIN "records" p ON p."rid" = m."rid"
       ORDER BY m."rank", m."updated_at" DESC, m."rid" DESC`,
      [match, ...params, limit, offset],
    );
    return total(rows.map(viewFromDb));
  }

  /** Rebuilds the full-text index from the records table (diagnostics; the triggers keep it in step). */
  async rebuildIndex(): Promise<void> {
    await this.ctx.store.transaction((tx) => tx.run(`INSERT INTO "records_fts" ("records_fts") VALUES ('rebuild')`));
  }
}

/**
 * Matches ranked by relevance; beyond this a query is too broad to rank cheaply.
 * bm25 first scans every row holding each typed prefix (its IDF), then scores
 * each match: at 100,000 records a query with 1,000 to 5,000 matches ("dang",
 * "nguyen van an") spent most of its time there (docs/performance.md). Nobody
 * pages through a thousand ranked results: they type another letter.
 */
export const RANKED_MATCHES = 1000;

/** Matches counted exactly; beyond this the total is a floor (`totalCapped`). */
export const COUNTED_MATCHES = 5000;
