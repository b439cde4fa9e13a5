import type { EngineContext } from '../store/engine-context.js';
import { filterTerms, type FilterTerms, type RecordFilter } from './record-filter.js';
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
  /** The schema's filters (records/record-filter.ts): a status, a commune, overdue or due today. */
  filter?: RecordFilter | undefined;
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
   * Newest change first. Served by indexes at any cache size (migrations 0002,
   * 0007): without a state or with 'synced' (the bulk), ix_records_live gives
   * the order, the filter and the count; with a pending state, the partial
   * ix_records_pending does. 'synced' is counted as live minus pending.
   */
  async list(dataset: string, options: ListOptions = {}): Promise<RecordPage> {
    const db = this.ctx.store.sql;
    const q = listQuery(dataset, { ...options, terms: await this.filterTermsOf(dataset, options.filter) });
    const rows = await db.all<DbRecordViewRow>(q.page.sql, [...q.page.params, clamp(options.limit ?? 50, 1, 1000), Math.max(0, options.offset ?? 0)]);
    // Kept until the next write (CountCache): scrolling to the next page does not count 1,000,000 records again.
    const count = (s: Statement) => this.ctx.store.counts.count(s.sql, s.params);
    const total = q.uncounted === null ? await count(q.count) : (await count(q.count)) - (await count(q.uncounted));
    return { items: rows.map(viewFromDb), total };
  }

  /** The filter's SQL for the dataset's cached schema; null without a filter (or without the dataset). */
  async filterTermsOf(dataset: string, filter: RecordFilter | undefined, alias = ''): Promise<FilterTerms | null> {
    if (!filter || (Object.keys(filter.fields ?? {}).length === 0 && !filter.due)) return null;
    const descriptor = await this.ctx.catalog.get(this.ctx.store.sql, dataset);
    return descriptor ? filterTerms(descriptor, filter, this.ctx.now(), alias) : null;
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

interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The statements of `RecordReads.list`. `page` (then LIMIT and OFFSET) picks
 * the page's rids in an index first, so the records a deep OFFSET skips are
 * stepped over in the index, never read, and then reads only the rows shown.
 * 'synced' (the bulk of a cache) is "live and not pending": the pending rids
 * come from the partial ix_records_pending (a few, held in a list) and the
 * walk stays in ix_records_live, which has no state column: filtering on
 * `"state" = 'synced'` read every skipped record's row instead (1.2-1.6 s for a
 * page near the end of 1,000,000, docs/performance.md). `count` counts the
 * matches; when `uncounted` is set ('synced'), the total is `count` minus
 * `uncounted`: live records less the pending ones, two counts in indexes.
 * `terms` (a filter, records/record-filter.ts) narrow all three; the filter's
 * expression index serves them. A due filter orders by the deadline, earliest
 * first, instead of newest change first.
 */
export function listQuery(
  dataset: string,
  options: Pick<ListOptions, 'state' | 'includeDeleted'> & { terms?: FilterTerms | null } = {},
): { page: Statement; count: Statement; uncounted: Statement | null } {
  const terms = options.terms ?? null;
  const base = ['"dataset" = ?'];
  if (!options.includeDeleted) base.push('"deleted" = 0');
  if (terms) base.push(...terms.where);
  const params: unknown[] = [dataset, ...(terms?.params ?? [])];
  const countOf = (where: readonly string[]) => `SELECT COUNT(*) AS n FROM "records" WHERE ${where.join(' AND ')}`;
  const [key, order] = terms?.orderBy ? [terms.orderBy, 'ASC'] : ['"updated_at"', 'DESC'];
  const pageOf = (where: readonly string[]) =>
    `SELECT ${recordViewColumns('p')} FROM (SELECT "rid", ${key} AS "k" FROM "records" WHERE ${where.join(' AND ')} ORDER BY ${key} ${order}, "rid" ${order} LIMIT ? OFFSET ?) m
    CROSS JOIN "records" p ON p."rid" = m."rid" ORDER BY m."k" ${order}, m."rid" ${order}`;
  if (options.state === 'synced') {
    const synced = [...base, `"rid" NOT IN (SELECT "rid" FROM "records" WHERE "dataset" = ? AND ${PENDING})`];
    return { page: { sql: pageOf(synced), params: [...params, dataset] }, count: { sql: countOf(base), params }, uncounted: { sql: countOf([...base, PENDING]), params } };
  }
  // Spelled out so SQLite may use the partial index (it does not infer it from the equality).
  const where = options.state ? [...base, '"state" = ?', PENDING] : base;
  const all = options.state ? [...params, options.state] : params;
  return { page: { sql: pageOf(where), params: all }, count: { sql: countOf(where), params: all }, uncounted: null };
}

/** The partial index's condition, as queries must spell it to use ix_records_pending. */
export const PENDING = `"state" <> 'synced'`;

export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)));
}
