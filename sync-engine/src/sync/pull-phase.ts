import type { DatasetDescriptor } from '../protocol/catalog.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { beginResync, cursorState } from './cursor-store.js';
import { applyPullPage, type BeforeCursorHook } from './pull-page.js';
import type { PlatformClient } from './ports.js';
import { PlatformError } from './platform-error.js';

export interface PullTotals {
  pulled: number;
  conflicts: number;
  autoMerged: number;
  resynced: boolean;
}

export interface PullOptions {
  limit: number;
  /** Bound on pages per dataset per run (a catch-up of days is many pages; the next run continues). */
  maxPages: number;
  beforeCursor?: BeforeCursorHook;
  onPage?: (changes: number, conflicts: number, hasMore: boolean) => void;
  onResync?: () => void;
}

/**
 * Pulls one dataset from its stored cursor to the end of the feed, page by page,
 * each page with its cursor in one transaction. On 410 resync_required it starts
 * over from the beginning under a new generation (once per call); the last page
 * of that snapshot sweeps cached records it did not contain, except those with
 * pending local changes. The outbox is never touched by a resync.
 *
 * Returns true when the feed was read to its end.
 */
export async function pullDataset(
  ctx: EngineContext,
  client: PlatformClient,
  descriptor: DatasetDescriptor,
  options: PullOptions,
  totals: PullTotals,
): Promise<boolean> {
  let resynced = false;
  for (let page = 0; page < options.maxPages; page += 1) {
    const state = await cursorState(ctx.store.sql, descriptor.name);
    let answer;
    try {
      answer = await client.pull(descriptor.name, state.cursor, options.limit);
    } catch (error) {
      if (error instanceof PlatformError && error.isResyncRequired && !resynced) {
        resynced = true;
        totals.resynced = true;
        options.onResync?.();
        await ctx.store.transaction((tx) => beginResync(tx, descriptor.name, isoNow(ctx)));
        continue;
      }
      throw error;
    }
    const outcome = await ctx.store.transaction((tx) => applyPullPage(tx, ctx, descriptor, answer, state, options.beforeCursor));
    totals.pulled += outcome.applied;
    totals.conflicts += outcome.conflicts;
    totals.autoMerged += outcome.autoMerged;
    options.onPage?.(answer.changes.length, outcome.conflicts, answer.hasMore);
    if (!answer.hasMore) return true;
  }
  return false;
}

/** Starts a resync of a dataset (digest mismatch): the next pull reads from the beginning. */
export async function startResync(ctx: EngineContext, dataset: string): Promise<void> {
  await ctx.store.transaction((tx) => beginResync(tx, dataset, isoNow(ctx)));
}
