import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OutboxWatchdog, type SyncTrigger } from '../../sync-engine/src/schedule/index.js';
import { FakeTime } from './support/fake-time.js';

describe('the outbox watchdog', () => {
  function watchdog(oldest: number | null, lastRunAgoMs: number | null, running = false, retryInMs: number | null = null) {
    const time = new FakeTime();
    const requested: SyncTrigger[] = [];
    const dog = new OutboxWatchdog({
      clock: time,
      timer: time,
      staleAfterMs: 15 * 60_000,
      checkEveryMs: 60_000,
      oldestPendingAt: async () => (oldest === null ? null : time.now() - oldest),
      schedulerState: () => ({
        running: running ? 'schedule' : null,
        failures: retryInMs === null ? 0 : 9,
        retryAt: retryInMs === null ? null : time.now() + retryInMs,
        notBefore: null,
        lastRunAt: lastRunAgoMs === null ? null : time.now() - lastRunAgoMs,
        nextRunAt: null,
      }),
      requestRun: (trigger) => {
        requested.push(trigger);
        return { started: true };
      },
    });
    return { time, dog, requested };
  }

  test('starts a run when changes have waited too long and nothing has run', async () => {
    const w = watchdog(20 * 60_000, null);
    w.dog.start();
    await w.time.advance(60_000);
    assert.deepEqual(w.requested, ['watchdog']);
    w.dog.stop();
  });

  test('stays quiet when the outbox is fresh, a run started recently, or a run is in progress', async () => {
    for (const [oldest, lastRun, running] of [
      [60_000, null, false],
      [null, null, false],
      [20 * 60_000, 5 * 60_000, false],
      [20 * 60_000, null, true],
    ] as const) {
      const w = watchdog(oldest, lastRun, running);
      assert.equal(await w.dog.check(), false, `oldest ${oldest}, last run ${lastRun}, running ${running}`);
      assert.deepEqual(w.requested, []);
    }
  });

  test('leaves a backing-off scheduler its pending retry, unless that retry is long overdue (a timer lost)', async () => {
    // The platform down for hours: the last try 20 minutes ago, the next one in 10 (the backoff grows to 30 minutes).
    const backingOff = watchdog(3 * 3_600_000, 20 * 60_000, false, 10 * 60_000);
    assert.equal(await backingOff.dog.check(), false);
    assert.deepEqual(backingOff.requested, [], 'the watchdog does not cut the backoff short');
    const lost = watchdog(3 * 3_600_000, 60 * 60_000, false, -20 * 60_000);
    assert.equal(await lost.dog.check(), true);
    assert.deepEqual(lost.requested, ['watchdog'], 'a retry 20 minutes overdue: its timer was lost, the watchdog runs');
  });
});
