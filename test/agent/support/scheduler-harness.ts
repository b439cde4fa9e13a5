import assert from 'node:assert/strict';
import { SyncScheduler, type RunOutcome, type SyncTrigger } from '../../../sync-engine/src/schedule/index.js';
import { deferred, FakeCron, FakeTime, settle } from './fake-time.js';

/** A scheduler on fake time whose runs end when the test says, recording every start and overlap. */
export function harness(options: { random?: () => number; schedule?: string; splay?: number; tickEveryMs?: number } = {}) {
  const time = new FakeTime();
  const cron = new FakeCron(time, options.tickEveryMs);
  const started: SyncTrigger[] = [];
  let active = 0;
  let maxActive = 0;
  let pending: ReturnType<typeof deferred<RunOutcome>> | null = null;
  const scheduler = new SyncScheduler({
    schedule: options.schedule ?? '*/5 * * * *',
    cron,
    clock: time,
    timer: time,
    random: options.random ?? (() => 0.5),
    ...(options.splay === undefined ? {} : { splay: options.splay }),
    runSync: async (trigger) => {
      started.push(trigger);
      active += 1;
      maxActive = Math.max(maxActive, active);
      pending = deferred<RunOutcome>();
      try {
        return await pending.promise;
      } finally {
        active -= 1;
      }
    },
  });
  const finish = async (outcome: RunOutcome) => {
    assert.ok(pending, 'a run is in progress');
    const p = pending;
    pending = null;
    p.resolve(outcome);
    await settle();
  };
  const fail = (retryAfterMs: number | null = null, retryable = true) => finish({ ok: false, retryable, retryAfterMs });
  return { time, cron, scheduler, started, finish, fail, maxActive: () => maxActive, running: () => pending !== null };
}
