import type { Sql } from '../store/sql.js';

/** Sync history kept: the runs of the last 30 days (8,640 at the default schedule of every 5 minutes, about 10 MB). */
export const SYNC_HISTORY_DAYS = 30;
/** However old, the newest runs kept: a clock set far ahead once must not empty the history. */
export const SYNC_HISTORY_MIN_RUNS = 1000;

/**
 * The last run that went through (ok, with or without conflicts, or partial),
 * through ix_sync_runs_through (migration 0006): not a scan back over the
 * failed runs since, of which there is one every few minutes to half an hour
 * while the platform cannot be reached.
 */
export const LAST_THROUGH_SQL = `SELECT rowid AS n, "finished_at" FROM "sync_runs" WHERE "status" IN ('ok', 'partial') AND "finished_at" IS NOT NULL ORDER BY "finished_at" DESC LIMIT 1`;

/**
 * When the last run that went through finished, or null. Failed runs are kept
 * in the history while the platform cannot be reached, so the last run says
 * nothing of how long the office has been cut off: this does (the Overview,
 * `status`).
 */
export async function lastSuccessfulRunAt(db: Sql): Promise<string | null> {
  return (await db.get<{ finished_at: string }>(LAST_THROUGH_SQL))?.finished_at ?? null;
}

/**
 * Bounds `sync_runs`, which gains a row at every run (one every 5 minutes at
 * the default schedule, for as long as the service runs): runs started more
 * than SYNC_HISTORY_DAYS before `now` are deleted, except the newest
 * SYNC_HISTORY_MIN_RUNS and the last run that went through, which the Overview
 * reads. The history is for troubleshooting; what was changed, by whom, is in
 * the audit log, which is never pruned. Called in the transaction that records
 * a run; the index on started_at keeps it to the few rows it deletes.
 */
export async function pruneSyncRuns(tx: Sql, now: number): Promise<number> {
  const before = new Date(now - SYNC_HISTORY_DAYS * 86_400_000).toISOString();
  return tx.run(
    `DELETE FROM "sync_runs" WHERE "started_at" < ?
       AND rowid < (SELECT MIN(n) FROM (SELECT rowid AS n FROM "sync_runs" ORDER BY rowid DESC LIMIT ?))
       AND rowid <> COALESCE((SELECT n FROM (${LAST_THROUGH_SQL})), 0)`,
    [before, SYNC_HISTORY_MIN_RUNS],
  );
}
