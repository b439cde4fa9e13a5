import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/index.js';
import { dateTime } from '../../sync-engine/src/cli/output.js';
import { HealthSamples } from '../../sync-engine/src/store/health-samples.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const temp = new TempDirs();
after(() => temp.cleanup());

test('edge-agent status with no service running says when the stored connection state was observed, and that it is not checked now', async () => {
  const home = temp.make('cli-status-age-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  // The service's last probe, three hours and five minutes ago; it stopped since.
  const at = new Date(Date.now() - (3 * 60 + 5) * 60_000).toISOString();
  const agent = await createAgentService({ dataDir: home, onError: () => undefined });
  await agent.store.transaction((tx) => new HealthSamples().record(tx, { at, ok: true, latencyMs: 9, httpStatus: 200, errorCode: null, skewMs: 0 }));
  await agent.close();

  const json = await cli(home, ['--json', 'status']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual([json.json.health.state, json.json.health.latencyMs, json.json.health.at], ['online', 9, at]);

  const vi = await cli(home, ['--lang', 'vi', 'status']);
  assert.match(vi.stdout, new RegExp(`^Kết nối: Trực tuyến \\(9 ms\\) — .* — lúc ${dateTime(at)}, 3 giờ [56] phút trước$`, 'm'));
  assert.match(vi.stdout, /^ {2}Dịch vụ nền không chạy trên máy này nên kết nối không được kiểm tra lúc này: đây là lần kiểm tra gần nhất đã lưu\. Kiểm tra ngay: edge-agent --home \S+ doctor$/m);
  const en = await cli(home, ['--lang', 'en', 'status']);
  assert.match(en.stdout, new RegExp(`^Connection: Online \\(9 ms\\) — .* — at ${dateTime(at)}, 3 hours [56] minutes ago$`, 'm'));
  assert.match(en.stdout, /^ {2}No background service runs here, so the connection is not being checked now: this is the last check stored\. To check it now: edge-agent --home \S+ doctor$/m);
});

test('edge-agent status before any check says no time and no stale-state note', async () => {
  const home = temp.make('cli-status-age-none-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const json = await cli(home, ['--json', 'status']);
  assert.deepEqual([json.json.health.state, json.json.health.at], ['unchecked', null]);
  const vi = await cli(home, ['status']);
  assert.doesNotMatch(vi.stdout, / — lúc |Dịch vụ nền không chạy trên máy này nên kết nối/);
});
