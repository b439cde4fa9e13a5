import type { SyncRunView } from '../api/views.js';
import { DEFAULT_BACKOFF, nextRetryDelay, RETRY_AFTER_CEILING_MS, type BackoffPolicy } from '../domain/backoff.js';
import { splayDelay } from '../domain/splay.js';
import type { Clock, CronSource, CronTask, Timer, TimerHandle } from './ports.js';
import { checkSchedule } from './sync-schedule.js';

export type SyncTrigger = SyncRunView['trigger'];

/** What one run told the scheduler. */
export type RunOutcome =
  | { ok: true; runId?: string }
  | {
      ok: false;
      runId?: string;
      /** Network errors, 5xx, 429, 503: worth trying again by itself. Other failures wait for a person or the next tick. */
      retryable: boolean;
      /** The platform's Retry-After, in ms, when it sent one. */
      retryAfterMs: number | null;
    };

export interface SchedulerOptions {
  /** A five-field cron expression (checked: an invalid one throws InvalidSchedule). */
  schedule: string;
  cron: CronSource;
  clock: Clock;
  timer: Timer;
  /** In [0, 1), for the backoff's full jitter. */
  random: () => number;
  /**
   * This agent's place in the splay window after each cron tick, in [0, 1)
   * (domain/splay.ts: splayFraction of its agent id). 0, the default: a tick
   * runs at once.
   */
  splay?: number;
  /** Runs one sync. A throw counts as a retryable failure. */
  runSync: (trigger: SyncTrigger) => Promise<RunOutcome>;
  backoff?: BackoffPolicy;
  /** Told when a run threw (the outcome is already handled). */
  onRunError?: (error: unknown) => void;
  /** Told whenever the next planned run changes. */
  onPlanChanged?: () => void;
}

export interface SchedulerState {
  running: SyncTrigger | null;
  /** Failed runs in a row. */
  failures: number;
  /** When the pending retry fires, or null. */
  retryAt: number | null;
  /** No try before this instant (the platform's Retry-After), or null. */
  notBefore: number | null;
  lastRunAt: number | null;
  /** The next planned run: the retry, else a tick waiting for its splay, else the next cron tick plus the splay. */
  nextRunAt: number | null;
}

/**
 * When syncs run (ARCHITECTURE.md, "scheduler tick ... or Sync now"):
 *
 * - Never two at once. A cron tick during a run is coalesced into ONE follow-up
 *   run after it. A run asked for during a run is refused (`requestRun`:
 *   `started: false`), or waits for it and starts right after
 *   (`requestRunAfterCurrent`: a person's "sync now" must see what they changed
 *   before asking, such as the network settings), all such requests sharing one.
 * - After a retryable failure, the next try is the domain's backoff with full
 *   jitter (about 2 s doubling to 30 min), never sooner than the platform's
 *   Retry-After. Cron ticks are skipped while a retry is pending, so an office
 *   backs off however short its schedule, and a long outage is tried about
 *   every 15 minutes, not at every tick; a person's "sync now" still runs.
 * - `platformAnswering()` (the health probe got an answer after failures)
 *   tries at once, still no sooner than a Retry-After allows.
 * - A cron tick's run waits for this agent's splay (domain/splay.ts: a fixed
 *   offset from its id, under 4 min 59 s and ending 1 s or more before the
 *   next tick), so a fleet on one schedule does not call the platform in the
 *   same second. Only ticks wait: the run at start, "sync now", the watchdog,
 *   retries and the catch-up when the platform answers again start as they
 *   did. A run that starts while a tick waits covers that tick.
 */
export class SyncScheduler {
  private expression: string;
  private cronTask: CronTask | null = null;
  private retryTimer: TimerHandle | null = null;
  /** A tick waiting for its splay, and when it runs. */
  private splayTimer: TimerHandle | null = null;
  private splayAt: number | null = null;
  private splay: number;
  private current: Promise<RunOutcome> | null = null;
  private runningTrigger: SyncTrigger | null = null;
  private followUp = false;
  /** A run asked for during a run, to start as soon as it ends (requestRunAfterCurrent). */
  private waiting: { trigger: SyncTrigger; started: (run: Promise<RunOutcome> | null) => void; outcome: Promise<RunOutcome | null> } | null = null;
  private stopped = true;
  private failures = 0;
  private retryAt: number | null = null;
  private notBefore: number | null = null;
  private lastRunAt: number | null = null;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: SchedulerOptions) {
    this.expression = checkSchedule(options.schedule, options.cron);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.splay = options.splay ?? 0;
  }

  /** Installs the cron schedule; `startup` also runs once now. */
  start(runAtStart = false): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.cronTask = this.options.cron.start(this.expression, () => this.tick());
    if (runAtStart) this.launch('startup');
    this.planChanged();
  }

  /** Stops the schedule and any pending retry, then waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cronTask?.stop();
    this.cronTask = null;
    this.clearRetry();
    this.clearSplay();
    this.followUp = false;
    if (this.current === null) this.releaseWaiting(null);
    await this.current?.catch(() => undefined);
  }

  /** Replaces the schedule (validated first: an invalid one throws and leaves the old one). */
  setSchedule(expression: string): void {
    const checked = checkSchedule(expression, this.options.cron);
    this.expression = checked;
    if (!this.stopped) {
      this.cronTask?.stop();
      this.cronTask = this.options.cron.start(checked, () => this.tick());
    }
    this.planChanged();
  }

  get schedule(): string {
    return this.expression;
  }

  /** A new splay (the agent enrolled again with another id); a tick already waiting keeps its time. */
  setSplay(fraction: number): void {
    this.splay = fraction;
    this.planChanged();
  }

  /**
   * A run someone asked for ('manual', 'cli', 'watchdog'): starts now, or
   * `started: false` while a run is in progress. A pending retry is replaced.
   */
  requestRun(trigger: SyncTrigger): { started: boolean; outcome: Promise<RunOutcome> | null } {
    if (this.current !== null) return { started: false, outcome: null };
    this.clearRetry();
    return { started: true, outcome: this.launch(trigger) };
  }

  /**
   * A run that must start after this request: now, or right after the run in
   * progress (which began before the request, so may not see what changed just
   * before it). Requests made during one run share one run, with the first
   * request's trigger; it replaces a pending retry or a coalesced tick.
   * Resolves with that run's outcome, or null when the scheduler stopped
   * before it could start.
   */
  requestRunAfterCurrent(trigger: SyncTrigger): Promise<RunOutcome | null> {
    const now = this.requestRun(trigger);
    if (now.started && now.outcome) return now.outcome;
    if (this.waiting === null) {
      let started!: (run: Promise<RunOutcome> | null) => void;
      const outcome = new Promise<RunOutcome | null>((resolve) => (started = resolve));
      this.waiting = { trigger, started, outcome };
    }
    return this.waiting.outcome;
  }

  /** The health probe got an answer after failures: try again now (or when Retry-After allows). */
  platformAnswering(): void {
    if (this.stopped || this.failures === 0 || this.current !== null) return;
    const wait = Math.max(0, (this.notBefore ?? 0) - this.options.clock.now());
    this.scheduleRetry(wait);
  }

  /** Resolves when the run in progress (if any) has finished. */
  async idle(): Promise<void> {
    while (this.current !== null) await this.current.catch(() => undefined);
  }

  state(): SchedulerState {
    return {
      running: this.runningTrigger,
      failures: this.failures,
      retryAt: this.retryAt,
      notBefore: this.notBefore,
      lastRunAt: this.lastRunAt,
      nextRunAt: this.retryAt ?? this.splayAt ?? this.nextTickRun(),
    };
  }

  /** When the next cron tick's run starts: the tick plus the splay of the gap after it. */
  private nextTickRun(): number | null {
    if (this.stopped || this.cronTask === null) return null;
    const [tick, following] = this.cronTask.nextRuns(2);
    if (tick === undefined) return null;
    return tick + splayDelay(this.splay, following === undefined ? null : following - tick);
  }

  /** A cron tick: its run waits for the splay. Skipped while a retry is pending, or while an earlier tick still waits. */
  private tick(): void {
    if (this.stopped) return;
    // Backing off: the pending retry is the next try, not the schedule.
    if (this.retryTimer !== null || this.splayTimer !== null) return;
    const now = this.options.clock.now();
    const [next] = this.cronTask?.nextRuns(1) ?? [];
    const delay = splayDelay(this.splay, next === undefined ? null : next - now);
    if (delay <= 0) {
      this.due();
      return;
    }
    this.splayAt = now + delay;
    this.splayTimer = this.options.timer.set(() => {
      this.splayTimer = null;
      this.splayAt = null;
      this.due();
    }, delay);
    this.planChanged();
  }

  /** A tick's run is due (after its splay): coalesced into a run in progress, skipped while backing off. */
  private due(): void {
    if (this.stopped) return;
    if (this.current !== null) {
      this.followUp = true;
      return;
    }
    // Backing off: the pending retry is the next try, not the schedule.
    if (this.retryTimer !== null) return;
    if (this.notBefore !== null && this.options.clock.now() < this.notBefore) return;
    this.launch('schedule');
  }

  private launch(trigger: SyncTrigger): Promise<RunOutcome> {
    // A run starting now covers a tick still waiting for its splay.
    this.clearSplay();
    this.runningTrigger = trigger;
    this.lastRunAt = this.options.clock.now();
    const run = this.runOnce(trigger);
    this.current = run;
    void run.then((outcome) => this.finished(outcome));
    this.planChanged();
    return run;
  }

  private async runOnce(trigger: SyncTrigger): Promise<RunOutcome> {
    try {
      return await this.options.runSync(trigger);
    } catch (error) {
      this.options.onRunError?.(error);
      return { ok: false, retryable: true, retryAfterMs: null };
    }
  }

  private finished(outcome: RunOutcome): void {
    this.current = null;
    this.runningTrigger = null;
    const followUp = this.followUp;
    this.followUp = false;
    let asked: number | null = null;
    if (outcome.ok) {
      this.failures = 0;
      this.notBefore = null;
    } else {
      this.failures += 1;
      asked = outcome.retryAfterMs === null ? null : Math.min(Math.max(0, outcome.retryAfterMs), RETRY_AFTER_CEILING_MS);
      this.notBefore = asked === null ? null : this.options.clock.now() + asked;
    }
    if (this.waiting !== null) {
      // Asked for during the run, as a person's "sync now" is: it starts now and covers a coalesced tick or a retry.
      this.releaseWaiting(this.stopped ? null : this.launch(this.waiting.trigger));
    } else if (outcome.ok) {
      if (followUp && !this.stopped) this.launch('schedule');
    } else if (outcome.retryable && !this.stopped) {
      // A follow-up tick is dropped after a failure: the retry (or the next tick) covers it.
      this.scheduleRetry(nextRetryDelay(this.failures - 1, asked, this.options.random, this.backoff));
    }
    this.planChanged();
  }

  private releaseWaiting(run: Promise<RunOutcome> | null): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.started(run);
  }

  private scheduleRetry(delayMs: number): void {
    this.clearRetry();
    if (this.stopped) return;
    this.retryAt = this.options.clock.now() + delayMs;
    this.retryTimer = this.options.timer.set(() => {
      this.retryTimer = null;
      this.retryAt = null;
      if (this.stopped) return;
      if (this.current !== null) {
        this.followUp = true;
        return;
      }
      this.launch('retry');
    }, delayMs);
    this.planChanged();
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.options.timer.clear(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  private clearSplay(): void {
    if (this.splayTimer !== null) this.options.timer.clear(this.splayTimer);
    this.splayTimer = null;
    this.splayAt = null;
  }

  private planChanged(): void {
    this.options.onPlanChanged?.();
  }
}
