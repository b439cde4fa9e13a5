import type { CronProblem, CronSource, CronTask } from '../../../sync-engine/src/schedule/ports.js';
import { FakeTime } from '../../agent/support/fake-time.js';

/**
 * Fake time for a service doing real I/O (HTTP to a real platform, SQLite):
 * each due timer or cron tick fires in turn, then the driver waits, in real
 * time, until the service is quiet again (`busy()` false and the fired timer
 * armed again) before the next one. So days of a service's life, with every
 * probe, retry, watchdog look and lease renewal, pass in minutes.
 */
export class DrivenTime extends FakeTime implements CronSource {
  private readonly crons = new Set<() => void>();
  private nextTickAt: number;
  /** True while the service has work in flight (a platform call, a run). */
  busy: () => boolean = () => false;
  /** Timers fired and cron ticks given, so far. */
  fired = 0;
  ticks = 0;

  constructor(
    start: number,
    /** The cron schedule as ticks this far apart (the default schedule: every 5 minutes). */
    private readonly tickEveryMs = 300_000,
  ) {
    super(start);
    this.nextTickAt = Math.floor(start / tickEveryMs) * tickEveryMs + tickEveryMs;
  }

  problems(expression: string): CronProblem[] {
    return expression.split(' ').length === 5 ? [] : [{ field: 'expression', value: expression }];
  }

  start(_expression: string, onTick: () => void): CronTask {
    this.crons.add(onTick);
    return { stop: () => this.crons.delete(onTick), nextRuns: (count) => Array.from({ length: count }, (_, i) => this.nextTickAt + i * this.tickEveryMs) };
  }

  /** Moves time to `end`, firing every timer and tick due on the way, in order. */
  async runUntil(end: number): Promise<void> {
    for (;;) {
      const next = [...this.pending.entries()].sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
      const timerDue = next ? next[1].due : Infinity;
      const due = Math.min(timerDue, this.nextTickAt);
      if (due > end) break;
      const armed = this.pending.size;
      this.at = Math.max(this.at, due);
      if (this.nextTickAt <= timerDue) {
        this.nextTickAt += this.tickEveryMs;
        this.ticks += 1;
        for (const onTick of [...this.crons]) onTick();
      } else if (next) {
        this.pending.delete(next[0]);
        this.fired += 1;
        next[1].fn();
      }
      await this.quiet(armed);
    }
    this.at = end;
    await this.quiet(0, 100);
  }

  /** Waits until nothing is in flight and `armed` timers are set again, or `limitMs` of real time. */
  private async quiet(armed: number, limitMs = 3000): Promise<void> {
    const started = Date.now();
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if ((!this.busy() && this.pending.size >= armed) || Date.now() - started > limitMs) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
