import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { fieldConflicts, moveOutOfScope, pulledRecords } from './support/national-changes.js';

const DATASET = 'civil-status-births';

// Settling a conflict says what happened, as it is, in the AgentApi's answer (the window's message) and the
// CLI's sentence: this office's change goes up at the next sync; or the record keeps the national version and
// nothing is sent; or, for a record that left the office's scope, nothing is sent and the record is no longer
// on this computer. A bulk take counts the records it took off this computer.
describe('what settling a conflict did', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('the answer and the CLI say whether a change goes up, the national version stays, or the record left this computer', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(83);
    // Six national records this office edits while the platform changes them too: six field conflicts.
    const national = await pulledRecords(agent, env.p, DATASET, Array.from({ length: 6 }, () => gen.sample(DATASET, '01')));
    const changed = await fieldConflicts(agent, env.p, DATASET, national);
    // Three of them then move to another province nationally: out of the office's scope.
    const [awayOne, awayBulk, awayCli, keptBulk, keptCli, sentCli] = national.map((r) => r.id);
    for (const moved of changed.slice(0, 3)) await moveOutOfScope(env.p, gen, DATASET, moved);
    await syncOk(agent);
    const conflicts = new Map((await ok(agent, 'conflicts.list', {})).items.map((c) => [c.recordId, c]));
    assert.equal(conflicts.size, 6);
    assert.deepEqual([awayOne, awayBulk, awayCli, keptBulk].map((id) => conflicts.get(id!)?.leftScope), [true, true, true, false]);
    const conflictOf = (id: string | undefined) => conflicts.get(id!)!;

    const gone = await ok(agent, 'conflicts.resolve', { id: conflictOf(awayOne).id, take: 'national', version: conflictOf(awayOne).version });
    assert.deepEqual(gone, { id: conflictOf(awayOne).id, recordState: null, sent: false }, 'nothing sent, and the record is no longer on this computer');
    assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id: awayOne! }), null);

    const bulk = await ok(agent, 'conflicts.resolveMany', { ids: [conflictOf(awayBulk).id, conflictOf(keptBulk).id], take: 'national' });
    assert.deepEqual([bulk.resolved, bulk.gone, bulk.failed, bulk.changed, bulk.outOfScope], [2, 1, [], [], []]);
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: keptBulk! }))?.state, 'synced');
    await agent.close();

    const awayText = await cli(dataDir, ['conflicts', 'resolve', conflictOf(awayCli).id, '--take', 'national']);
    assert.equal(awayText.code, 0, awayText.stderr);
    assert.match(awayText.stdout, new RegExp(`Đã giải quyết xung đột ${conflictOf(awayCli).id}\\. Không có gì được gửi lên; bản ghi không còn trên máy này\\.`));
    assert.doesNotMatch(awayText.stdout, /sẽ được gửi/);
    const keptText = await cli(dataDir, ['--lang', 'en', 'conflicts', 'resolve', conflictOf(keptCli).id, '--take', 'national']);
    assert.equal(keptText.code, 0, keptText.stderr);
    assert.match(keptText.stdout, /the record keeps the national version \(synced\)\. Nothing needs to go up\./);
    const sentJson = await cli(dataDir, ['--json', 'conflicts', 'resolve', conflictOf(sentCli).id, '--take', 'local']);
    assert.deepEqual(sentJson.json, { id: conflictOf(sentCli).id, recordState: 'waiting', sent: true });
  });
});
