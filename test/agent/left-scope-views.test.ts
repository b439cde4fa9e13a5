import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { fieldConflicts, moveOutOfScope, pulledRecords } from './support/national-changes.js';

const DATASET = 'civil-status-births';

// A record that left the office's scope while a change of it was pending is kept for that change
// (records/left-scope.ts); the conflict, outbox and record views say so, so a person knows before choosing.
describe('records that left the office scope, as the conflict, outbox and record views show them', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('an open conflict and a held change of records moved to another province carry leftScope, in the records list and the record too; taking the national version drops the record', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(61);
    const [disputed, held] = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);

    // A field conflict, still in the office's scope.
    const [national] = await fieldConflicts(agent, env.p, DATASET, [disputed]);
    const [before] = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(before?.recordId, disputed.id);
    assert.equal(before?.leftScope, false);

    // Both records move to another province nationally; this office's edit of `held` is still to be sent.
    await ok(agent, 'records.put', { dataset: DATASET, id: held.id, data: { ...gen.sample(DATASET, '01'), notes: 'xã sửa' } });
    await moveOutOfScope(env.p, gen, DATASET, national);
    await moveOutOfScope(env.p, gen, DATASET, held);
    const other = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
    assert.deepEqual((await ok(agent, 'outbox.list', {})).items.map((e) => e.leftScope), [false, false], 'not known before the next pull');
    const run = await syncOk(agent);
    assert.equal(run.rejected, 1, 'the platform refuses the change of the record it moved away');

    const [conflict] = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.leftScope, true);
    assert.equal((await ok(agent, 'conflicts.get', { id: conflict!.id }))?.leftScope, true);
    const outbox = await ok(agent, 'outbox.list', {});
    assert.deepEqual(
      outbox.items.map((e) => ({ recordId: e.recordId, status: e.status, leftScope: e.leftScope })),
      [{ recordId: held.id, status: 'quarantined', leftScope: true }],
    );
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: other.id }))?.state, 'synced', 'a change of a record in scope went up');

    // The records screen's reads say it too: the record is still in the office's list for its change.
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: disputed.id }))?.leftScope, true);
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: held.id }))?.leftScope, true);
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: other.id }))?.leftScope, false);
    const listed = (await ok(agent, 'records.list', { dataset: DATASET, limit: 50, offset: 0 })).items;
    assert.deepEqual(listed.filter((r) => r.leftScope).map((r) => r.id).sort(), [disputed.id, held.id].sort());
    assert.equal(listed.find((r) => r.id === other.id)?.leftScope, false);

    await agent.close();

    // The CLI says it too, in both languages.
    const show = await cli(dataDir, ['conflicts', 'show', conflict!.id]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /Bản ghi không còn thuộc phạm vi của đơn vị này .*--take national\) thì bản ghi không còn trên máy này/);
    assert.match((await cli(dataDir, ['--lang', 'en', 'conflicts', 'show', conflict!.id])).stdout, /no longer in this office's scope/);
    const [entry] = outbox.items;
    assert.match((await cli(dataDir, ['outbox', 'list'])).stdout, new RegExp(`#${entry!.seq}: bản ghi không còn thuộc phạm vi của đơn vị này`));
    assert.match((await cli(dataDir, ['--lang', 'en', 'outbox', 'list'])).stdout, new RegExp(`#${entry!.seq}: the record is no longer in this office's scope`));

    const taken = await cli(dataDir, ['conflicts', 'resolve', conflict!.id, '--take', 'national']);
    assert.equal(taken.code, 0, taken.stderr);
    assert.equal((await cli(dataDir, ['--json', 'records', 'get', DATASET, disputed.id])).json?.error?.code, 'not_found', 'off this computer');
    assert.equal((await cli(dataDir, ['--json', 'records', 'get', DATASET, held.id])).json?.state, 'rejected', 'the held change waits for a person');
  });
});
