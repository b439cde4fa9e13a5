import type { EngineContext } from '../store/engine-context.js';
import { fromDb, getRecord, RECORD_COLUMNS, RECORD_STATES, toView, type DbRecordRow, type RecordState, type RecordView } from './record-row.js';

export interface ListOptions {
  state?: RecordState;
  /** Include records whose local version is a pending delete (default false). */
  includeDeleted?: boolean;
  limit?: number;
  offset?: number;
}

export interface RecordPage {
  items: RecordView[];
  total: number;
  /** Search only: more than `total` records match (the query is too broad to count and rank). */
  totalCapped?: true;
}

/** Reads of the local cache: all offline, newest change first. */
export class RecordReads {
  constructor(private readonly ctx: EngineContext) {}

  async get(dataset: string, id: string): Promise<RecordView | null> {
    const row = await getRecord(this.ctx.store.sql, dataset, id);
    return row ? toView(row) : null;
  }

  async list(dataset: string, options: ListOptions = {}): Promise<RecordPage> {
    const where = ['"dataset" = ?'];
    const params: unknown[] = [dataset];
    if (options.state) {
      where.push('"state" = ?');
      params.push(options.state);
    }
    if (!options.includeDeleted) where.push('"deleted" = 0');
    const clause = where.join(' AND ');
    const db = this.ctx.store.sql;
    const rows = await db.all<DbRecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM "records" WHERE ${clause} ORDER BY "updated_at" DESC, "rid" DESC LIMIT ? OFFSET ?`,
      [...params, clamp(options.limit ?? 50, 1, 1000), Math.max(0, options.offset ?? 0)],
    );
    const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "records" WHERE ${clause}`, params))?.n ?? 0;
    return { items: rows.map((r) => toView(fromDb(r))), total };
  }

  /** How many records of a dataset (or of all) are in each state. */
  async countsByState(dataset?: string): Promise<Record<RecordState, number>> {
    const rows = await this.ctx.store.sql.all<{ state: RecordState; n: number }>(
      `SELECT "state", COUNT(*) AS n FROM "records" ${dataset ? 'WHERE "dataset" = ?' : ''} GROUP BY "state"`,
      dataset ? [dataset] : [],
    );
    const out = Object.fromEntries(RECORD_STATES.map((s) => [s, 0])) as Record<RecordState, number>;
    for (const r of rows) out[r.state] = r.n;
    return out;
  }
}

export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}
