import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attentionItems } from '../../renderer/src/model/attention.js';
import { formatDateTime } from '../../renderer/src/model/format.js';
import { enrolledAgent, ok, platformPerSuite, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * While the platform cannot be reached the service keeps trying, and each try
 * is kept in the sync history as a failed run: the last run is minutes old
 * however long the office has been cut off. The Overview, its "needs
 * attention" list and `status` say since when no sync went through.
 */
describe('how long the office has been cut off', () => {
  const env = platformPerSuite();

  test('an agent that has not synced yet has no last successful sync, and status adds no line for it', async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p, { sync: false });
    const before = await ok(agent, 'status.get', {});
    assert.equal(before.lastSuccessAt, null);
    await agent.close();
    const text = await cli(dataDir, ['--lang', 'en', 'status']);
    assert.doesNotMatch(text.stdout, /Last successful sync/, 'no run yet: nothing to compare');
  });

  test('status gives the last successful sync beside the last (failed) one; the Overview warns after a day', async () => {
    let clock = Date.now();
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p, { service: { now: () => clock } });
    const good = await syncOk(agent);
    await env.p.close();
    // Two days of failed tries.
    for (let hour = 1; hour <= 48; hour += 12) {
      clock += 12 * 3_600_000;
      const tried = await ok(agent, 'sync.now', {});
      assert.equal(tried.run?.status, 'failed');
    }
    const status = await ok(agent, 'status.get', {});
    assert.equal(status.lastSync?.status, 'failed');
    assert.equal(status.lastSync?.at, new Date(clock).toISOString(), 'the last run is the failed try just now');
    assert.equal(status.lastSuccessAt, good.finishedAt, 'the last one that went through is two days old');
    assert.equal(status.health.state, 'offline');

    const attention = attentionItems(status, clock);
    const offline = attention.find((item) => item.id === 'offlineLong');
    assert.ok(offline, `the Overview says no sync has gone through for long: ${JSON.stringify(attention)}`);
    assert.equal(offline.since, good.finishedAt);
    await agent.close();

    const text = await cli(dataDir, ['--lang', 'en', 'status']);
    assert.ok(text.stdout.includes(`Last successful sync: ${formatDateTime('en', good.finishedAt)}\n`), text.stdout);
    const vi = await cli(dataDir, ['--lang', 'vi', 'status']);
    assert.match(vi.stdout, /Lần đồng bộ thành công gần nhất: /);
    // The connection's state and the last run's result in the person's language, as the window names them, not their codes.
    assert.match(vi.stdout, /\nKết nối: Mất kết nối \(|\nKết nối: Mất kết nối —/);
    assert.match(vi.stdout, /\nLần đồng bộ gần nhất: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(không thành công\)/);
    assert.match(text.stdout, /\nConnection: Offline/);
    assert.match(text.stdout, /\nLast sync: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(failed\)/);
    assert.equal((await cli(dataDir, ['--json', 'status'])).json.lastSuccessAt, good.finishedAt);
  });

});
