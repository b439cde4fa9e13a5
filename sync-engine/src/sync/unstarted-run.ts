import { REDOABLE } from '../store/durability.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { pruneSyncRuns } from './run-history.js';
import type { SyncRunError, SyncSummary, SyncTrigger } from './sync-events.js';

/**
 * A run stopped before it could reach the platform by a setting of this
 * computer that no longer works (a CA file deleted or replaced): kept in
 * sync_runs as a failed run with its reason, as a run the platform stopped
 * is, so the sync history and the last sync say so instead of the last good run.
 */
export async function recordUnstartedRun(ctx: EngineContext, trigger: SyncTrigger, entry: SyncRunError): Promise<SyncSummary> {
  const runId = ctx.newId();
  const at = isoNow(ctx);
  const summary: SyncSummary = {
    runId,
    trigger,
    startedAt: at,
    finishedAt: at,
    status: 'failed',
    pushed: 0,
    pulled: 0,
    conflicts: 0,
    rejected: 0,
    autoMerged: 0,
    resent: 0,
    swept: 0,
    resynced: [],
    digests: {},
    errors: [entry],
  };
  await ctx.store.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO "sync_runs" ("id", "trigger", "started_at", "finished_at", "status", "pushed", "pulled", "conflicts", "rejected", "error", "summary")
       VALUES (?, ?, ?, ?, 'failed', 0, 0, 0, 0, ?, ?)`,
      [runId, trigger, at, at, JSON.stringify(entry), JSON.stringify(summary)],
    );
    await pruneSyncRuns(tx, ctx.now());
  }, REDOABLE);
  return summary;
}
