import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { mulberry32 } from '../../national-platform/src/seed/seeded-random.js';
import { HealthMonitor } from '../../sync-engine/src/health/index.js';
import { openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import type { HealthProbe, PlatformClient } from '../../sync-engine/src/sync/ports.js';
import { TempDirs } from './support/agent-fixture.js';
import { eventually, FakeTime } from './support/fake-time.js';

/** A platform client whose health answers the test scripts; signed calls are not used here. */
function scriptedClient(time: FakeTime, answers: Array<(now: number) => HealthProbe | PlatformError>): PlatformClient {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    health: async () => {
      const next = answers.shift();
      if (!next) throw new Error('no scripted answer left');
      const answer = next(time.now());
      if (answer instanceof PlatformError) throw answer;
      return answer;
    },
    catalog: unused,
    pull: unused,
    push: unused,
    digest: unused,
  };
}

const okAt = (skewMs = 0, latencyMs = 40) => (now: number): HealthProbe => ({
  body: { status: 'ok', time: new Date(now - skewMs).toISOString(), protocol: 1 },
  httpStatus: 200,
  latencyMs,
  skewMs: -skewMs,
});

describe('the health monitor', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  async function monitorWith(answers: Array<(now: number) => HealthProbe | PlatformError>, random: () => number = () => 0.5) {
    const time = new FakeTime();
    const store = await openAgentStore(temp.make());
    const client = scriptedClient(time, answers);
    const monitor = new HealthMonitor({ store, clock: time, timer: time, random, client: () => client });
    await monitor.load();
    return { time, store, monitor };
  }

  test('maps each kind of failure to its state: no answer is offline, the platform’s trouble is degraded', async () => {
    const cases: Array<[PlatformError | ((now: number) => HealthProbe), string, string]> = [
      [new PlatformError({ kind: 'network', message: 'ECONNREFUSED' }), 'offline', 'network'],
      [new PlatformError({ kind: 'timeout', message: 'slow' }), 'offline', 'timeout'],
      [new PlatformError({ kind: 'tls', message: 'CERT_HAS_EXPIRED' }), 'offline', 'tls'],
      [new PlatformError({ kind: 'http', status: 503, code: 'maintenance', message: 'x' }), 'degraded', 'maintenance'],
      [new PlatformError({ kind: 'http', status: 429, code: 'rate_limited', message: 'x' }), 'degraded', 'rate_limited'],
      [new PlatformError({ kind: 'http', status: 500, code: 'internal', message: 'x' }), 'degraded', 'server_error'],
      [(now) => ({ ...okAt()(now), body: { status: 'maintenance', time: new Date(now).toISOString(), protocol: 1 } }), 'degraded', 'maintenance'],
    ];
    for (const [answer, state, code] of cases) {
      const { monitor, store } = await monitorWith([answer instanceof PlatformError ? () => answer : answer]);
      const sample = await monitor.probe();
      assert.equal(sample?.errorCode, code);
      assert.deepEqual([monitor.assessment().state, monitor.assessment().reason.code], [state, code]);
      await store.close();
    }
  });

  test('measures skew as this computer’s clock minus the platform’s', async () => {
    const { monitor, store } = await monitorWith([okAt(10 * 60_000, 0), okAt(-2 * 3_600_000, 0)]);
    assert.equal((await monitor.probe())?.skewMs, 10 * 60_000);
    assert.equal(monitor.assessment().state, 'clock_skew');
    assert.match(monitor.assessment().reason.en, /10 minutes ahead of/);
    assert.equal((await monitor.probe())?.skewMs, -2 * 3_600_000);
    assert.match(monitor.assessment().reason.en, /2 hours behind/);
    await store.close();
  });

  test('tells its listeners when the state changes and when the platform answers again after failing', async () => {
    const down = new PlatformError({ kind: 'network', message: 'down' });
    const { monitor, store } = await monitorWith([okAt(), () => down, () => down, okAt()]);
    const states: string[] = [];
    let answering = 0;
    monitor.on({ changed: (a) => states.push(a.state), answering: () => (answering += 1) });
    await monitor.probe();
    await monitor.probe();
    await monitor.probe();
    assert.equal(answering, 0);
    await monitor.probe();
    assert.equal(answering, 1);
    assert.deepEqual(states, ['online', 'offline', 'degraded']);
    await store.close();
  });

  test('probes on its own timer, faster while failing, and keeps a week of samples', async () => {
    const down = () => new PlatformError({ kind: 'network', message: 'down' });
    const answers = [okAt(), down, ...Array.from({ length: 400 }, () => okAt())];
    const { monitor, store, time } = await monitorWith(answers);
    monitor.start();
    await eventually(() => time.pendingDelays().length > 0);
    assert.deepEqual(time.pendingDelays(), [60_000]);
    await time.advance(60_000);
    await eventually(() => time.pendingDelays().length > 0);
    const [followUp] = time.pendingDelays();
    assert.ok(followUp! >= 7_500 && followUp! < 15_000, `a failed probe is followed up sooner: ${followUp}`);
    // Eight days of probes every hour (the interval would be a minute; jump the clock instead).
    monitor.stop();
    for (let hour = 0; hour < 8 * 24; hour += 1) {
      await time.advance(3_600_000);
      await monitor.probe();
    }
    const oldest = await store.sql.get<{ at: string }>('SELECT MIN("at") AS at FROM "health_samples"');
    assert.ok(time.now() - Date.parse(oldest!.at) <= 7 * 24 * 3_600_000 + 3_600_000, 'samples older than a week are pruned');
    assert.equal(monitor.latency().length, 48);
    await store.close();
  });

  /** Starts the monitor and returns the wait armed before each probe for a day. */
  async function aDayOfWaits(monitor: HealthMonitor, time: FakeTime): Promise<number[]> {
    const delays: number[] = [];
    monitor.start();
    const end = time.now() + 24 * 3_600_000;
    while (time.now() < end) {
      await eventually(() => time.pendingDelays().length > 0);
      const [delay] = time.pendingDelays();
      delays.push(delay!);
      await time.advance(delay!);
    }
    return delays;
  }

  /** The wait before each probe while the platform is down, for a day from the first failure. */
  async function outage(random: () => number) {
    const down = () => new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED' });
    const answers = [...Array.from({ length: 600 }, () => down), okAt(), okAt()];
    const { monitor, store, time } = await monitorWith(answers, random);
    const delays = await aDayOfWaits(monitor, time);
    monitor.stop();
    await store.close();
    return delays;
  }

  /** The bound of each wait while down: 15 s doubling to 5 min. */
  const bound = (i: number) => Math.min(300_000, 15_000 * 2 ** i);

  test('while the platform stays down, each wait is jittered between half its bound and the bound, so offices cut off together drift apart', async () => {
    const a = await outage(mulberry32(1));
    const b = await outage(mulberry32(2));
    for (const delays of [a, b]) {
      delays.forEach((delay, i) => assert.ok(delay >= bound(i) / 2 && delay < bound(i), `wait ${i}: ${delay} ms, not within [${bound(i) / 2}, ${bound(i)})`));
    }
    assert.notDeepEqual(a.slice(0, 10), b.slice(0, 10), 'two offices probe at different times');
    // Where each office's probes fall, from the moment both lost the platform: no longer in lock-step.
    const times = (delays: number[]) => delays.reduce<number[]>((acc, d) => [...acc, (acc.at(-1) ?? 0) + d], []);
    const [ta, tb] = [times(a), times(b)];
    const apart = ta.slice(5, 40).map((t, i) => Math.abs(t - (tb[i + 5] ?? 0)));
    assert.ok(apart.every((d) => d > 0), 'no probe of one office at the same instant as the other’s');
    assert.ok(a.length < 400 && b.length < 400, `${a.length} and ${b.length} probes in a day down, not one every 15 s (5,760)`);
  });

  test('while the platform stays down it probes less and less often, 15 s doubling to 5 min at most, and every minute again once it answers', async () => {
    const down = () => new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED' });
    const answers = [...Array.from({ length: 300 }, () => down), okAt(), okAt()];
    // The longest waits the jitter allows.
    const { monitor, store, time } = await monitorWith(answers, () => 1 - Number.EPSILON);
    const delays = await aDayOfWaits(monitor, time);
    assert.deepEqual(delays.slice(0, 7), [14_999, 29_999, 59_999, 119_999, 239_999, 299_999, 299_999]);
    assert.ok(delays.length < 300, `${delays.length} probes in a day down, not one every 15 s (5,760)`);
    answers.splice(0, answers.length, okAt(), okAt());
    await eventually(() => time.pendingDelays().length > 0);
    await time.advance(time.pendingDelays()[0]!);
    await eventually(() => time.pendingDelays().length > 0);
    assert.deepEqual(time.pendingDelays(), [60_000], 'the platform answering: back to the usual interval');
    monitor.stop();
    await store.close();
  });

  test('a refusal seen by a signed call sticks until a signed call succeeds, even while probes answer', async () => {
    const { monitor, store } = await monitorWith([okAt(), okAt(), okAt()]);
    await monitor.probe();
    await monitor.noteSignedCall({ ok: false, error: new PlatformError({ kind: 'http', status: 401, code: 'agent_revoked', message: 'revoked' }) });
    await monitor.probe();
    assert.equal(monitor.assessment().state, 'unauthorized');
    assert.equal(monitor.refusal, 'agent_revoked');
    await monitor.noteSignedCall({ ok: false, error: new PlatformError({ kind: 'http', status: 410, code: 'resync_required', message: 'gone' }) });
    assert.equal(monitor.assessment().reason.code, 'agent_revoked', 'a refusal of one request says nothing about the connection');
    await monitor.noteSignedCall({ ok: true });
    await monitor.probe();
    assert.equal(monitor.assessment().state, 'online');
    await store.close();
  });
});
