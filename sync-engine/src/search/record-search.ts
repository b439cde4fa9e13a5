import { clamp, type RecordPage } from '../records/record-reads.js';
import { fromDb, RECORD_COLUMNS, toView, type DbRecordRow, type RecordState } from '../records/record-row.js';
import type { EngineContext } from '../store/engine-context.js';
import { ftsMatchExpression } from './fts-query.js';

export interface SearchOptions {
  state?: RecordState;
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
   * Best matches first (bm25), then newest; newest first when more than
   * RANKED_MATCHES match (`totalCapped`). An empty query lists the dataset.
   */
  async searchRecords(dataset: string, query: string, options: SearchOptions = {}): Promise<RecordPage> {
    const match = ftsMatchExpression(query);
    const limit = clamp(options.limit ?? 50, 1, 1000);
    const offset = Math.max(0, options.offset ?? 0);
    const where = ['r."dataset" = ?', 'r."deleted" = 0'];
    const params: unknown[] = [dataset];
    if (options.state) {
      where.push('r."state" = ?');
      params.push(options.state);
    }
    const db = this.ctx.store.sql;
    if (match === null) {
      const clause = where.join(' AND ');
      const rows = await db.all<DbRecordRow>(
        `SELECT ${columns('r')} FROM "records" r WHERE ${clause} ORDER BY r."updated_at" DESC, r."rid" DESC LIMIT ? OFFSET ?`,
        [...params, limit, offset],
      );
      const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "records" r WHERE ${clause}`, params))?.n ?? 0;
      return { items: rows.map((row) => toView(fromDb(row))), total };
    }
    // CROSS JOIN pins the FTS table as the outer loop: the planner would otherwise walk
    // the dataset's records and run the full-text query once per row.
    const from = `"records_fts" f CROSS JOIN "records" r ON r."rid" = f.rowid WHERE "records_fts" MATCH ? AND ${where.join(' AND ')}`;
    // Ranking (bm25) costs per match: above RANKED_MATCHES (a query of one or two
    // letters on a big dataset) the newest matches come first and the total is a floor.
    const counted = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${from} LIMIT ?)`, [match, ...params, RANKED_MATCHES + 1]))?.n ?? 0;
    const capped = counted > RANKED_MATCHES;
    const rows = await db.all<DbRecordRow>(
      `SELECT ${columns('r')} FROM ${from} ORDER BY ${capped ? 'f.rowid DESC' : 'f.rank, r."updated_at" DESC'} LIMIT ? OFFSET ?`,
      [match, ...params, limit, offset],
    );
    const items = rows.map((row) => toView(fromDb(row)));
    return capped ? { items, total: RANKED_MATCHES, totalCapped: true } : { items, total: counted };
  }

  /** Rebuilds the full-text index from the records table (diagnostics; the triggers keep it in step). */
  async rebuildIndex(): Promise<void> {
    await this.ctx.store.transaction((tx) => tx.run(`INSERT INTO "records_fts" ("records_fts") VALUES ('rebuild')`));
  }
}

/** Matches ranked by relevance; beyond this a query is too broad to rank cheaply. */
export const RANKED_MATCHES = 5000;

function columns(alias: string): string {
  return RECORD_COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}
