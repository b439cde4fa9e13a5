import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { digests, enrolledAgent, ok, platformLive, platformPerSuite, restartPlatform, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

describe('records travel both ways through the real platform', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('a record created, edited and deleted at the office reaches the platform, and the digests agree', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(11);
    const data = gen.sample(DATASET, '01');
    const created = await ok(agent, 'records.put', { dataset: DATASET, data });
    assert.equal(created.state, 'waiting');
    await syncOk(agent);
    let national = await platformLive(env.p, DATASET);
    assert.deepEqual(national.get(created.id)?.data, data);
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: created.id }))?.state, 'synced');

    const edited = { ...data, notes: 'Bổ sung ghi chú' };
    await ok(agent, 'records.put', { dataset: DATASET, data: edited, id: created.id });
    await syncOk(agent);
    national = await platformLive(env.p, DATASET);
    assert.deepEqual(national.get(created.id), { rev: 2, data: edited });

    assert.equal((await ok(agent, 'records.delete', { dataset: DATASET, id: created.id })).sent, true, 'the deletion goes to the platform');
    await syncOk(agent);
    assert.equal((await platformLive(env.p, DATASET)).has(created.id), false);
    assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id: created.id }), null);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test("the overview's check against national does not say 'match' while an edit made since waits to go up, and says it again once it is settled", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const data = samples(19).sample(DATASET, '01');
    const created = await ok(agent, 'records.put', { dataset: DATASET, data });
    await syncOk(agent);
    assert.equal((await digests(agent))[DATASET], 'match');
    await ok(agent, 'records.put', { dataset: DATASET, data: { ...data, notes: 'Sửa sau lần đối chiếu' }, id: created.id });
    const now = await digests(agent);
    assert.equal(now[DATASET], 'pending', 'the last check matched, but this office has changed the dataset since');
    assert.equal(now['procedure-dossiers'], 'match', 'a dataset this office did not change keeps its check');
    await syncOk(agent);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('a record created, edited and deleted nationally reaches the office', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(12);
    const data = gen.sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    const pulled = await ok(agent, 'records.get', { dataset: DATASET, id: put.id });
    assert.deepEqual(pulled?.data, data);
    assert.equal(pulled?.state, 'synced');

    const edited = { ...data, notes: 'Sửa ở cấp quốc gia' };
    await env.p.platform.admin.putRecord(DATASET, edited, { id: put.id, baseRev: put.rev });
    await syncOk(agent);
    assert.deepEqual((await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.data, edited);

    await env.p.platform.admin.deleteRecord(DATASET, put.id);
    await syncOk(agent);
    assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id: put.id }), null);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('different fields changed on each side merge by themselves into one version on both sides', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(13);
    const data = gen.sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, notes: 'ghi chú của xã' } });
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ Trung ương' }, { id: put.id, baseRev: put.rev });
    const run = await syncOk(agent);
    assert.equal(run.conflicts, 0);
    await syncOk(agent);
    const merged = { ...data, notes: 'ghi chú của xã', registrar: 'Cán bộ Trung ương' };
    assert.deepEqual((await platformLive(env.p, DATASET)).get(put.id)?.data, merged);
    assert.deepEqual((await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.data, merged);
    assert.equal((await ok(agent, 'status.get', {})).openConflicts, 0);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('writes made while the platform is down wait in the outbox and go up once it is back', async () => {
    const { agent, site } = await enrolledAgent(temp, env.p);
    await env.p.platform.close();
    try {
      const gen = samples(14);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') })).id);
      const answer = await ok(agent, 'sync.now', {});
      assert.equal(answer.run?.status, 'failed');
      assert.equal(answer.run?.error?.code, 'network');
      const status = await ok(agent, 'status.get', {});
      assert.equal(status.health.state, 'offline');
      assert.equal(status.outbox.depth, 3);
      env.p = await restartPlatform(env.p);
      await syncOk(agent);
      const national = await platformLive(env.p, DATASET);
      for (const id of ids) assert.ok(national.has(id), `record ${id} of site ${site} reached the platform`);
      assert.equal((await ok(agent, 'status.get', {})).outbox.depth, 0);
    } finally {
      await agent.close();
    }
  });
});
