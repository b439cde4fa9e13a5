import { buildFilterIndexes } from '../records/filter-index-build.js';
import type { Timer, TimerHandle } from '../schedule/ports.js';
import type { EngineContext } from '../store/engine-context.js';

/** After an index gave way, the next try waits this long (each try given up cost up to one index's build). */
export const FILTER_INDEX_RETRY_MS = 60_000;

export interface FilterIndexBuilderOptions {
  ctx: EngineContext;
  timer: Timer;
  /** True while a sync run is in progress: no build starts then (it would give way to the run's next page). */
  syncing: () => boolean;
  /**
   * True while this process holds the data folder's lease (the process that syncs builds): one whose lease
   * lapsed does not build beside the new holder, whose build would wait on it and fail busy.
   */
  holdsLease: () => boolean;
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Builds the Records filters' missing indexes between sync runs
 * (records/filter-index-build.ts): started after each run ends, one index at
 * a time, each giving way to any save or run asked for meanwhile; an index
 * that gave way is tried again `retryMs` later, and after the next run. Runs
 * in the process that syncs the folder (the runs start it), never inside a
 * run, so neither a run nor a person's save waits for an index.
 */
export class FilterIndexBuilder {
  private building: Promise<void> | null = null;
  private retry: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly options: FilterIndexBuilderOptions) {}

  /** True while an index is being built (diagnostics, tests). */
  get busy(): boolean {
    return this.building !== null;
  }

  /** Builds what is missing now, unless a build or a sync run is already under way. Never throws. */
  kick(): void {
    if (this.stopped || this.building !== null || this.options.syncing() || !this.options.holdsLease()) return;
    if (this.retry !== null) this.options.timer.clear(this.retry);
    this.retry = null;
    this.building = buildFilterIndexes(this.options.ctx)
      .then((complete) => {
        if (!complete) this.later();
      })
      .catch((error: unknown) => {
        if (this.stopped) return;
        this.options.onError?.(error);
        this.later();
      })
      .finally(() => {
        this.building = null;
      });
  }

  /** Resolves once no build is under way (a test, or a caller about to close the store). */
  async idle(): Promise<void> {
    await this.building;
  }

  /**
   * No build starts any more. One under way is stopped by the store's close,
   * which makes it give way (AgentStore.close), so closing never waits for an index.
   */
  stop(): void {
    this.stopped = true;
    if (this.retry !== null) this.options.timer.clear(this.retry);
    this.retry = null;
  }

  private later(): void {
    if (this.stopped || this.retry !== null) return;
    this.retry = this.options.timer.set(() => {
      this.retry = null;
      this.kick();
    }, this.options.retryMs ?? FILTER_INDEX_RETRY_MS);
  }
}
