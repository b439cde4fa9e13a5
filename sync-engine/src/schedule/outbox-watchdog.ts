import type { Clock, Timer, TimerHandle } from './ports.js';
import type { SchedulerState, SyncTrigger } from './scheduler.js';

export interface OutboxWatchdogOptions {
  clock: Clock;
  timer: Timer;
  /** created_at (ms) of the oldest outbox entry still to be sent, or null when there is none. */
  oldestPendingAt: () => Promise<number | null>;
  /** The scheduler's state: whether a run is in progress, when one last started, any Retry-After. */
  schedulerState: () => SchedulerState;
  requestRun: (trigger: SyncTrigger) => { started: boolean };
  /** Entries older than this with no run for as long start a run. Default 15 min. */
  staleAfterMs?: number;
  /** How often to look. Default 1 min. */
  checkEveryMs?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_WATCHDOG_STALE_MS = 15 * 60_000;
export const DEFAULT_WATCHDOG_CHECK_MS = 60_000;

/**
 * The safety net under the cron schedule: a laptop that slept through its
 * ticks, a schedule set to once a week, a timer lost to a bug. If changes have
 * waited in the outbox longer than `staleAfterMs` and no run has started for
 * as long, it starts one (trigger 'watchdog'). It respects a pending
 * Retry-After and a pending retry of the backoff (it would cut the backoff
 * short every 15 minutes while the platform is down), unless that retry is
 * overdue, and never starts a second run.
 */
export class OutboxWatchdog {
  private handle: TimerHandle | null = null;
  private stopped = true;
  private readonly staleAfterMs: number;
  private readonly checkEveryMs: number;

  constructor(private readonly options: OutboxWatchdogOptions) {
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_WATCHDOG_STALE_MS;
    this.checkEveryMs = options.checkEveryMs ?? DEFAULT_WATCHDOG_CHECK_MS;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.options.timer.clear(this.handle);
    this.handle = null;
  }

  /** One look; true when it started a run. Exposed so the service and tests can look now. */
  async check(): Promise<boolean> {
    const state = this.options.schedulerState();
    if (state.running !== null) return false;
    const now = this.options.clock.now();
    if (state.notBefore !== null && now < state.notBefore) return false;
    // Backing off after failures: the pending retry is the next try (unless it is overdue: a timer lost).
    if (state.retryAt !== null && now < state.retryAt + this.staleAfterMs) return false;
    if (state.lastRunAt !== null && now - state.lastRunAt < this.staleAfterMs) return false;
    const oldest = await this.options.oldestPendingAt();
    if (oldest === null || now - oldest < this.staleAfterMs) return false;
    return this.options.requestRun('watchdog').started;
  }

  private arm(): void {
    if (this.stopped) return;
    this.handle = this.options.timer.set(() => {
      this.handle = null;
      this.check()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.arm());
    }, this.checkEveryMs);
  }
}
