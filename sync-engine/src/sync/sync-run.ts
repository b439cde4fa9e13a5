import type { DatasetDescriptor } from '../protocol/catalog.js';
import { adminUnitsDataset } from '../protocol/datasets/admin-units.js';
import { DEFAULT_PULL_LIMIT } from '../protocol/limits.js';
import { Outbox } from '../outbox/outbox.js';
import type { DigestResponse } from '../protocol/pull.js';
import { REDOABLE } from '../store/durability.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import { cursorState } from './cursor-store.js';
import { refreshCatalog } from './catalog-refresh.js';
import { compareDigests, pendingDigest, saveDigest, settledLocalDigest, type DigestOutcome } from './digest-check.js';
import { PlatformError } from './platform-error.js';
import type { PlatformClient } from './ports.js';
import { inLanes } from './lanes.js';
import { pullDataset, startResync, type PullTotals } from './pull-phase.js';
import type { BeforeCursorHook } from './pull-page.js';
import { AGENT_MAX_PUSH_BATCH, pushLimits } from './push-limits.js';
import { pushOutbox, type PushTotals } from './push-phase.js';
import { pruneSyncRuns } from './run-history.js';
import type { SyncProgress, SyncRunError, SyncSummary, SyncTrigger } from './sync-events.js';

export interface SyncRunOptions {
  /**
   * Mutations per push at most (default: the agent's maximum, 2,000). The
   * platform's advertised cap bounds it further, or the protocol's 500 where it
   * advertises none.
   */
  pushBatchSize?: number;
  /** Changes per pull page (default 1000). */
  pullLimit?: number;
  maxPushBatches?: number;
  maxPagesPerDataset?: number;
  /** Test seam, see applyPullPage. */
  beforeCursor?: BeforeCursorHook;
}

export interface SyncRunDeps {
  ctx: EngineContext;
  client: PlatformClient;
  onProgress?: (event: SyncProgress) => void;
  options?: SyncRunOptions;
}

/**
 * One sync run (ARCHITECTURE.md, "Data flow of one sync run"): catalog ->
 * push the outbox -> pull every readable dataset from its cursor -> digest
 * check -> a sync_runs row. The caller holds the lease and has probed health.
 * A resync that finds changes of this office the platform lost (restored from
 * a backup, sync/lost-changes.ts) queues them, and the run pushes them again
 * after the pull (and after the digest check, for a mismatch's resync).
 *
 * A run never throws for the platform's failures: they end the run early and
 * are reported in the summary (`status`, `errors`, `retryAfterMs`), which is
 * also stored in sync_runs. Auth, network, 5xx, 429/503 stop the run; a
 * dataset-specific refusal (403/404) skips that dataset only; a 500 to one
 * change pushed alone sets that change aside and the run goes on (push-phase.ts).
 */
export class SyncRun {
  private readonly options: Required<Omit<SyncRunOptions, 'beforeCursor'>> & Pick<SyncRunOptions, 'beforeCursor'>;
  private readonly outbox: Outbox;

  constructor(private readonly deps: SyncRunDeps) {
    const o = deps.options ?? {};
    this.options = {
      pushBatchSize: o.pushBatchSize ?? AGENT_MAX_PUSH_BATCH,
      pullLimit: o.pullLimit ?? DEFAULT_PULL_LIMIT,
      maxPushBatches: o.maxPushBatches ?? 1000,
      maxPagesPerDataset: o.maxPagesPerDataset ?? 10_000,
      beforeCursor: o.beforeCursor,
    };
    this.outbox = new Outbox(deps.ctx);
  }

  private running = false;
  /** Datasets whose cached records a pull of the current run changed. */
  private changed = new Set<string>();

  /** Runs once. Not reentrant: a second call while one runs is refused (the scheduler and lease serialise runs). */
  async run(trigger: SyncTrigger): Promise<SyncSummary> {
    if (this.running) throw new Error('a sync run is already in progress');
    this.running = true;
    try {
      return await this.runOnce(trigger);
    } finally {
      this.running = false;
    }
  }

  private async runOnce(trigger: SyncTrigger): Promise<SyncSummary> {
    const { ctx } = this.deps;
    const runId = ctx.newId();
    const startedAt = isoNow(ctx);
    this.changed = new Set();
    await ctx.store.transaction((tx) =>
      tx.run(`INSERT INTO "sync_runs" ("id", "trigger", "started_at", "status") VALUES (?, ?, ?, 'running')`, [runId, trigger, startedAt]),
      REDOABLE,
    );
    this.emit({ type: 'run-started', runId, trigger });
    const errors: SyncRunError[] = [];
    const push: PushTotals = { pushed: 0, conflicts: 0, rejected: 0, autoMerged: 0, datasets: new Set(), faults: [] };
    const pull: PullTotals = { pulled: 0, conflicts: 0, autoMerged: 0, resent: 0, swept: 0, resynced: false };
    const resynced: string[] = [];
    const digests: Record<string, DigestOutcome> = {};
    let stopped = false;
    /** The error that stopped the run, which its history row shows; datasets are pulled together, so it need not be the first. */
    let stoppedBy: SyncRunError | undefined;
    const fail: FailRecorder = (phase, error, dataset, stops = false, setAside) => {
      const entry: SyncRunError = {
        phase,
        ...(dataset ? { dataset } : {}),
        error: error instanceof PlatformError ? error.toJSON() : { kind: 'internal', message: String((error as Error)?.message ?? error) },
        ...(setAside ? { setAside } : {}),
      };
      errors.push(entry);
      if (stops) stoppedBy ??= entry;
      this.emit({ type: 'error', runId, error: entry });
    };

    let phase: SyncRunError['phase'] = 'catalog';
    try {
      this.emit({ type: 'phase', runId, phase: 'catalog' });
      const { datasets: catalog, limits } = await refreshCatalog(ctx, this.deps.client);
      const caps = pushLimits(limits);

      const pushPhase = async () => {
        phase = 'push';
        this.emit({ type: 'phase', runId, phase: 'push' });
        const faultsBefore = push.faults.length;
        try {
          await pushOutbox(
            this.outbox,
            this.deps.client,
            {
              batchSize: Math.min(this.options.pushBatchSize, caps.batch),
              bodyBytes: caps.bodyBytes,
              maxBatches: this.options.maxPushBatches,
              onBatch: (applied, conflicts, rejected, hasMore) => this.emit({ type: 'pushed', runId, applied, conflicts, rejected, hasMore }),
            },
            push,
          );
        } catch (error) {
          fail('push', error, undefined, true);
          throw new RunStopped();
        }
        // A change the platform answered 500 alone was set aside; the rest went up, and the run goes on (push-phase.ts).
        for (const fault of push.faults.slice(faultsBefore)) {
          fail('push', fault.error, fault.dataset, false, { recordId: fault.recordId, faults: fault.faults, ...(fault.outcome ? { outcome: fault.outcome } : {}) });
        }
      };
      await pushPhase();

      phase = 'pull';
      this.emit({ type: 'phase', runId, phase: 'pull' });
      const early = new Map<string, Promise<DigestResponse>>();
      const pulled = settle(await inLanes(catalog, DATASET_LANES, (descriptor) => this.pullOne(runId, descriptor, pull, resynced, fail, early)));
      const caughtUp = catalog.filter((_, i) => pulled[i] === true);
      // A resync found changes of this office the platform had lost (restored from a backup): they go up again now.
      let resentPushed = 0;
      const pushResent = async () => {
        if (pull.resent === resentPushed) return;
        resentPushed = pull.resent;
        await pushPhase();
      };
      await pushResent();

      phase = 'digest';
      this.emit({ type: 'phase', runId, phase: 'digest' });
      const outcomes = settle(await inLanes(caughtUp, DATASET_LANES, (descriptor) => this.checkDigest(runId, descriptor, pull, resynced, fail, early.get(descriptor.name))));
      caughtUp.forEach((descriptor, i) => (digests[descriptor.name] = outcomes[i] as DigestOutcome));
      // A digest mismatch's resync can find some too; its dataset's digest is compared at the next run.
      await pushResent();
    } catch (error) {
      stopped = true;
      if (!(error instanceof RunStopped)) fail(phase, error, undefined, true);
    }
    // A reform the platform published: validation follows the units now cached, once per run (pages committed before a stop count too).
    if (this.changed.has(adminUnitsDataset.name)) {
      try {
        await ctx.reloadAdminUnits();
      } catch (error) {
        fail('pull', error, adminUnitsDataset.name);
      }
    }

    const summary: SyncSummary = {
      runId,
      trigger,
      startedAt,
      finishedAt: isoNow(ctx),
      status: stopped ? 'failed' : errors.length > 0 ? 'partial' : 'ok',
      pushed: push.pushed,
      pulled: pull.pulled,
      conflicts: push.conflicts + pull.conflicts,
      rejected: push.rejected,
      autoMerged: push.autoMerged + pull.autoMerged,
      resent: pull.resent,
      swept: pull.swept,
      resynced,
      digests,
      errors,
    };
    // Several datasets are pulled at once: the longest wait any answer asked for is honoured.
    const retryAfter = errors.flatMap((e) => ('retryAfterMs' in e.error && e.error.retryAfterMs !== undefined ? [e.error.retryAfterMs] : []));
    if (retryAfter.length > 0) summary.retryAfterMs = Math.max(...retryAfter);
    await ctx.store.transaction(async (tx) => {
      await tx.run(
        `UPDATE "sync_runs" SET "finished_at" = ?, "status" = ?, "pushed" = ?, "pulled" = ?, "conflicts" = ?, "rejected" = ?,
           "error" = ?, "summary" = ? WHERE "id" = ?`,
        [
          summary.finishedAt,
          summary.status,
          summary.pushed,
          summary.pulled,
          summary.conflicts,
          summary.rejected,
          errors.length > 0 ? JSON.stringify(stoppedBy ?? errors[0]) : null,
          JSON.stringify(summary),
          runId,
        ],
      );
      await pruneSyncRuns(tx, ctx.now());
    }, REDOABLE);
    this.emit({ type: 'run-finished', runId, summary });
    return summary;
  }

  /** Pulls one dataset; true when read to the end. Errors other than per-dataset refusals stop the run. */
  private async pullOne(
    runId: string,
    descriptor: DatasetDescriptor,
    totals: PullTotals,
    resynced: string[],
    fail: FailRecorder,
    early: Map<string, Promise<DigestResponse>>,
  ): Promise<boolean> {
    const dataset = descriptor.name;
    await this.askDigestEarly(dataset, early);
    try {
      return await pullDataset(
        this.deps.ctx,
        this.deps.client,
        descriptor,
        {
          limit: this.options.pullLimit,
          maxPages: this.options.maxPagesPerDataset,
          ...(this.options.beforeCursor ? { beforeCursor: this.options.beforeCursor } : {}),
          onPage: (changes, conflicts, hasMore) => this.emit({ type: 'pulled', runId, dataset, changes, conflicts, hasMore }),
          onChanged: () => this.changed.add(dataset),
          onResync: () => {
            if (!resynced.includes(dataset)) resynced.push(dataset);
            this.emit({ type: 'resync', runId, dataset, reason: 'resync_required' });
          },
        },
        totals,
      );
    } catch (error) {
      const datasetRefused = error instanceof PlatformError && error.kind === 'http' && (error.status === 403 || error.status === 404);
      fail('pull', error, dataset, !datasetRefused);
      if (datasetRefused) return false;
      throw new RunStopped();
    }
  }

  /**
   * Compares digests when nothing is pending. On a mismatch: catch up (the
   * platform may have moved since the last page) and compare again; still
   * different -> one resync from the beginning, then the final comparison.
   */
  private async checkDigest(
    runId: string,
    descriptor: DatasetDescriptor,
    totals: PullTotals,
    resynced: string[],
    fail: FailRecorder,
    early?: Promise<DigestResponse>,
  ): Promise<DigestOutcome> {
    const { ctx, client } = this.deps;
    const dataset = descriptor.name;
    let ahead = early;
    const compare = async (): Promise<DigestOutcome> => {
      const local = await ctx.store.transaction((tx) => settledLocalDigest(tx, dataset, isoNow(ctx)), REDOABLE);
      const asked = ahead;
      ahead = undefined;
      if (local === null) return pendingDigest(isoNow(ctx));
      return compareDigests(local, (await usableEarlyDigest(ctx, dataset, asked)) ?? (await client.digest(dataset)), isoNow(ctx));
    };
    const pullOptions = { limit: this.options.pullLimit, maxPages: this.options.maxPagesPerDataset, onChanged: () => this.changed.add(dataset) };
    let outcome: DigestOutcome;
    try {
      outcome = await compare();
      if (outcome.status === 'mismatch') {
        await pullDataset(ctx, client, descriptor, pullOptions, totals);
        outcome = await compare();
      }
      if (outcome.status === 'mismatch') {
        this.emit({ type: 'resync', runId, dataset, reason: 'digest_mismatch' });
        if (!resynced.includes(dataset)) resynced.push(dataset);
        await startResync(ctx, dataset);
        await pullDataset(ctx, client, descriptor, pullOptions, totals);
        outcome = await compare();
      }
    } catch (error) {
      const datasetRefused = error instanceof PlatformError && error.kind === 'http' && (error.status === 403 || error.status === 404);
      fail('digest', error, dataset, !datasetRefused);
      if (datasetRefused) return pendingDigest(isoNow(ctx));
      throw new RunStopped();
    }
    await ctx.store.transaction((tx) => saveDigest(tx, dataset, outcome), REDOABLE);
    this.emit({ type: 'digest', runId, dataset, outcome });
    return outcome;
  }

  /**
   * A dataset that was caught up at its last pull will most likely be caught up
   * again after this one: its digest is asked for now, alongside the pull, and
   * used only if it describes the head the pull ended at (see usableEarlyDigest).
   * A run with nothing to do then costs one round trip less.
   */
  private async askDigestEarly(dataset: string, early: Map<string, Promise<DigestResponse>>): Promise<void> {
    const state = await cursorState(this.deps.ctx.store.sql, dataset);
    if (state.cursor === null || state.caughtUpAt === null || state.resyncing) return;
    const answer = this.deps.client.digest(dataset);
    answer.catch(() => undefined);
    early.set(dataset, answer);
  }

  private emit(event: SyncProgress): void {
    try {
      this.deps.onProgress?.(event);
    } catch {
      // A listener's failure must not break the run.
    }
  }
}

/**
 * An early digest answer is the platform's state at the head its `cursor`
 * names (cursors are sealed deterministically from the position, so the same
 * head gives the same text). It is used only when that is exactly the cursor
 * the pull stored at its end; otherwise (the pull moved on, the request failed)
 * the digest is asked for again.
 */
async function usableEarlyDigest(ctx: EngineContext, dataset: string, early: Promise<DigestResponse> | undefined): Promise<DigestResponse | null> {
  if (!early) return null;
  const answer = await early.catch(() => null);
  if (!answer) return null;
  const state = await cursorState(ctx.store.sql, dataset);
  return state.cursor === answer.cursor ? answer : null;
}

/** Internal: the run already recorded why it stops. */
class RunStopped extends Error {}

/**
 * Datasets pulled (and compared) at the same time. Each lane holds at most two
 * pages (one applied, one asked for early), so memory stays bounded.
 */
const DATASET_LANES = 4;

/** The lanes' values, once all settled; the first failure is rethrown (a RunStopped, already recorded). */
/** Records an error of the run; `stops` when the run ends because of it. */
type FailRecorder = (phase: SyncRunError['phase'], error: unknown, dataset?: string, stops?: boolean, setAside?: SyncRunError['setAside']) => void;

function settle<R>(results: PromiseSettledResult<R>[]): R[] {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<R>).value);
}
