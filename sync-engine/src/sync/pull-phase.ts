import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { PullPage } from '../protocol/pull.js';
import { REDOABLE } from '../store/durability.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { dateRestoredConflicts } from '../conflicts/conflict-rows.js';
import { beginResync, cursorState } from './cursor-store.js';
import { applyPullPage, type BeforeCursorHook } from './pull-page.js';
import type { PlatformClient } from './ports.js';
import { PlatformError } from './platform-error.js';

export interface PullTotals {
  pulled: number;
  conflicts: number;
  autoMerged: number;
  /** Changes of this office the platform had lost (restored from a backup), queued again by a resync. */
  resent: number;
  /** Synced records a resync's sweep took off this computer: the platform's snapshot no longer held them for this office. */
  swept: number;
  resynced: boolean;
}

export interface PullOptions {
  limit: number;
  /** Bound on pages per dataset per run (a catch-up of days is many pages; the next run continues). */
  maxPages: number;
  beforeCursor?: BeforeCursorHook;
  onPage?: (changes: number, conflicts: number, hasMore: boolean) => void;
  onResync?: () => void;
  /** A page changed the cached records (applied or swept some), or the feed was read to its end for the first time. */
  onChanged?: () => void;
}

/**
 * Pulls one dataset from its stored cursor to the end of the feed, page by page,
 * each page with its cursor in one transaction. On 410 resync_required it starts
 * over from the beginning under a new generation (once per call); the last page
 * of that snapshot sweeps cached records it did not contain, except those with
 * pending local changes. A resync never drops or rewrites an outbox entry; it
 * only adds one for a change of this office the platform lost (lost-changes.ts).
 *
 * Pipelined: while page n is applied, page n+1 is already asked for, with the
 * cursor page n carries (the one its transaction stores). Fetching and applying
 * use different resources (the platform and the network; SQLite's thread), so
 * they overlap. Guarantee 3 is unchanged: a page is applied only after the page
 * before it committed, and only if the stored cursor is still the one it was
 * asked with; otherwise (a failed apply, a resync) the early answer is dropped.
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
  let early: EarlyPage | null = null;
  try {
    for (let page = 0; page < options.maxPages; page += 1) {
      const state = await cursorState(ctx.store.sql, descriptor.name);
      const ahead: EarlyPage | null = early;
      early = null;
      let answer: PullPage;
      try {
        answer = ahead && ahead.since === state.cursor ? await ahead.answer : await client.pull(descriptor.name, state.cursor, options.limit);
      } catch (error) {
        if (error instanceof PlatformError && error.isResyncRequired && !resynced) {
          resynced = true;
          totals.resynced = true;
          options.onResync?.();
          const restoredHeadAt = error.restoredHeadAt ?? null;
          await ctx.store.transaction(async (tx) => {
            await beginResync(tx, descriptor.name, isoNow(ctx), restoredHeadAt);
            // A conflict this run's push opened when the platform answered from below its revs learns when it went back to.
            if (restoredHeadAt !== null) await dateRestoredConflicts(tx, descriptor.name, restoredHeadAt);
          });
          continue;
        }
        throw error;
      }
      if (answer.hasMore && page + 1 < options.maxPages) early = askEarly(client, descriptor.name, answer.cursor, options.limit);
      const outcome = await ctx.store.transaction((tx) => applyPullPage(tx, ctx, descriptor, answer, state, options.beforeCursor), REDOABLE);
      totals.pulled += outcome.applied;
      totals.conflicts += outcome.conflicts;
      totals.autoMerged += outcome.autoMerged;
      totals.resent += outcome.resent;
      totals.swept += outcome.swept;
      if (outcome.applied > 0 || outcome.swept > 0 || (state.caughtUpAt === null && !answer.hasMore)) options.onChanged?.();
      options.onPage?.(answer.changes.length, outcome.conflicts, answer.hasMore);
      if (!answer.hasMore) return true;
    }
    return false;
  } finally {
    // An answer nobody will apply (the run stopped, or the apply failed): let it settle quietly.
    early?.answer.catch(() => undefined);
  }
}

/** A page asked for before the page it follows was applied. */
interface EarlyPage {
  since: string;
  answer: Promise<PullPage>;
}

function askEarly(client: PlatformClient, dataset: string, since: string, limit: number): EarlyPage {
  const answer = client.pull(dataset, since, limit);
  // Its failure, if any, is met when (and only if) the page is used.
  answer.catch(() => undefined);
  return { since, answer };
}

/** Starts a resync of a dataset (digest mismatch): the next pull reads from the beginning. */
export async function startResync(ctx: EngineContext, dataset: string): Promise<void> {
  await ctx.store.transaction((tx) => beginResync(tx, dataset, isoNow(ctx)));
}
