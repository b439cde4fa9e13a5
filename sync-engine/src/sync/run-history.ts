import type { Sql } from '../store/sql.js';

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
