import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createAgentService, type AgentService } from '../../sync-engine/src/service/agent-service.js';
import { damageStoreTable } from '../support/damage-store.js';
import { holdWrite } from '../support/hold-write.js';
import { enrolledAgent, ok, platformPerSuite, samples } from './support/agent-fixture.js';
import { cliProcess } from './support/cli-runner.js';

const DATASET = 'civil-status-births';
const HOLDER = { vi: `trên máy ${hostname()} (tiến trình ${process.pid})`, en: `on ${hostname()} (process ${process.pid})` };

// A command that opened the data folder beside the process holding it (the window, no admin API)
// and then meets the data file busy at its own write (that process kept the write lock past the
// 5 s a write waits) or damaged at a later read says so through the AgentApi (the window, the web
// console) and the CLI: the folder in use by that process and nothing saved, or the damaged file's
// words; never an unexpected error.
describe('the data file busy or damaged after a command opened it', () => {
  const env = platformPerSuite();
  const { temp } = env;

  /** The folder's holder, as the window: the lease taken, no admin API. */
  async function windowOn(): Promise<{ window: AgentService; dataDir: string }> {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    await agent.start({ background: true, syncAtStart: false });
    return { window: agent, dataDir };
  }

  test('a save through the AgentApi refused busy writes nothing, names the holder in vi/en, and the same input saves once the folder is free', async () => {
    const { window, dataDir } = await windowOn();
    const beside = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await beside.start({ background: false });
      const data = samples(71).sample(DATASET, '01');
      const before = { records: await ok(beside, 'records.list', { dataset: DATASET }), outbox: await ok(beside, 'outbox.list', {}), audit: await ok(beside, 'audit.verify', {}) };
      const write = await holdWrite(window.store, 'busy-after-open');
      let answer;
      try {
        answer = await beside.call('records.put', { dataset: DATASET, data }, { user: 'chị Lan' });
      } finally {
        await write.release();
      }
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.code, 'busy', answer.error.messages.en);
      assert.ok(answer.error.messages.vi.includes(`Thư mục dữ liệu ${dataDir} đang được một chương trình khác của tác tử dùng ${HOLDER.vi}`), answer.error.messages.vi);
      assert.match(answer.error.messages.vi, /chưa có gì được lưu\. Dữ liệu không bị hỏng\. Hãy thử lại/);
      assert.ok(answer.error.messages.en.includes(`The data folder ${dataDir} is in use by another agent program ${HOLDER.en}`), answer.error.messages.en);
      assert.match(answer.error.messages.en, /so nothing was saved\. The data is not damaged\. Try again/);
      assert.doesNotMatch(JSON.stringify(answer.error), /unexpected|không lường trước|SQLITE_BUSY|database is locked/);

      // Nothing was written: no record, no outbox entry, no audit event.
      assert.deepEqual(await ok(beside, 'records.list', { dataset: DATASET }), before.records);
      assert.deepEqual(await ok(beside, 'outbox.list', {}), before.outbox);
      assert.deepEqual(await ok(beside, 'audit.verify', {}), before.audit);
      // The caller kept the input: the same save goes through once the folder is free.
      const saved = await ok(beside, 'records.put', { dataset: DATASET, data });
      assert.equal(saved.state, 'waiting');
      assert.equal((await ok(beside, 'records.list', { dataset: DATASET })).total, before.records.total + 1);
    } finally {
      await beside.close();
      await window.close();
    }
  });

  test('edge-agent records put whose write waits past the busy timeout exits 4 with the in-use words, nothing saved', { skip: process.platform === 'win32' ? 'a named pipe (mkfifo)' : false }, async () => {
    const { window, dataDir } = await windowOn();
    try {
      const before = await ok(window, 'records.list', { dataset: DATASET });
      // The record's file is a named pipe: the command opens it once its session is open (readJsonFile),
      // so the write lock is taken after the command's open and before its write.
      const fifo = join(temp.make('busy-fifo-'), 'record.json');
      execFileSync('mkfifo', [fifo]);
      const put = cliProcess(dataDir, ['records', 'put', DATASET, fifo]);
      const pipe = await open(fifo, 'w');
      const write = await holdWrite(window.store, 'busy-cli');
      let result;
      try {
        await pipe.writeFile(JSON.stringify(samples(72).sample(DATASET, '01')));
        await pipe.close();
        result = await put;
      } finally {
        await write.release();
      }
      assert.equal(result.code, 4, result.stdout + result.stderr);
      assert.ok(result.stderr.includes(`Thư mục dữ liệu ${dataDir} đang được một chương trình khác của tác tử dùng ${HOLDER.vi}`), result.stderr);
      assert.match(result.stderr, /chưa có gì được lưu/);
      assert.doesNotMatch(result.stderr + result.stdout, /không lường trước|unexpected|SQLITE_BUSY|database is locked|\n\s+at /);
      assert.deepEqual(await ok(window, 'records.list', { dataset: DATASET }), before, 'nothing saved');
    } finally {
      await window.close();
    }
  });

  test('a read beside the window that meets a damaged page after the open says the data file is damaged, not an unexpected error', async () => {
    const { window, dataDir } = await windowOn();
    const beside = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await beside.start({ background: false });
      assert.equal((await ok(beside, 'audit.verify', {})).ok, true);
      // Damaged once the command's open has checked every page; a write of the window's then ends
      // what the command's connection had cached, so its next read goes to the file.
      const file = await damageStoreTable(dataDir, 'audit_log');
      await (await holdWrite(window.store, 'after-damage')).release();
      const answer = await beside.call('audit.verify', {});
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.code, 'internal');
      assert.ok(answer.error.messages.vi.includes(`Tệp dữ liệu của tác tử ${file} bị hỏng; đừng xóa tệp này`), answer.error.messages.vi);
      assert.ok(answer.error.messages.en.includes(`The agent's data file ${file} is damaged; do not delete it`), answer.error.messages.en);
      assert.ok(answer.error.messages.en.includes(`"edge-agent --home ${dataDir} restore <backup file>"`), answer.error.messages.en);
      assert.doesNotMatch(JSON.stringify(answer.error), /unexpected|không lường trước/);
    } finally {
      await beside.close();
      await window.close();
    }
  });
});
