import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { recentLogLines } from '../../sync-engine/src/adapters/log-file.js';
import { ADMIN_TOKEN_FILE } from '../../sync-engine/src/admin-api/index.js';
import type { CliEnvironment } from '../../sync-engine/src/cli/cli-session.js';
import type { AgentService } from '../../sync-engine/src/service/agent-service.js';
import { leaseHolder } from '../../sync-engine/src/service/lease-keeper.js';
import { readServiceFile, SERVICE_FILE } from '../../sync-engine/src/service/service-file.js';
import { startSquatter } from '../admin-api/port-squatter.js';
import { holdWrite } from '../support/hold-write.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli, cliProcess } from './support/cli-runner.js';
import { eventually } from './support/fake-time.js';

const temp = new TempDirs();
after(() => temp.cleanup());

const STARTED = /Tác tử đang chạy nền|The agent is running/;

/** `edge-agent [pre…] run --port 0 --no-sync-at-start` in this process, with its output and a stop (SIGTERM's). */
function startRun(home: string, pre: string[] = [], extra: Partial<CliEnvironment> = {}) {
  let out = '';
  let finished = false;
  const stop = new AbortController();
  const done = cli(home, [...pre, 'run', '--port', '0', '--no-sync-at-start'], {
    ...extra,
    stopSignal: stop.signal,
    streams: { out: (t) => void (out += t), err: (t) => void (out += t) },
  }).then((result) => {
    finished = true;
    return result;
  });
  return { output: () => out, finished: () => finished, stop: () => stop.abort(), done };
}

/** Runs `run` until it either ends by itself or says it started (then stops it): its exit code and output. */
async function runOnce(home: string, pre: string[] = []): Promise<{ code: number; out: string }> {
  const run = startRun(home, pre);
  await eventually(() => run.finished() || STARTED.test(run.output()), 30_000);
  run.stop();
  return { code: (await run.done).code, out: run.output() };
}

function folderFiles(home: string): { token: string; service: string } {
  return { token: readFileSync(join(home, ADMIN_TOKEN_FILE), 'utf8'), service: readFileSync(join(home, SERVICE_FILE), 'utf8') };
}

test('a second edge-agent run of a folder whose service runs on this computer is refused (exit 4, vi/en) and touches neither its token, its service file nor its lease', async () => {
  const home = temp.make('cli-run-twice-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const first = startRun(home);
  try {
    await eventually(() => readServiceFile(home) !== null, 30_000);
    const before = folderFiles(home);
    const info = readServiceFile(home)!;
    const holder = await leaseHolder(home);
    assert.notEqual(holder, null);

    const vi = await runOnce(home);
    assert.equal(vi.code, 4, vi.out);
    assert.match(vi.out, new RegExp(`Dịch vụ nền của thư mục dữ liệu .* đã đang chạy trên máy này \\(tiến trình ${info.pid}, ${info.url}\\)`));
    assert.match(vi.out, /edge-agent --home .* status để xem trạng thái, edge-agent --home .* console để lấy địa chỉ bảng điều khiển web/);
    assert.match(vi.out, /dừng dịch vụ đó trước/);
    assert.doesNotMatch(vi.out, STARTED);

    const en = await runOnce(home, ['--lang', 'en']);
    assert.equal(en.code, 4, en.out);
    assert.match(en.out, new RegExp(`The background service of the data folder .* already runs on this computer \\(process ${info.pid}, ${info.url}\\)`));
    assert.match(en.out, /edge-agent --home .* status for its status, edge-agent --home .* console for the web console's address/);
    assert.match(en.out, /stop that service first/);

    assert.deepEqual(folderFiles(home), before, 'the running service keeps its token file and service file');
    assert.equal(await leaseHolder(home), holder, 'and its lease');
    const status = await cli(home, ['--lang', 'en', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /through the background service/, 'the CLI still reaches the first service');
    assert.equal(first.finished(), false);
  } finally {
    first.stop();
    assert.equal((await first.done).code, 0, first.output());
  }
});

test('the real launcher, in a process of its own, is refused beside the running service even while it writes: the data file is not opened', async () => {
  const home = temp.make('cli-run-twice-process-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const started: { service?: AgentService } = {};
  const first = startRun(home, [], { serviceStarted: (s) => void (started.service = s), service: { onError: () => undefined, lease: { ttlMs: 10 * 60_000 } } });
  try {
    await eventually(() => readServiceFile(home) !== null, 30_000);
    const before = folderFiles(home);
    const write = await holdWrite(started.service!.store, 'run-twice-test');
    try {
      const second = await cliProcess(home, ['--lang', 'en', '--json', 'run', '--port', '0']);
      assert.equal(second.code, 4, second.stderr);
      assert.equal(second.json?.error?.code, 'busy');
      assert.match(second.json.error.messages.en, new RegExp(`already runs on this computer \\(process ${process.pid}, ${readServiceFile(home)!.url}\\)`));
      assert.doesNotMatch(second.json.error.messages.en, /in use by another agent program|damaged/);
      const events = recentLogLines(join(home, 'logs'), 1000).map((l) => (JSON.parse(l) as { event: string }).event);
      assert.deepEqual(
        events.filter((e) => e === 'service.start' || e === 'service.stop'),
        ['service.start'],
        'the refused run logged no start or stop of its own',
      );
    } finally {
      await write.release();
    }
    assert.deepEqual(folderFiles(home), before);
  } finally {
    first.stop();
    assert.equal((await first.done).code, 0, first.output());
  }
});

test('edge-agent run starts over a stale service file: the one a stopped service left, or one naming a port another program holds', async () => {
  const home = temp.make('cli-run-stale-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const first = startRun(home);
  await eventually(() => readServiceFile(home) !== null, 30_000);
  const left = readFileSync(join(home, SERVICE_FILE), 'utf8');
  first.stop();
  assert.equal((await first.done).code, 0, first.output());

  // As a crash leaves it: nothing listens at its address any more.
  writeFileSync(join(home, SERVICE_FILE), left);
  const again = await runOnce(home, ['--lang', 'en']);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /The agent is running/);

  // Another program on the port the file names answers health but cannot prove it knows the token.
  const squatter = await startSquatter();
  try {
    const token = readFileSync(join(home, ADMIN_TOKEN_FILE), 'utf8').trim();
    writeFileSync(join(home, SERVICE_FILE), JSON.stringify({ pid: process.pid, url: squatter.url, port: squatter.port, startedAt: new Date().toISOString() }));
    const beside = await runOnce(home, ['--lang', 'en']);
    assert.equal(beside.code, 0, beside.out);
    assert.match(beside.out, /The agent is running/);
    assert.equal(squatter.saw(token), false, 'the token never went to the squatter');
  } finally {
    await squatter.close();
  }
});
