import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { auditActors } from '../support/audit-actors.js';
import { digests, enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { pullsMayFail } from './support/faulty-client.js';
import { pulledRecords, purgeNationally } from './support/national-changes.js';

const DATASET = 'civil-status-births';

// The platform deleted a record and purged its tombstone; this office's edit of it then goes up, and
// the reference platform answers `rejected` with `not_found` (docs/protocol.md, Push). A person who
// discards that change is giving up a change of a record the platform no longer holds: the record
// leaves this computer, as the platform has it, not back to the version this computer last received.
describe('discarding a held change of a record the platform purged', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('takes the record off this computer before any resync, says so beforehand, and is audited', async () => {
    const offline = { pulls: false };
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { service: { platformClientFactory: pullsMayFail(offline) } });
    const gen = samples(95);
    const [edited, deleted] = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    const national = edited.data;
    await ok(agent, 'records.put', { dataset: DATASET, id: edited.id, data: { ...national, notes: 'xã sửa' } });
    await ok(agent, 'records.delete', { dataset: DATASET, id: deleted.id });
    await purgeNationally(env.p, DATASET, [edited.id, deleted.id]);

    // The push is answered; the pull after it is not (it would have found the purge: 410, a resync).
    offline.pulls = true;
    const run = await ok(agent, 'sync.now', {});
    assert.equal(run.run?.rejected, 2);
    const held = (await ok(agent, 'outbox.list', { status: 'quarantined' })).items;
    assert.deepEqual(
      held.map((e) => ({ recordId: e.recordId, op: e.op, errors: e.errors.map((x) => [x.path, x.code]), leftScope: e.leftScope, nationalVersion: e.nationalVersion })),
      [edited.id, deleted.id].map((recordId, i) => ({
        recordId,
        op: i === 0 ? 'upsert' : 'delete',
        // The reference platform's answer for a record it does not hold.
        errors: [['', 'not_found']],
        leftScope: false,
        // The discard dialog says the platform does not hold the record, not that it goes back to a national version.
        nationalVersion: false,
      })),
    );

    for (const [entry, id] of [
      [held[0]!, edited.id],
      [held[1]!, deleted.id],
    ] as const) {
      const answer = await agent.call('outbox.discard', { seq: entry.seq }, { user: 'chị Lan' });
      assert.deepEqual(answer, { ok: true, value: { discarded: 1, dataset: DATASET, recordId: id, recordState: null } });
      assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id }), null, 'off this computer, as on the platform');
    }
    const search = await ok(agent, 'records.list', { dataset: DATASET, search: national['fullName'] as string, limit: 50, offset: 0 });
    assert.equal(search.items.some((r) => r.id === edited.id), false, 'no longer found');
    assert.deepEqual(
      (await auditActors(dataDir)).filter((e) => e.action === 'outbox.discard').map((e) => [e.actor, e.recordId, e.details['notOnPlatform']]),
      [
        ['chị Lan', edited.id, true],
        ['chị Lan', deleted.id, true],
      ],
    );

    offline.pulls = false;
    await syncOk(agent);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });
});
