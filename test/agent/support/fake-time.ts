import type { Clock, CronProblem, CronSource, CronTask, Timer, TimerHandle } from '../../../sync-engine/src/schedule/ports.js';

/**
 * A clock and timers the test moves by hand: `advance(ms)` fires every timer
 * that falls due, in order, and lets the promises they start settle.
 */
export class FakeTime implements Clock, Timer {
  protected at: number;
  private nextId = 1;
  protected readonly pending = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 15, 8, 0, 0)) {
    this.at = start;
  }

  now(): number {
    return this.at;
  }

  set(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { due: this.at + Math.max(0, ms), fn });
    return { id };
  }

  clear(handle: TimerHandle): void {
    this.pending.delete((handle as { id: number }).id);
  }

  /** Delays of the timers still pending, from now. */
  pendingDelays(): number[] {
    return [...this.pending.values()].map((t) => t.due - this.at).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const end = this.at + ms;
    for (;;) {
      await settle();
      const next = [...this.pending.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.at = next[1].due;
      next[1].fn();
    }
    this.at = end;
    await settle();
  }
}

/** Lets queued promise callbacks run (several rounds: chains of awaits). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A cron source whose ticks the test fires; it accepts five fields of digits,
 * '*', '/', ',' and '-'. Its next ticks are `everyMs` apart from now (default
 * 5 minutes, the default schedule's).
 */
export class FakeCron implements CronSource {
  private readonly tasks = new Set<{ expression: string; onTick: () => void }>();
  constructor(
    private readonly time: FakeTime,
    readonly everyMs = 300_000,
  ) {}

  problems(expression: string): CronProblem[] {
    const names = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'];
    const fields = expression.split(' ');
    if (fields.length !== 5) return [{ field: 'expression', value: expression }];
    return fields.flatMap((value, i) => (/^[\d*/,-]+$/.test(value) ? [] : [{ field: names[i] ?? 'expression', value }]));
  }

  start(expression: string, onTick: () => void): CronTask {
    const task = { expression, onTick };
    this.tasks.add(task);
    return { stop: () => this.tasks.delete(task), nextRuns: (count) => Array.from({ length: count }, (_, i) => this.time.now() + (i + 1) * this.everyMs) };
  }

  get installed(): string[] {
    return [...this.tasks].map((t) => t.expression);
  }

  tick(): void {
    for (const task of [...this.tasks]) task.onTick();
  }
}

/** A promise the test resolves when it chooses: a sync run that takes as long as the test wants. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Waits (on real time, for real I/O such as SQLite) until `condition` holds; fails after `limitMs`. */
export async function eventually(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('the condition did not come true');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
