import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { recentLogLines } from '../../sync-engine/src/adapters/log-file.js';
import type { CronSource } from '../../sync-engine/src/schedule/ports.js';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { openAgentStore, type AgentStore } from '../../sync-engine/src/store/agent-store.js';
import { holdWrite } from '../support/hold-write.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli, cliProcess } from './support/cli-runner.js';
import { eventually, FakeCron, FakeTime } from './support/fake-time.js';

const temp = new TempDirs();
after(() => temp.cleanup());

/** Holds the agent's write lock as a save in progress does, until `release()` (test/support/hold-write.ts). */
function writing(service: { store: AgentStore }): Promise<{ release(): Promise<void> }> {
  return holdWrite(service.store, 'busy-test');
}

/** The events `edge-agent run` wrote to the folder's structured log (logs/agent.log). */
function logEvents(home: string): string[] {
  return recentLogLines(join(home, 'logs'), 1000).map((l) => (JSON.parse(l) as { event: string }).event);
}

/** Those that say the service started or stopped (a probe of the unreachable platform may add service.error lines). */
function startsAndStops(home: string): string[] {
  return logEvents(home).filter((e) => e === 'service.start' || e === 'service.stop');
}

const HOLDER = { vi: `trên máy ${hostname()} (tiến trình ${process.pid})`, en: `on ${hostname()} (process ${process.pid})` };

test('edge-agent run on a folder whose other agent process (the window: no admin API) is writing says the folder is in use by that process, not damaged (exit 4)', async () => {
  // A running service of the folder is refused before the data file is opened (cli-run-already-running.test.ts).
  const home = temp.make('cli-busy-run-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  // The held write below also holds up the lease's renewal: a long lease outlasts two refused runs on a loaded machine.
  const window = await createAgentService({ dataDir: home, onError: () => undefined, lease: { ttlMs: 10 * 60_000 } });
  try {
    await window.start({ background: true, syncAtStart: false });
    const write = await writing(window);
    try {
      // The real launcher, in a process of its own, as IT starts it.
      const second = await cliProcess(home, ['run', '--port', '0']);
      assert.equal(second.code, 4, second.stderr);
      assert.match(second.stderr, new RegExp(`Thư mục dữ liệu ${home} đang được một chương trình khác của tác tử dùng ${escape(HOLDER.vi)}; dữ liệu không bị hỏng`));
      assert.match(second.stderr, /dừng nó rồi chạy lại lệnh này/);
      assert.doesNotMatch(second.stderr + second.stdout, /is damaged|bị hỏng\.|StoreCorruptedError|database is locked/);
      assert.doesNotMatch(second.stdout, /Tác tử đang chạy nền/, 'the second service did not start');
      // The refused run wrote nothing to the log.
      assert.deepEqual(logEvents(home), []);

      const en = await cliProcess(home, ['--lang', 'en', '--json', 'run', '--port', '0']);
      assert.equal(en.code, 4, en.stderr);
      assert.equal(en.json?.error?.code, 'busy');
      assert.match(en.json.error.messages.en, new RegExp(`The data folder ${home} is in use by another agent program ${escape(HOLDER.en)}; the data is not damaged, do not restore a backup`));
    } finally {
      await write.release();
    }
  } finally {
    await window.close();
  }
});

test('edge-agent status opening the folder itself while another agent (no admin API, as the window) writes says the folder is in use, not damaged (exit 4)', async () => {
  const home = temp.make('cli-busy-status-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const window = await createAgentService({ dataDir: home, onError: () => undefined });
  try {
    await window.start({ background: true, syncAtStart: false });
    const write = await writing(window);
    try {
      const status = await cli(home, ['--json', 'status']);
      assert.equal(status.code, 4, status.stdout);
      assert.equal(status.json?.error?.code, 'busy');
      assert.match(status.json.error.messages.vi, new RegExp(`đang được một chương trình khác của tác tử dùng ${escape(HOLDER.vi)}; dữ liệu không bị hỏng, đừng khôi phục bản sao lưu`));
      assert.match(status.json.error.messages.en, new RegExp(`in use by another agent program ${escape(HOLDER.en)}; the data is not damaged`));
      assert.doesNotMatch(JSON.stringify(status.json), /is damaged|database is locked/);
    } finally {
      await write.release();
    }
    // Once the write ends, the same command works.
    assert.equal((await cli(home, ['status'])).code, 0);
  } finally {
    await window.close();
  }
});

test('a refused edge-agent run (data file busy) neither logs a service start or stop nor starts the automatic backups', async () => {
  const home = temp.make('cli-busy-refused-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const schedules: string[] = [];
  const fake = new FakeCron(new FakeTime());
  const cron: CronSource = { problems: (e) => fake.problems(e), start: (e, tick) => (schedules.push(e), fake.start(e, tick)) };
  const window = await createAgentService({ dataDir: home, onError: () => undefined });
  try {
    await window.start({ background: true, syncAtStart: false });
    const write = await writing(window);
    try {
      const run = await cli(home, ['run', '--port', '0', '--no-sync-at-start'], { service: { onError: () => undefined, cron } });
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /dữ liệu không bị hỏng/);
    } finally {
      await write.release();
    }
    assert.deepEqual([...schedules], [], 'no backup schedule (nor sync schedule) was started');
    assert.deepEqual(logEvents(home), []);
  } finally {
    await window.close();
  }
  // Once the folder is free, the same run starts: its start and stop are logged, the nightly backup scheduled.
  const stop = new AbortController();
  let out = '';
  const running = cli(home, ['run', '--port', '0', '--no-sync-at-start'], {
    stopSignal: stop.signal,
    service: { onError: () => undefined, cron },
    streams: { out: (t) => void (out += t), err: (t) => void (out += t) },
  });
  await eventually(() => /Tác tử đang chạy nền/.test(out), 20_000);
  stop.abort();
  assert.equal((await running).code, 0, out);
  assert.ok(schedules.includes('0 2 * * *'), `the backup schedule: ${schedules.join(', ')}`);
  assert.deepEqual(startsAndStops(home), ['service.start', 'service.stop']);
});

test('edge-agent run whose data file has a migration to run while another process writes exits 4 (busy) with the in-use message, not a stack trace', async () => {
  const home = temp.make('cli-busy-migration-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  // The folder as the previous version left it: its newest migration not run yet.
  const other = await openAgentStore(home);
  try {
    await other.transaction(async (tx) => {
      await tx.run('DROP TABLE "left_scope"');
      await tx.run(`DELETE FROM "schema_migrations" WHERE "name" = 'LeftScope1768003200000'`);
    });
    const write = await writing({ store: other });
    try {
      const run = await cliProcess(home, ['run', '--port', '0']);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, new RegExp(`Thư mục dữ liệu ${escape(home)} đang được một chương trình khác của tác tử dùng; dữ liệu không bị hỏng`));
      assert.doesNotMatch(run.stderr, /StoreBusyError|\n\s+at |triggerUncaughtException|database is locked/);
      assert.deepEqual(logEvents(home), []);
    } finally {
      await write.release();
    }
  } finally {
    await other.close();
  }
  // Once the write ends, the service starts and runs the migration.
  const stop = new AbortController();
  let out = '';
  const running = cli(home, ['run', '--port', '0', '--no-sync-at-start'], { stopSignal: stop.signal, streams: { out: (t) => void (out += t), err: (t) => void (out += t) } });
  await eventually(() => /Tác tử đang chạy nền/.test(out), 20_000);
  stop.abort();
  assert.equal((await running).code, 0, out);
  assert.deepEqual(startsAndStops(home), ['service.start', 'service.stop']);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
