import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

describe('a purge on the platform forces a resync', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('resync_required pulls from the beginning and keeps the outbox and the local edits', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(41);
    const kept = await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'));
    const doomed = await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'));
    const edited = await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'));
    await syncOk(agent);

    // Offline work at the office, meanwhile a national delete whose tombstone is purged.
    const editedData = (await ok(agent, 'records.get', { dataset: DATASET, id: edited.id }))!.data!;
    await ok(agent, 'records.put', { dataset: DATASET, id: edited.id, data: { ...editedData, registrar: 'Sửa khi mất mạng' } });
    const created = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
    await env.p.platform.admin.deleteRecord(DATASET, doomed.id);
    const purge = await env.p.platform.admin.purgeTombstones(0);
    assert.ok(purge, 'the platform purged its tombstones');

    const run = await syncOk(agent);
    assert.equal(run.status, 'ok');
    const national = await platformLive(env.p, DATASET);
    assert.equal(national.get(edited.id)?.data?.['registrar'], 'Sửa khi mất mạng', 'the local edit survived the resync and went up');
    assert.ok(national.has(created.id), 'the local create survived the resync and went up');
    assert.ok(national.has(kept.id));
    assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id: doomed.id }), null, 'the purged delete is swept from the cache');
    await syncOk(agent);
    assert.equal((await digests(agent))[DATASET], 'match');
    assert.equal((await ok(agent, 'status.get', {})).outbox.depth, 0);
    await agent.close();
  });
});
