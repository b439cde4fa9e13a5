import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffCeiling } from '../../sync-engine/src/domain/backoff.js';
import { InvalidSchedule, SyncScheduler, type RunOutcome } from '../../sync-engine/src/schedule/index.js';
import { FakeCron, FakeTime, settle } from './support/fake-time.js';
import { harness } from './support/scheduler-harness.js';

describe('the sync scheduler', () => {
  test('refuses a schedule that is not five valid cron fields, saying why in Vietnamese and English', () => {
    const time = new FakeTime();
    const make = (schedule: string) =>
      new SyncScheduler({ schedule, cron: new FakeCron(time), clock: time, timer: time, random: Math.random, runSync: async () => ({ ok: true }) });
    assert.throws(() => make('*/5 * * *'), (e: unknown) => e instanceof InvalidSchedule && /4 fields instead of 5/.test(e.messages.en) && /4 trường/.test(e.messages.vi));
    assert.throws(() => make('*/5 x * * *'), (e: unknown) => e instanceof InvalidSchedule && /hour field "x"/.test(e.messages.en) && /giờ/.test(e.messages.vi));
    assert.equal(make(' */10  * * * * ').schedule, '*/10 * * * *');
  });

  test('a cron tick starts a run, and ticks during that run become exactly one follow-up run', async () => {
    const h = harness();
    h.scheduler.start();
    h.cron.tick();
    await settle();
    assert.deepEqual(h.started, ['schedule']);
    h.cron.tick();
    h.cron.tick();
    h.cron.tick();
    await settle();
    assert.equal(h.started.length, 1, 'no second run while the first is in progress');
    await h.finish({ ok: true });
    assert.deepEqual(h.started, ['schedule', 'schedule']);
    await h.finish({ ok: true });
    assert.equal(h.started.length, 2, 'the follow-up does not repeat');
    assert.equal(h.maxActive(), 1);
  });

  test('"sync now" during a run is refused with started false, and accepted once it ended', async () => {
    const h = harness();
    h.scheduler.start();
    const first = h.scheduler.requestRun('manual');
    assert.equal(first.started, true);
    await settle();
    const second = h.scheduler.requestRun('manual');
    assert.deepEqual(second, { started: false, outcome: null });
    await h.finish({ ok: true });
    assert.deepEqual(await first.outcome, { ok: true });
    assert.equal(h.scheduler.requestRun('cli').started, true);
    await settle();
    assert.deepEqual(h.started, ['manual', 'cli']);
    assert.equal(h.maxActive(), 1);
  });

  test('"sync now" asked during a retry waits for it and then runs, so its run starts after the request; requests during one run share one run', async () => {
    const h = harness({ random: () => 0 });
    h.scheduler.start();
    h.scheduler.requestRun('manual');
    await settle();
    await h.fail();
    await h.time.advance(h.time.pendingDelays()[0]!);
    assert.deepEqual(h.started, ['manual', 'retry'], 'a retry is in progress');
    let answered: RunOutcome | null | undefined;
    const asked = h.scheduler.requestRunAfterCurrent('manual').then((outcome) => {
      answered = outcome;
    });
    const again = h.scheduler.requestRunAfterCurrent('cli');
    h.cron.tick();
    await settle();
    assert.deepEqual(h.started, ['manual', 'retry'], 'nothing started while the retry runs');
    await h.fail();
    assert.deepEqual(h.started, ['manual', 'retry', 'manual'], 'the asked run started once the retry ended, in place of a retry or a tick');
    assert.equal(answered, undefined, 'the answer waits for the asked run, not the retry');
    assert.deepEqual(h.time.pendingDelays(), [], 'no retry pending while the asked run runs');
    await h.finish({ ok: true, runId: 'r3' });
    await asked;
    assert.deepEqual(answered, { ok: true, runId: 'r3' });
    assert.deepEqual(await again, { ok: true, runId: 'r3' }, 'the second request shares the same run');
    await settle();
    assert.deepEqual(h.started, ['manual', 'retry', 'manual'], 'the tick during the retry was covered by the asked run');
    assert.equal(h.scheduler.state().failures, 0);
    assert.equal(h.maxActive(), 1);
  });

  test('"sync now" asked with nothing running starts at once; asked while the scheduler stops, it answers null', async () => {
    const h = harness();
    h.scheduler.start();
    const first = h.scheduler.requestRunAfterCurrent('manual');
    await settle();
    assert.deepEqual(h.started, ['manual'], 'started at once');
    const waiting = h.scheduler.requestRunAfterCurrent('manual');
    const stopped = h.scheduler.stop();
    await h.finish({ ok: true });
    await stopped;
    assert.deepEqual(await first, { ok: true });
    assert.equal(await waiting, null);
    assert.deepEqual(h.started, ['manual']);
  });

  test('after failures it retries with full-jitter backoff, doubling from about 2 s to a 30 minute cap', async () => {
    const h = harness({ random: () => 0.999999 });
    h.scheduler.start();
    h.scheduler.requestRun('manual');
    await settle();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      await h.fail();
      const [delay] = h.time.pendingDelays();
      assert.ok(delay !== undefined, 'a retry is pending');
      delays.push(delay);
      assert.ok(delay < backoffCeiling(attempt) && delay >= backoffCeiling(attempt) * 0.99, `attempt ${attempt}: ${delay}`);
      await h.time.advance(delay);
      assert.equal(h.started.at(-1), 'retry');
    }
    assert.ok(delays[0]! < 2_000);
    assert.ok(delays.at(-1)! <= 1_800_000 && delays.at(-1)! > 1_790_000, 'capped at thirty minutes');
    await h.finish({ ok: true });
    assert.equal(h.scheduler.state().failures, 0, 'a success resets the count');
    assert.deepEqual(h.time.pendingDelays(), [], 'and leaves no retry behind');
  });

  test('a day without the platform is tried less often than the schedule would, not more', async () => {
    // A seeded source: the jitter as it falls, not a chosen extreme.
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const h = harness({ random });
    h.scheduler.start();
    h.scheduler.requestRun('manual');
    await settle();
    const end = h.time.now() + 24 * 3_600_000;
    let nextTick = h.time.now() + 300_000;
    let scheduled = 0;
    while (h.time.now() < end) {
      if (h.running()) await h.fail();
      const retry = h.time.pendingDelays()[0] ?? Infinity;
      const step = Math.min(retry, nextTick - h.time.now(), end - h.time.now());
      await h.time.advance(step);
      if (h.time.now() === nextTick) {
        // The office's schedule, every 5 minutes: 288 ticks a day.
        scheduled += 1;
        nextTick += 300_000;
        h.cron.tick();
        await settle();
      }
    }
    assert.equal(scheduled, 288);
    const tries = h.started.length;
    assert.ok(tries < 150, `${tries} runs in a day of failures: the backoff tries at most about every 15 minutes once grown, not at every tick`);
    assert.ok(tries > 24, `${tries} runs: it still tries through the day`);
  });

  test("honours the platform's Retry-After and skips cron ticks while it waits", async () => {
    const h = harness({ random: () => 0 });
    h.scheduler.start();
    h.scheduler.requestRun('manual');
    await settle();
    await h.fail(120_000);
    assert.deepEqual(h.time.pendingDelays(), [120_000]);
    h.cron.tick();
    await h.time.advance(60_000);
    h.cron.tick();
    await settle();
    assert.deepEqual(h.started, ['manual'], 'ticks during the wait do not run');
    h.scheduler.platformAnswering();
    await settle();
    assert.deepEqual(h.started, ['manual'], 'the platform answering does not cut a Retry-After short');
    await h.time.advance(60_000);
    assert.deepEqual(h.started, ['manual', 'retry']);
  });

  test('tries at once when the health probe sees the platform answering again after failures', async () => {
    const h = harness({ random: () => 0.9 });
    h.scheduler.start();
    h.scheduler.requestRun('manual');
    await settle();
    await h.fail();
    await h.time.advance(h.time.pendingDelays()[0]!);
    await h.fail();
    assert.equal(h.scheduler.state().failures, 2);
    h.scheduler.platformAnswering();
    await h.time.advance(0);
    assert.deepEqual(h.started, ['manual', 'retry', 'retry']);
    await h.finish({ ok: true });
    h.scheduler.platformAnswering();
    await h.time.advance(0);
    assert.equal(h.started.length, 3, 'no extra run when nothing had failed');
  });

  test('a failure that retrying cannot fix waits for the next tick instead of retrying', async () => {
    const h = harness();
    h.scheduler.start();
    h.cron.tick();
    await settle();
    await h.fail(null, false);
    assert.deepEqual(h.time.pendingDelays(), []);
    h.cron.tick();
    await settle();
    assert.deepEqual(h.started, ['schedule', 'schedule']);
  });

  test('a run that throws counts as a retryable failure and is reported', async () => {
    const time = new FakeTime();
    const errors: unknown[] = [];
    let runs = 0;
    const scheduler = new SyncScheduler({
      schedule: '*/5 * * * *',
      cron: new FakeCron(time),
      clock: time,
      timer: time,
      random: () => 0.5,
      runSync: async () => {
        runs += 1;
        throw new Error('boom');
      },
      onRunError: (e) => errors.push(e),
    });
    scheduler.start(true);
    await settle();
    assert.equal(runs, 1);
    assert.equal(errors.length, 1);
    assert.equal(scheduler.state().failures, 1);
    assert.equal(time.pendingDelays().length, 1);
    await scheduler.stop();
  });

  test('stop waits for the run in progress and nothing runs afterwards', async () => {
    const h = harness();
    h.scheduler.start();
    h.scheduler.requestRun('manual');
    await settle();
    let stopped = false;
    const stopping = h.scheduler.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false);
    await h.fail();
    await stopping;
    assert.deepEqual(h.time.pendingDelays(), [], 'no retry after stop');
    h.cron.tick();
    await h.time.advance(3_600_000);
    assert.deepEqual(h.started, ['manual']);
    assert.deepEqual(h.cron.installed, []);
  });

  test('an invalid new schedule leaves the old one in place', () => {
    const h = harness();
    h.scheduler.start();
    assert.throws(() => h.scheduler.setSchedule('every five minutes'), InvalidSchedule);
    assert.deepEqual(h.cron.installed, ['*/5 * * * *']);
    h.scheduler.setSchedule('0 * * * *');
    assert.deepEqual(h.cron.installed, ['0 * * * *']);
  });

  test('random interleavings of ticks, requests, probes and run endings never overlap two runs, with a splay or without', async () => {
    for (const splay of [0, 0.6]) {
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const h = harness({ random, splay });
      h.scheduler.start();
      for (let step = 0; step < 400; step += 1) {
        const r = random();
        if (r < 0.25) h.cron.tick();
        else if (r < 0.4) h.scheduler.requestRun('manual');
        else if (r < 0.5) h.scheduler.platformAnswering();
        else if (r < 0.8 && h.running()) await (random() < 0.5 ? h.finish({ ok: true }) : h.fail(random() < 0.3 ? 5_000 : null));
        else await h.time.advance(Math.floor(random() * 120_000));
        await settle(3);
      }
      assert.equal(h.maxActive(), 1, `seed 12345, splay ${splay}: ${h.started.length} runs, never two at once`);
      assert.ok(h.started.length > 20);
      if (splay > 0) assert.ok(h.started.includes('schedule'), 'ticks still run after their splay');
    }
  });
});
