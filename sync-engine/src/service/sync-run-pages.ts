import type { SyncRunView } from '../api/views.js';
import type { SyncRunDetail } from '../api/sync-run-detail.js';
import type { Sql } from '../store/sql.js';
import type { SyncSummary } from '../sync/sync-events.js';
import { describeRunError, RUN_COLUMNS, toSyncRunView, type SyncRunRow } from './sync-run-view.js';

/** Rows read at a time while grouping: a week offline is a few hundred failed runs, the history at most 30 days. */
const READ_AHEAD = 500;

export interface SyncRunPageOptions {
  limit: number;
  /** Only runs numbered below this one. */
  before?: number;
  /** Failed runs in a row that stopped for the same reason as one row (SyncRunView.repeats). */
  group: boolean;
}

/**
 * A page of the sync history, newest first. Grouped, `limit` counts rows, and
 * the last row's group is read to its end (the next page starts below its
 * oldest run), so a group is never cut in two across pages.
 */
export async function syncRunPage(db: Sql, options: SyncRunPageOptions, home: string): Promise<SyncRunView[]> {
  const rows: SyncRunView[] = [];
  let last: { view: SyncRunView; key: string | null } | null = null;
  let below = options.before ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const batch = await db.all<SyncRunRow>(`SELECT ${RUN_COLUMNS} FROM "sync_runs" WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`, [
      below,
      options.group ? READ_AHEAD : options.limit - rows.length,
    ]);
    for (const row of batch) {
      const view = toSyncRunView(row, home);
      const key = options.group ? repeatKey(view) : null;
      if (last && key !== null && key === last.key) {
        const count = (last.view.repeats?.count ?? 1) + 1;
        last.view.repeats = { count, firstId: view.id, firstStartedAt: view.startedAt };
        continue;
      }
      if (rows.length === options.limit) return rows;
      rows.push(view);
      last = { view, key };
    }
    if (!options.group || batch.length < READ_AHEAD) return rows;
    below = batch[batch.length - 1]!.n;
  }
}

/**
 * What makes two failed runs the same failure: the same code and the same
 * sentence (a clock 3 hours off and one 5 minutes off are not the same, nor a
 * held-back change of one record and of another). Runs that did not fail are
 * never grouped: each of them moved something or could have.
 */
function repeatKey(run: SyncRunView): string | null {
  if (run.status !== 'failed' || run.error === null || run.pushed + run.pulled + run.conflicts + run.rejected > 0) return null;
  return `${run.error.code}\u0000${run.error.messages.en}`;
}

/** One run's details from its stored summary (a run still going, or stored without a summary, has only its row). */
export async function syncRunDetail(db: Sql, id: number, home: string): Promise<SyncRunDetail | null> {
  const row = await db.get<SyncRunRow & { summary: string | null }>(`SELECT ${RUN_COLUMNS}, "summary" FROM "sync_runs" WHERE rowid = ?`, [id]);
  if (!row) return null;
  const run = toSyncRunView(row, home);
  const summary = row.summary ? (JSON.parse(row.summary) as Partial<SyncSummary>) : {};
  const at = Date.parse(row.finished_at ?? row.started_at);
  return {
    run,
    errors: (summary.errors ?? []).map((entry) => ({ ...describeRunError(entry, at, home), dataset: entry.dataset ?? null })),
    autoMerged: summary.autoMerged ?? 0,
    resynced: summary.resynced ?? [],
    digests: Object.entries(summary.digests ?? {}).map(([dataset, outcome]) => ({
      dataset,
      status: outcome.status,
      localCount: outcome.localCount,
      platformCount: outcome.platformCount,
    })),
  };
}
