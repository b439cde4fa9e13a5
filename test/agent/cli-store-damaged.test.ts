import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { recentLogLines } from '../../sync-engine/src/adapters/log-file.js';
import { AGENT_VERSION } from '../../sync-engine/src/ops/agent-version.js';
import { automaticBackup } from '../../sync-engine/src/ops/backup-schedule.js';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { storeRefusalOf } from '../../sync-engine/src/service/store-refusal.js';
import { StoreCorruptedError } from '../../sync-engine/src/store/agent-store.js';
import { parseProblem } from '../support/cli-parse.js';
import { damageFullTextIndex, damageStoreFile, damageStoreTable } from '../support/damage-store.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli, cliProcess } from './support/cli-runner.js';

const temp = new TempDirs();
after(() => temp.cleanup());

/**
 * A set-up data folder with a nightly backup in backups/, whose data file is
 * then damaged on disk: pages in the middle scribbled over, the header left
 * (as test/reliability/agent-faults.test.ts damages one). Returns the backup.
 */
async function damagedFolder(prefix: string): Promise<{ home: string; file: string; backup: string }> {
  const home = temp.make(prefix);
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const backup = await automaticBackup({ dataDir: home, retention: 7, now: Date.now, agentVersion: AGENT_VERSION });
  const file = await damageStoreFile(home);
  return { home, file, backup };
}

/** The `edge-agent …` commands a message tells a person to type, as words (placeholders filled). */
function shownCommands(text: string): string[][] {
  return [...text.matchAll(/"edge-agent ([^"]+)"/g)].map((m) => m[1]!.replace(/<[^>]*>/g, 'FILE').split(/\s+/));
}

test('edge-agent run on a damaged data file exits 4 naming the file, saying it is damaged and how to restore the automatic backup, without a stack trace or a service.start in the log', async () => {
  const { home, file, backup } = await damagedFolder('cli-damaged-run-');
  const backups = join(home, 'backups');

  // The real launcher, in a process of its own, as the OS service starts it.
  const run = await cliProcess(home, ['run', '--port', '0']);
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stderr, new RegExp(`Tệp dữ liệu của tác tử ${escape(file)} bị hỏng`));
  assert.match(run.stderr, new RegExp(`Bản sao lưu tự động nằm trong ${escape(backups)}`));
  assert.match(run.stderr, new RegExp(`"edge-agent --home ${escape(home)} restore <tệp sao lưu>"`));
  assert.doesNotMatch(run.stderr, /StoreCorruptedError|\n\s+at |triggerUncaughtException|Không mở được dữ liệu/);
  assert.doesNotMatch(run.stdout, /Tác tử đang chạy nền/, 'the service did not start');

  const en = await cliProcess(home, ['--lang', 'en', '--json', 'run', '--port', '0']);
  assert.equal(en.code, 4, en.stderr);
  assert.equal(en.json?.error?.code, 'internal');
  const messages = en.json.error.messages as { vi: string; en: string };
  assert.match(messages.en, new RegExp(`The agent's data file ${escape(file)} is damaged`));
  assert.match(messages.en, new RegExp(`Automatic backups are kept in ${escape(backups)}`));
  assert.match(messages.en, /"edge-agent --home \S+ restore <backup file>"/);
  for (const words of [...shownCommands(messages.vi), ...shownCommands(messages.en)]) assert.equal(await parseProblem(words), null, words.join(' '));

  // A refused run is no start: nothing in the service's log says it started (or stopped).
  const events = recentLogLines(join(home, 'logs'), 100).map((l) => (JSON.parse(l) as { event: string }).event);
  assert.deepEqual(events, []);

  // What the message says to do works: the backup goes back, and the folder opens again.
  const restored = await cli(home, ['restore', backup]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal((await cli(home, ['status'])).code, 0);
});

test('the commands that open the folder themselves (status, records) say the same on a damaged data file (exit 4), not a bare SQLite error', async () => {
  const { home, file } = await damagedFolder('cli-damaged-status-');
  const status = await cli(home, ['--json', 'status']);
  assert.equal(status.code, 4, status.stdout);
  assert.equal(status.json?.error?.code, 'internal');
  assert.match(status.json.error.messages.vi, new RegExp(`Tệp dữ liệu của tác tử ${escape(file)} bị hỏng`));
  assert.match(status.json.error.messages.vi, /restore <tệp sao lưu>/);
  assert.match(status.json.error.messages.en, new RegExp(`The agent's data file ${escape(file)} is damaged`));
  assert.doesNotMatch(JSON.stringify(status.json), /Cannot open the agent's data|Không mở được dữ liệu/);

  const records = await cli(home, ['records', 'list', 'civil-status-births']);
  assert.equal(records.code, 4, records.stderr);
  assert.match(records.stderr, new RegExp(`Tệp dữ liệu của tác tử ${escape(file)} bị hỏng`));
});

test("edge-agent restore over a data file damaged past the open (the lease's page) restores the backup: a file no service can read has no live service on it", async () => {
  const home = temp.make('cli-damaged-restore-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const backup = await automaticBackup({ dataDir: home, retention: 7, now: Date.now, agentVersion: AGENT_VERSION });
  // The store opens without its check; reading who holds the lease meets the damaged page.
  await damageStoreTable(home, 'lease');
  const restored = await cli(home, ['--json', 'restore', backup]);
  assert.equal(restored.code, 0, restored.stdout + restored.stderr);
  assert.match(restored.json.previous, /pre-restore-/);
  assert.equal((await cli(home, ['status'])).code, 0);
});

test('a damaged full-text index is checked by the process that takes the folder: a command beside a live holder (the window) leaves it to that holder and answers; without a holder, it says the file is damaged (exit 4)', async () => {
  const home = temp.make('cli-damaged-fts-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  // The window hosting the agent (no admin API): the folder's lease holder; the index is damaged after it checked it.
  const window = await createAgentService({ dataDir: home, onError: () => undefined });
  let file: string;
  try {
    assert.equal((await window.start({ background: true, syncAtStart: false })).syncing, true);
    file = await damageFullTextIndex(home);
    // Its check would hold the write lock the window's saves need: left to the window.
    const status = await cli(home, ['--json', 'status']);
    assert.equal(status.code, 0, status.stdout);
  } finally {
    await window.close();
  }
  const status = await cli(home, ['--json', 'status']);
  assert.equal(status.code, 4, status.stdout);
  assert.match(status.json.error.messages.en, new RegExp(`The agent's data file ${escape(file)} is damaged`));
  assert.match(status.json.error.messages.en, /malformed inverted index for FTS5 table main\.records_fts/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test("SQLite's complaint about a damaged file is cut to its first lines, on the message's line, so what to do is not scrolled away by hundreds of pages", () => {
  const home = temp.make('cli-damaged-detail-');
  const pages = Array.from({ length: 300 }, (_, i) => `Page ${51 + i}: never used`);
  const complaint = ['*** in database main ***', 'Tree 3 page 3: btreeInitPage() returns error code 11', ...pages].join('\n');
  const refusal = storeRefusalOf(home, new StoreCorruptedError(join(home, 'agent.sqlite'), [complaint]), null, 'open');
  for (const text of [refusal!.messages.vi, refusal!.messages.en]) {
    assert.equal(text.split('\n').length, 1, text);
    assert.match(text, /(Chi tiết|Detail): \*\*\* in database main \*\*\*; Tree 3 page 3: btreeInitPage\(\) returns error code 11; Page 51: never used; …$/);
  }
});
