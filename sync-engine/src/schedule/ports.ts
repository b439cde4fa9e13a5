/**
 * The ports the scheduler and the health monitor run on. Time is passed in
 * (ARCHITECTURE.md: "Time and scheduling passed in"), so tests drive every tick
 * with a fake clock and fake timers, and nothing here waits for real.
 */

/** ms since the epoch. */
export interface Clock {
  now(): number;
}

/** An opaque handle of a pending timer. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/** setTimeout-like: runs `fn` once after `ms`; `clear` cancels it. */
export interface Timer {
  set(fn: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle): void;
}

/** One installed cron schedule. */
export interface CronTask {
  stop(): void;
  /** ms since the epoch of the next `count` ticks from now, in order; [] when unknown. */
  nextRuns(count: number): number[];
}

export interface CronProblem {
  /** 'expression', 'minute', 'hour', 'dayOfMonth', 'month' or 'dayOfWeek'. */
  field: string;
  value: string | null;
}

/** Cron expressions (the adapter is node-cron: src/adapters/cron-node.ts). */
export interface CronSource {
  /** The fields of `expression` that are not valid cron ([] when it is valid). */
  problems(expression: string): CronProblem[];
  /** Calls `onTick` at every time the expression matches, until stopped. */
  start(expression: string, onTick: () => void): CronTask;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Real timers, unref'd: a pending retry or probe never keeps a process alive on
 * its own (the running service is kept alive by its admin API server).
 */
export const systemTimer: Timer = {
  set(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
