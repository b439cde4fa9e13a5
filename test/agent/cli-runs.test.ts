import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { dateTime } from '../../sync-engine/src/cli/output.js';
import { enrolledAgent, ok, platformPerSuite } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/** A loopback port nothing listens on: the platform "cannot be reached" at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** `edge-agent runs`: the Sync history for local IT on a computer without the window (the headless package). */
describe('edge-agent runs list / show', () => {
  const env = platformPerSuite();

  test('a spell offline is one line with how many and since when; --all lists each run; show gives a run its digests and its error; vi, en, --json', async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p); // run 1: ok
    await ok(agent, 'settings.update', { platformUrl: `http://127.0.0.1:${await closedPort()}` });
    for (let i = 0; i < 3; i += 1) {
      const failed = await ok(agent, 'sync.now', {}); // runs 2-4
      assert.equal(failed.run?.status, 'failed');
    }
    await ok(agent, 'settings.update', { platformUrl: env.p.url });
    await ok(agent, 'sync.now', {}); // run 5: ok again
    await agent.close();

    const json = await cli(dataDir, ['--json', 'runs', 'list']);
    assert.equal(json.code, 0, json.stderr);
    const rows = json.json as Array<{ id: number; status: string; startedAt: string; repeats?: { count: number; firstId: number; firstStartedAt: string } }>;
    assert.deepEqual(rows.map((r) => [r.id, r.status, r.repeats?.count ?? 1]), [[5, 'ok', 1], [4, 'failed', 3], [1, 'ok', 1]]);
    const spell = rows[1]!;

    const vi = await cli(dataDir, ['runs', 'list']);
    assert.equal(vi.code, 0, vi.stderr);
    const viLines = vi.stdout.split('\n');
    assert.match(viLines[0]!, /^#\s+Bắt đầu\s+Cách bắt đầu\s+Kết quả\s+Gửi lên\s+Nhận về\s+Xung đột\s+Bị từ chối$/);
    assert.match(viLines[2]!, /^2-4\s+.*không thành công ×3/);
    const said = viLines.find((l) => l.startsWith('#2-4 '));
    assert.ok(said, vi.stdout);
    assert.ok(said.startsWith(`#2-4 (3 lần liên tiếp, từ ${dateTime(spell.repeats!.firstStartedAt)} đến ${dateTime(spell.startedAt)}): `), said);
    assert.match(said, /nền tảng quốc gia/i);
    assert.equal(viLines.at(-2), `Chi tiết một lần: edge-agent --home ${dataDir} runs show <số>`);

    const all = await cli(dataDir, ['--json', 'runs', 'list', '--all']);
    assert.deepEqual((all.json as Array<{ id: number }>).map((r) => r.id), [5, 4, 3, 2, 1]);
    const page = await cli(dataDir, ['--lang', 'en', 'runs', 'list', '--limit', '2']);
    assert.match(page.stdout, new RegExp(`Older runs: edge-agent --home ${dataDir} runs list --before 2\\n`));
    const next = await cli(dataDir, ['--json', 'runs', 'list', '--limit', '2', '--before', '2']);
    assert.deepEqual((next.json as Array<{ id: number }>).map((r) => r.id), [1]);

    const shown = await cli(dataDir, ['runs', 'show', '5']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Đồng bộ #5: thành công — /);
    assert.match(shown.stdout, /Đối chiếu với nền tảng quốc gia sau lần đồng bộ:\n\s+Bộ dữ liệu\s+Kết quả\s+Trên máy này\s+Trên nền tảng\n/);
    assert.match(shown.stdout, /\n\s+civil-status-births\s+khớp\s+\d+\s+\d+/);
    const failedEn = await cli(dataDir, ['--lang', 'en', 'runs', 'show', '3']);
    assert.equal(failedEn.code, 0, failedEn.stderr);
    assert.match(failedEn.stdout, /^Sync #3: failed — /);
    assert.match(failedEn.stdout, /\nErrors met:\n {2}- .*national platform/i);
    assert.match(failedEn.stdout, /This run compared no dataset with the national platform/);

    const missing = await cli(dataDir, ['runs', 'show', '99']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Không có lần đồng bộ số 99 \(lịch sử giữ 30 ngày\)\./);
  });
});
