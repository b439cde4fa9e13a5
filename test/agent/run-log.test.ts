import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { recentLogLines } from '../../sync-engine/src/adapters/log-file.js';
import { enrolledAgent, samples, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { eventually, FakeCron, FakeTime } from './support/fake-time.js';

interface LogLine {
  level: string;
  event: string;
  [field: string]: unknown;
}

describe('the structured log of `edge-agent run`', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('every sync run gets a line: a run that went through as info, one that stopped as a warning with its reason', async () => {
    const p = await startTestPlatform(temp);
    const { agent, dataDir } = await enrolledAgent(temp, p, { sync: false });
    await agent.close();
    await p.platform.admin.putRecord('civil-status-births', samples().sample('civil-status-births', '01'));
    const lines = () => recentLogLines(join(dataDir, 'logs'), 1000).map((l) => JSON.parse(l) as LogLine);
    const runs = () => lines().filter((l) => l.event === 'sync.finished');

    const stop = new AbortController();
    // A schedule that never fires by itself: on the wall clock the default one (every 5 minutes) may add a
    // run of its own, and its line, between the startup run and the manual one this test counts.
    const cron = new FakeCron(new FakeTime());
    const running = cli(dataDir, ['run', '--port', '0'], { stopSignal: stop.signal, service: { onError: () => undefined, cron } });
    try {
      await eventually(() => runs().length === 1, 30_000);
      const [startup] = runs();
      assert.equal(startup?.level, 'info');
      assert.equal(startup?.trigger, 'startup');
      assert.equal(startup?.status, 'ok');
      assert.equal(startup?.pulled, 1, 'the national record');
      assert.equal(startup?.pushed, 0);
      assert.ok(typeof startup?.durationMs === 'number');

      await p.close();
      const sync = await cli(dataDir, ['--json', 'sync']);
      assert.equal(sync.code, 2, 'the running service made the run, and it could not reach the platform');
      // The failed run is retried after a jittered backoff that may be a few milliseconds: the retry's line
      // may already follow it, so the command line's run's line is the one after the startup run's, whatever comes next.
      await eventually(() => runs().length >= 2, 30_000);
      const failed = runs()[1];
      assert.equal(failed?.level, 'warn');
      assert.equal(failed?.trigger, 'cli', 'asked for from the command line, through the service');
      assert.equal(failed?.status, 'failed');
      assert.deepEqual(Object.keys(failed?.['error'] as object), ['code', 'message']);
      assert.equal((failed?.['error'] as { code: string }).code, 'network');
    } finally {
      stop.abort();
      const ended = await running;
      assert.equal(ended.code, 0, ended.stderr);
    }
    const events = lines().map((l) => l.event);
    assert.equal(events[0], 'service.start');
    assert.equal(events.at(-1), 'service.stop');
  });
});
