import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { holdWrite } from '../support/hold-write.js';
import { enrolledAgent, ok, platformPerSuite, samples } from './support/agent-fixture.js';
import { fieldConflicts, pulledRecords } from './support/national-changes.js';

const DATASET = 'civil-status-births';
const HOLDER = { vi: `trên máy ${hostname()} (tiến trình ${process.pid})`, en: `on ${hostname()} (process ${process.pid})` };

// A bulk take beside the window (which holds the folder) while the window keeps the data file's
// write lock: the first conflict's write waits the 5 s and is refused busy; the bulk take stops
// there instead of waiting 5 s more for each of the others, which stay open, untouched, and are
// said left open for the same reason.
describe('a bulk take that meets the data file busy', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('stops at the first conflict refused busy: one write tried, every conflict left open and said busy, nothing written', async () => {
    const { agent: window, dataDir } = await enrolledAgent(temp, env.p);
    await window.start({ background: true, syncAtStart: false });
    const gen = samples(81);
    const records = await pulledRecords(window, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    await fieldConflicts(window, env.p, DATASET, records);
    const beside = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await beside.start({ background: false });
      const shown = (await ok(beside, 'conflicts.list', {})).items;
      assert.equal(shown.length, 3);
      const before = { conflicts: shown, records: await ok(beside, 'records.list', { dataset: DATASET }), outbox: await ok(beside, 'outbox.list', {}), audit: await ok(beside, 'audit.verify', {}) };

      // Each settled conflict is one transaction of the command's store: count them.
      let attempts = 0;
      const transaction = beside.store.transaction.bind(beside.store);
      beside.store.transaction = (fn, options) => {
        attempts += 1;
        return transaction(fn, options);
      };
      const write = await holdWrite(window.store, 'busy-bulk-take');
      let answer;
      try {
        answer = await ok(beside, 'conflicts.resolveMany', { ids: shown.map((c) => c.id), take: 'national', versions: Object.fromEntries(shown.map((c) => [c.id, c.version])) });
      } finally {
        await write.release();
        beside.store.transaction = transaction;
      }

      assert.equal(attempts, 1, 'only the first conflict waited for the write lock');
      assert.equal(answer.resolved, 0);
      assert.deepEqual({ failed: answer.failed, changed: answer.changed, outOfScope: answer.outOfScope }, { failed: [], changed: [], outOfScope: [] });
      assert.deepEqual(
        answer.busy.map((b) => b.id),
        shown.map((c) => c.id),
        'every conflict is said left open because the data file is busy, in the order asked',
      );
      for (const { messages } of answer.busy) {
        assert.ok(messages.vi.includes(`Thư mục dữ liệu ${dataDir} đang được một chương trình khác của tác tử dùng ${HOLDER.vi}`), messages.vi);
        assert.match(messages.vi, /chưa có gì được lưu\. Dữ liệu không bị hỏng\. Hãy thử lại/);
        assert.ok(messages.en.includes(`The data folder ${dataDir} is in use by another agent program ${HOLDER.en}`), messages.en);
        assert.match(messages.en, /so nothing was saved\. The data is not damaged\. Try again/);
      }

      // Nothing was written: the conflicts open as they were, no record, outbox entry or audit event changed.
      assert.deepEqual((await ok(beside, 'conflicts.list', {})).items, before.conflicts);
      assert.deepEqual(await ok(beside, 'records.list', { dataset: DATASET }), before.records);
      assert.deepEqual(await ok(beside, 'outbox.list', {}), before.outbox);
      assert.deepEqual(await ok(beside, 'audit.verify', {}), before.audit);

      // Once the folder is free, the same bulk take settles them all.
      const again = await ok(beside, 'conflicts.resolveMany', { ids: shown.map((c) => c.id), take: 'national', versions: Object.fromEntries(shown.map((c) => [c.id, c.version])) });
      assert.equal(again.resolved, 3);
      assert.deepEqual(again.busy, []);
    } finally {
      await beside.close();
      await window.close();
    }
  });

  test('any other refusal of one conflict does not stop the others', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(82);
    const records = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    await fieldConflicts(agent, env.p, DATASET, records);
    try {
      const shown = (await ok(agent, 'conflicts.list', {})).items;
      assert.equal(shown.length, 2);
      // An id that is no conflict is refused on its own; the ones after it still settle.
      const answer = await ok(agent, 'conflicts.resolveMany', { ids: ['no-such-conflict', ...shown.map((c) => c.id)], take: 'national' });
      assert.equal(answer.resolved, 2);
      assert.deepEqual(answer.failed.map((f) => f.id), ['no-such-conflict']);
      assert.deepEqual(answer.busy, []);
    } finally {
      await agent.close();
    }
  });
});
