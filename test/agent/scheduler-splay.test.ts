import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splayDelay } from '../../sync-engine/src/domain/splay.js';
import { settle } from './support/fake-time.js';
import { harness } from './support/scheduler-harness.js';

describe("the sync scheduler: each agent's splay after a cron tick", () => {
  test("a cron tick's run waits for this agent's splay, and the planned run says so before and after the tick", async () => {
    const h = harness({ splay: 0.5 });
    const offset = splayDelay(0.5, 300_000);
    assert.equal(offset, 149_500, 'half of the 4 min 59 s window');
    h.scheduler.start();
    assert.equal(h.scheduler.state().nextRunAt, h.time.now() + 300_000 + offset, 'the next tick plus the splay');
    await h.time.advance(300_000);
    h.cron.tick();
    await settle();
    assert.deepEqual(h.started, [], 'the tick does not run at once');
    assert.equal(h.scheduler.state().nextRunAt, h.time.now() + offset);
    await h.time.advance(offset - 1);
    assert.deepEqual(h.started, []);
    await h.time.advance(1);
    assert.deepEqual(h.started, ['schedule'], 'it runs at its offset');
    await h.finish({ ok: true });
    assert.equal(h.scheduler.state().nextRunAt, h.time.now() + 300_000 + offset, 'the next tick (5 minutes from now here) plus the splay again');
  });

  test('the splay differs per agent, stays the same from tick to tick, and ends before the next tick', async () => {
    const at = async (splay: number, tickEveryMs?: number) => {
      const h = harness({ splay, ...(tickEveryMs === undefined ? {} : { tickEveryMs }) });
      h.scheduler.start();
      const offsets: number[] = [];
      for (let tick = 0; tick < 3; tick += 1) {
        const tickAt = h.time.now();
        h.cron.tick();
        await settle();
        const [waits] = h.time.pendingDelays();
        assert.ok(waits !== undefined, 'the tick waits');
        await h.time.advance(waits);
        assert.equal(h.started.length, tick + 1);
        offsets.push(h.time.now() - tickAt);
        await h.finish({ ok: true });
        await h.time.advance(h.cron.everyMs - (h.time.now() - tickAt));
      }
      assert.equal(new Set(offsets).size, 1, `the same offset at every tick: ${offsets.join(', ')}`);
      return offsets[0]!;
    };
    const a = await at(0.2);
    const b = await at(0.7);
    assert.notEqual(a, b);
    assert.ok(a > 0 && b > a && b < 299_000, `${a}, ${b}: within 4 min 59 s`);
    const last = await at(0.999999);
    assert.ok(last < 299_000 && last > 298_000, `${last}: the largest is under 4 min 59 s`);
    const everyMinute = await at(0.999999, 60_000);
    assert.ok(everyMinute < 59_000 && everyMinute > 58_000, `${everyMinute}: every minute, it ends 1 s or more before the next tick`);
  });

  test('the run at start, "sync now", retries and the catch-up when the platform answers do not wait for the splay', async () => {
    const h = harness({ splay: 0.9, random: () => 0.9 });
    h.scheduler.start(true);
    await settle();
    assert.deepEqual(h.started, ['startup'], 'the run at start starts at once');
    await h.finish({ ok: true });
    h.cron.tick();
    await settle();
    assert.equal(h.time.pendingDelays().length, 1, 'a tick waits for its splay');
    assert.equal(h.scheduler.requestRun('manual').started, true);
    await settle();
    assert.deepEqual(h.started, ['startup', 'manual'], '"sync now" starts at once');
    assert.deepEqual(h.time.pendingDelays(), [], 'and covers the waiting tick');
    await h.fail();
    assert.deepEqual(h.time.pendingDelays(), [1_800], 'a retry waits for the backoff alone (0.9 of 2 s), no splay');
    await h.time.advance(1_800);
    assert.deepEqual(h.started, ['startup', 'manual', 'retry']);
    await h.fail();
    h.scheduler.platformAnswering();
    await h.time.advance(0);
    assert.deepEqual(h.started, ['startup', 'manual', 'retry', 'retry'], 'the catch-up starts at once');
    await h.finish({ ok: true });
    const answer = h.scheduler.requestRunAfterCurrent('cli');
    await settle();
    assert.deepEqual(h.started.at(-1), 'cli');
    await h.finish({ ok: true });
    assert.deepEqual(await answer, { ok: true });
  });

  test('stop drops a tick still waiting for its splay', async () => {
    const h = harness({ splay: 0.5 });
    h.scheduler.start();
    h.cron.tick();
    await settle();
    assert.equal(h.time.pendingDelays().length, 1);
    await h.scheduler.stop();
    assert.deepEqual(h.time.pendingDelays(), []);
    assert.equal(h.scheduler.state().nextRunAt, null);
    await h.time.advance(300_000);
    assert.deepEqual(h.started, []);
  });
});
