import { CaFileError } from '../adapters/network-transport.js';
import type { HealthMonitor } from '../health/health-monitor.js';
import type { RunOutcome, SyncTrigger } from '../schedule/scheduler.js';
import type { EngineContext } from '../store/engine-context.js';
import { recordUnstartedRun, SyncRun, type SyncRunOptions } from '../sync/index.js';
import type { PlatformClient } from '../sync/ports.js';
import type { SyncProgress, SyncSummary } from '../sync/sync-events.js';
import type { EventBus } from './event-bus.js';
import { ServiceRefusal } from './service-errors.js';
import { isRetryableRun, runNumber, syncRunById } from './sync-run-view.js';

export interface SyncLoopDeps {
  ctx: EngineContext;
  /** The data folder as one shell word, for the commands a run's error gives. */
  home: string;
  bus: EventBus;
  monitor: HealthMonitor;
  /** The platform client for a run, or a refusal (not set up, not enrolled, lease held elsewhere) thrown. */
  clientForRun: () => Promise<PlatformClient>;
  statusChanged: () => void;
  options?: SyncRunOptions;
  onError?: (error: unknown) => void;
  /** Told after each run has ended, whatever its outcome (the filter indexes are built then: FilterIndexBuilder). */
  afterRun?: () => void;
}

/**
 * One sync run as the service performs it (ARCHITECTURE.md, data flow):
 * health probe, then the engine's SyncRun, with its progress turned into the
 * AgentApi's events (sync.started, records.changed per pulled dataset,
 * sync.finished, conflicts.changed with the ids a run opened) and its summary
 * turned into what the scheduler needs (retry or not, Retry-After).
 */
export class SyncLoop {
  private active: Promise<RunOutcome> | null = null;
  lastSummary: SyncSummary | null = null;
  /** Why the last run failed before it could start (no client, a refusal), for `sync.now` to report. */
  lastError: unknown = null;
  /** This run's pulled changes: when records.changed last went out per dataset, and the datasets with changes not yet announced. */
  private announcedAt = new Map<string, number>();
  private unannounced = new Set<string>();

  constructor(private readonly deps: SyncLoopDeps) {}

  get running(): boolean {
    return this.active !== null;
  }

  /**
   * Runs once; a second call while one runs waits for that one instead of
   * overlapping it. Never throws: a run that cannot start (not set up, not
   * enrolled) is a failure retrying cannot fix; anything unexpected is
   * reported and retried with backoff. `lastError` keeps why, for `sync.now`.
   */
  run(trigger: SyncTrigger): Promise<RunOutcome> {
    if (this.active) return this.active;
    this.lastError = null;
    const run = this.runOnce(trigger)
      .catch((error: unknown): RunOutcome => {
        this.lastError = error;
        const refusal = error instanceof ServiceRefusal;
        if (!refusal) this.deps.onError?.(error);
        return { ok: false, retryable: !refusal, retryAfterMs: null };
      })
      .finally(() => {
        this.active = null;
        this.deps.statusChanged();
        this.deps.afterRun?.();
      });
    this.active = run;
    this.deps.statusChanged();
    return run;
  }

  /** The platform client a run would use; throws the refusal (not set up, not enrolled) otherwise. */
  clientForRun(): Promise<PlatformClient> {
    return this.deps.clientForRun();
  }

  private async runOnce(trigger: SyncTrigger): Promise<RunOutcome> {
    const { ctx, bus, monitor } = this.deps;
    let client: PlatformClient;
    try {
      client = await this.clientForRun();
    } catch (error) {
      if (!(error instanceof CaFileError)) throw error;
      return this.caFileFailed(trigger, error);
    }
    await monitor.probe().catch((error: unknown) => this.deps.onError?.(error));
    const openBefore = new Set(await openConflictIds(ctx));
    const pending: Promise<void>[] = [];
    const onProgress = (event: SyncProgress) => {
      const handled = this.progress(event).catch((error: unknown) => this.deps.onError?.(error));
      pending.push(handled);
    };
    this.announcedAt = new Map();
    this.unannounced = new Set();
    let summary: SyncSummary;
    try {
      summary = await new SyncRun({ ctx, client, onProgress, ...(this.deps.options ? { options: this.deps.options } : {}) }).run(trigger);
      await Promise.all(pending);
    } finally {
      for (const dataset of [...this.unannounced]) this.announcePulled(dataset);
    }
    this.lastSummary = summary;

    const view = await syncRunById(ctx.store.sql, summary.runId, this.deps.home);
    if (view) bus.emit('sync.finished', view);
    const openAfter = await openConflictIds(ctx);
    const added = openAfter.filter((id) => !openBefore.has(id));
    if (added.length > 0 || openAfter.length !== openBefore.size) bus.emit('conflicts.changed', { open: openAfter.length, added });

    if (summary.status !== 'failed') return { ok: true, runId: summary.runId };
    return { ok: false, runId: summary.runId, retryable: isRetryableRun(summary), retryAfterMs: summary.retryAfterMs ?? null };
  }

  /**
   * A CA file of the settings deleted, moved or replaced: no call can reach
   * the platform. The run is kept as failed with the file and what to do, the
   * health probe shows the certificate problem, and retrying without a person
   * does not help (the next scheduled run tries again).
   */
  private async caFileFailed(trigger: SyncTrigger, error: CaFileError): Promise<RunOutcome> {
    const { ctx, bus, monitor } = this.deps;
    await monitor.probe().catch((probeError: unknown) => this.deps.onError?.(probeError));
    const summary = await recordUnstartedRun(ctx, trigger, { phase: 'run', error: { kind: 'ca_file', file: error.file, cause: error.code, message: error.message } });
    this.lastSummary = summary;
    const view = await syncRunById(ctx.store.sql, summary.runId, this.deps.home);
    if (view) bus.emit('sync.finished', view);
    return { ok: false, runId: summary.runId, retryable: false, retryAfterMs: null };
  }

  /** ids [] = "many changed: reload the dataset" (a page can hold thousands). */
  private announcePulled(dataset: string): void {
    this.unannounced.delete(dataset);
    this.announcedAt.set(dataset, this.deps.ctx.now());
    this.deps.bus.emit('records.changed', { dataset, ids: [] });
  }

  private async progress(event: SyncProgress): Promise<void> {
    const { ctx, bus } = this.deps;
    if (event.type === 'run-started') {
      const trigger = event.trigger as Parameters<typeof bus.emit<'sync.started'>>[1]['trigger'];
      bus.emit('sync.started', { runId: await runNumber(ctx.store.sql, event.runId), trigger });
      this.deps.statusChanged();
    } else if (event.type === 'pulled') {
      if (event.changes > 0) this.unannounced.add(event.dataset);
      const last = this.announcedAt.get(event.dataset);
      const due = !event.hasMore || last === undefined || ctx.now() - last >= PULLED_CHANGES_EVERY_MS;
      if (due && this.unannounced.has(event.dataset)) this.announcePulled(event.dataset);
    } else if (event.type === 'pushed' || event.type === 'digest') {
      this.deps.statusChanged();
    }
  }
}

/**
 * A pull's records.changed goes out for its first page with changes, then at
 * most once per this interval per dataset, and once more at the dataset's last
 * page (or when the run ends): each one makes an open Records screen count and
 * read its page again, on the one connection the pull writes through. With
 * one per page of 1,000, each page written into a 1,000,000-record cache took
 * 207-222 ms instead of 71-73 ms; with one a second, 80-85 ms
 * (docs/performance.md, "Large caches in the window").
 */
export const PULLED_CHANGES_EVERY_MS = 1000;

async function openConflictIds(ctx: EngineContext): Promise<string[]> {
  const rows = await ctx.store.sql.all<{ id: string }>(`SELECT "id" FROM "conflicts" WHERE "status" = 'open'`);
  return rows.map((r) => r.id);
}
