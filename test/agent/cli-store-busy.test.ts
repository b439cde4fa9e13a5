import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, test } from 'node:test';
import { createAgentService, type AgentService } from '../../sync-engine/src/service/agent-service.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli, cliProcess } from './support/cli-runner.js';
import { eventually } from './support/fake-time.js';

const temp = new TempDirs();
after(() => temp.cleanup());

/**
 * Holds the agent's write lock as a save in progress does (a durable
 * transaction begins IMMEDIATE), until `release()`. While it is held, another
 * process's open-time quick_check cannot check records_fts (SQLite 3.44 runs
 * FTS5's integrity-check as an INSERT) and used to say the file was damaged.
 */
async function writing(service: AgentService): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let begun!: () => void;
  const holding = new Promise<void>((resolve) => (begun = resolve));
  const write = service.store.transaction(async (tx) => {
    await tx.run(`INSERT OR REPLACE INTO "settings" ("key", "value") VALUES ('busy-test', '1')`);
    begun();
    await gate;
  });
  await holding;
  return {
    async release() {
      release();
      await write;
    },
  };
}

const HOLDER = { vi: `trên máy ${hostname()} (tiến trình ${process.pid})`, en: `on ${hostname()} (process ${process.pid})` };

test('a second edge-agent run on a folder whose running service is writing says the folder is in use by that process, not damaged (exit 4)', async () => {
  const home = temp.make('cli-busy-run-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  let out = '';
  const started: { service?: AgentService } = {};
  const stop = new AbortController();
  const first = cli(home, ['run', '--port', '0', '--no-sync-at-start'], {
    stopSignal: stop.signal,
    serviceStarted: (s) => (started.service = s),
    streams: { out: (t) => void (out += t), err: (t) => void (out += t) },
  });
  try {
    await eventually(() => /Tác tử đang chạy nền/.test(out), 20_000);
    assert.ok(started.service);
    const write = await writing(started.service);
    try {
      // The real launcher, in a process of its own, as IT starts it.
      const second = await cliProcess(home, ['run', '--port', '0']);
      assert.equal(second.code, 4, second.stderr);
      assert.match(second.stderr, new RegExp(`Thư mục dữ liệu ${home} đang được một chương trình khác của tác tử dùng ${escape(HOLDER.vi)}; dữ liệu không bị hỏng`));
      assert.match(second.stderr, /dừng nó rồi chạy lại lệnh này/);
      assert.doesNotMatch(second.stderr + second.stdout, /is damaged|bị hỏng\.|StoreCorruptedError|database is locked/);
      assert.doesNotMatch(second.stdout, /Tác tử đang chạy nền/, 'the second service did not start');

      const en = await cliProcess(home, ['--lang', 'en', '--json', 'run', '--port', '0']);
      assert.equal(en.code, 4, en.stderr);
      assert.equal(en.json?.error?.code, 'busy');
      assert.match(en.json.error.messages.en, new RegExp(`The data folder ${home} is in use by another agent program ${escape(HOLDER.en)}; the data is not damaged, do not restore a backup`));
    } finally {
      await write.release();
    }
  } finally {
    stop.abort();
    assert.equal((await first).code, 0, out);
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

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
