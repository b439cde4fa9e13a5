import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { HealthMonitor } from '../../sync-engine/src/health/index.js';
import { openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import type { HealthProbe, PlatformClient } from '../../sync-engine/src/sync/ports.js';
import { TempDirs } from './support/agent-fixture.js';
import { FakeTime } from './support/fake-time.js';

const HOURS_3 = 3 * 3_600_000;

/** The platform's health, its `time` the true time. */
function platformAnswering(trueNow: () => number): PlatformClient {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    health: async (): Promise<HealthProbe> => ({ body: { status: 'ok', time: new Date(trueNow()).toISOString(), protocol: 1 }, httpStatus: 200, latencyMs: 40, skewMs: 0 }),
    catalog: unused,
    pull: unused,
    push: unused,
    digest: unused,
  };
}

/**
 * The computer's clock was hours ahead (its samples are dated hours ahead),
 * then local IT set it right and opened status, the window or the service
 * again: the connection is judged on what was measured since, not on a
 * sample dated in the future that said the clock was wrong.
 */
describe('the health monitor after the clock was set right', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a sample dated hours ahead by a wrong clock does not keep saying "clock is wrong" once the clock is right', async () => {
    const time = new FakeTime();
    const dir = temp.make();
    const client = platformAnswering(() => time.now());

    const store = await openAgentStore(dir);
    const ahead = { now: () => time.now() + HOURS_3 };
    const wrong = new HealthMonitor({ store, clock: ahead, timer: time, random: () => 0.5, client: () => client });
    await wrong.load();
    await wrong.probe();
    assert.equal(wrong.assessment().reason.code, 'clock_skew', 'the wrong clock is seen');
    await store.close();

    // The clock set right; a new process (status, the window, the service restarted) opens the folder.
    await time.advance(60_000);
    const reopened = await openAgentStore(dir);
    try {
      const right = new HealthMonitor({ store: reopened, clock: time, timer: time, random: () => 0.5, client: () => client });
      await right.load();
      assert.notEqual(right.assessment().reason.code, 'clock_skew', JSON.stringify(right.assessment()));
      await right.probe();
      assert.equal(right.assessment().reason.code, 'ok', JSON.stringify(right.assessment()));
    } finally {
      await reopened.close();
    }
  });

  test('what was measured last after the clock was set back is the connection, though a sample from before is dated later', async () => {
    const time = new FakeTime();
    const dir = temp.make();
    let reachable = true;
    const answering = platformAnswering(() => time.now());
    const client: PlatformClient = {
      ...answering,
      health: () => (reachable ? answering.health() : Promise.reject(new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED', cause: 'ECONNREFUSED' }))),
    };
    const store = await openAgentStore(dir);
    try {
      const wrong = new HealthMonitor({ store, clock: { now: () => time.now() + HOURS_3 }, timer: time, random: () => 0.5, client: () => client });
      await wrong.load();
      await wrong.probe();
      // The clock set right, then the platform cannot be reached (a proxy, the network): measured last, dated earlier.
      await time.advance(60_000);
      reachable = false;
      const right = new HealthMonitor({ store, clock: time, timer: time, random: () => 0.5, client: () => client });
      await right.load();
      await right.probe();
    } finally {
      await store.close();
    }
    const reopened = await openAgentStore(dir);
    try {
      const later = new HealthMonitor({ store: reopened, clock: time, timer: time, random: () => 0.5, client: () => client });
      await later.load();
      assert.deepEqual([later.assessment().state, later.assessment().reason.code], ['offline', 'network'], JSON.stringify(later.assessment()));
    } finally {
      await reopened.close();
    }
  });
});
