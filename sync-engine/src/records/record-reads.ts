import type { EngineContext } from '../store/engine-context.js';
import {
  getRecord,
  RECORD_STATES,
  recordViewColumns,
  toView,
  viewFromDb,
  type DbRecordViewRow,
  type RecordState,
  type RecordView,
} from './record-row.js';

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

  /**
   * Newest change first. Served by indexes at any cache size (migration 0002):
   * without a state, ix_records_live gives the order and the count; with a
   * pending state, the partial ix_records_pending does; 'synced' (the bulk)
   * walks ix_records_live and is counted as live minus pending.
   */
  async list(dataset: string, options: ListOptions = {}): Promise<RecordPage> {
    const base = ['"dataset" = ?'];
    const params: unknown[] = [dataset];
    if (!options.includeDeleted) base.push('"deleted" = 0');
    const where = [...base];
    const stateParams: unknown[] = [];
    if (options.state) {
      where.push('"state" = ?');
      stateParams.push(options.state);
      // Spelled out so SQLite may use the partial index (it does not infer it from the equality).
      if (options.state !== 'synced') where.push(PENDING);
    }
    const clause = where.join(' AND ');
    const db = this.ctx.store.sql;
    const rows = await db.all<DbRecordViewRow>(
      `SELECT ${recordViewColumns('records')} FROM "records" WHERE ${clause} ORDER BY "updated_at" DESC, "rid" DESC LIMIT ? OFFSET ?`,
      [...params, ...stateParams, clamp(options.limit ?? 50, 1, 1000), Math.max(0, options.offset ?? 0)],
    );
    const count = async (sql: string, p: unknown[]) => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "records" WHERE ${sql}`, p))?.n ?? 0;
    const total =
      options.state === 'synced'
        ? (await count(base.join(' AND '), params)) - (await count([...base, PENDING].join(' AND '), params))
        : await count(clause, [...params, ...stateParams]);
    return { items: rows.map(viewFromDb), total };
  }

  /** How many records of a dataset (or of all) are in each state: the pending ones from their index, synced as the rest. */
  async countsByState(dataset?: string): Promise<Record<RecordState, number>> {
    const db = this.ctx.store.sql;
    const filter = dataset ? '"dataset" = ? AND ' : '';
    const params = dataset ? [dataset] : [];
    const rows = await db.all<{ state: RecordState; n: number }>(
      `SELECT "state", COUNT(*) AS n FROM "records" WHERE ${filter}${PENDING} GROUP BY "state"`,
      params,
    );
    const all = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "records" ${dataset ? 'WHERE "dataset" = ?' : ''}`, params))?.n ?? 0;
    const out = Object.fromEntries(RECORD_STATES.map((s) => [s, 0])) as Record<RecordState, number>;
    for (const r of rows) out[r.state] = r.n;
    out.synced = all - rows.reduce((sum, r) => sum + r.n, 0);
    return out;
  }
}

/** The partial index's condition, as queries must spell it to use ix_records_pending. */
export const PENDING = `"state" <> 'synced'`;

export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}
