import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { moveOutOfScope, pulledRecords } from './support/national-changes.js';

const DATASET = 'civil-status-births';

// A record kept only for this office's pending change after it moved out of the office's scope
// nationally takes no further edit or delete, through any door: the AgentApi (the window, the web
// console through the admin API) and the CLI say why in vi/en, and the pending change stays as it was.
describe('edits of a record that left the office scope', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('are refused through the AgentApi and the CLI, in both languages, and the held-back change stays as it was', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(91);
    const [record] = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01')]);
    const edit = { ...gen.sample(DATASET, '01'), notes: 'xã sửa' };
    await ok(agent, 'records.put', { dataset: DATASET, id: record.id, data: edit });
    // The record moves to another province nationally; the office's edit is held back (scope).
    await moveOutOfScope(env.p, gen, DATASET, record);
    assert.equal((await syncOk(agent)).rejected, 1);
    const held = await ok(agent, 'records.get', { dataset: DATASET, id: record.id });
    assert.deepEqual([held?.state, held?.leftScope], ['rejected', true]);
    const outbox = await ok(agent, 'outbox.list', {});

    const put = await agent.call('records.put', { dataset: DATASET, id: record.id, data: { ...edit, notes: 'xã sửa lần 2' } }, { user: 'chị Lan' });
    const del = await agent.call('records.delete', { dataset: DATASET, id: record.id }, { user: 'chị Lan' });
    for (const answer of [put, del]) {
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.code, 'out_of_scope');
      assert.match(answer.error.messages.vi, /không còn thuộc phạm vi của đơn vị này.*Chưa có gì thay đổi/s);
      assert.match(answer.error.messages.en, /no longer in this office's scope.*Nothing was changed/s);
    }
    assert.deepEqual(await ok(agent, 'records.get', { dataset: DATASET, id: record.id }), held, 'the record as it was');
    assert.deepEqual(await ok(agent, 'outbox.list', {}), outbox, 'the held-back change as it was');
    await agent.close();

    const file = join(temp.make('edit-'), 'record.json');
    writeFileSync(file, JSON.stringify({ ...edit, notes: 'xã sửa lần 3' }));
    const vi = await cli(dataDir, ['records', 'put', DATASET, file, '--id', record.id]);
    assert.equal(vi.code, 1, vi.stdout);
    assert.match(vi.stderr, new RegExp(`Bản ghi ${record.id} không còn thuộc phạm vi của đơn vị này`));
    const en = await cli(dataDir, ['--lang', 'en', 'records', 'delete', DATASET, record.id]);
    assert.equal(en.code, 1, en.stdout);
    assert.match(en.stderr, new RegExp(`Record ${record.id} is no longer in this office's scope`));
    const json = await cli(dataDir, ['--json', 'records', 'put', DATASET, file, '--id', record.id]);
    assert.equal(json.json?.error?.code, 'out_of_scope');
    assert.equal((await cli(dataDir, ['--json', 'records', 'get', DATASET, record.id])).json?.data?.notes, 'xã sửa', 'the first edit still held back');

    // The person can still give the change up: the record leaves this computer.
    const discarded = await cli(dataDir, ['--json', 'outbox', 'discard', String(outbox.items[0]!.seq)]);
    assert.equal(discarded.json?.recordState, null, discarded.stderr);
  });
});
