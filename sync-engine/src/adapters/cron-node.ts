import cron from 'node-cron';
import type { CronProblem, CronSource, CronTask } from '../schedule/ports.js';

/** node-cron prints its own warnings (missed executions after a sleep); the scheduler handles those cases. */
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/**
 * The CronSource port over node-cron: it parses and times the expression, and
 * nothing else. Overlap, backoff and retries are the scheduler's
 * (src/schedule/scheduler.ts), so node-cron's own noOverlap stays off.
 */
export const nodeCronSource: CronSource = {
  problems(expression: string): CronProblem[] {
    const result = cron.validateDetailed(expression);
    return result.valid ? [] : result.errors.map((e) => ({ field: e.field, value: e.value ?? null }));
  },

  start(expression: string, onTick: () => void): CronTask {
    const task = cron.createTask(expression, () => onTick(), { logger: quiet, unref: true, suppressMissedWarning: true });
    void task.start();
    return {
      stop: () => {
        void task.destroy();
      },
      nextRuns: (count) => task.getNextRuns(count).map((at) => at.getTime()),
    };
  },
};
