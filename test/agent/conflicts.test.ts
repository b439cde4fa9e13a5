import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventPayload } from '../../sync-engine/src/api/contract.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { addSite, digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

describe('conflicts a person settles', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('the same field changed differently on both sides opens a field conflict, announced with its id, and taking one side converges', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const events: EventPayload<'conflicts.changed'>[] = [];
    agent.on('conflicts.changed', (e) => events.push(e));
    const data = samples(21).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Cán bộ xã', notes: 'ghi chú của xã' } });
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia', notes: 'ghi chú quốc gia' }, { id: put.id, baseRev: put.rev });

    const run = await syncOk(agent);
    assert.equal(run.status, 'conflicts');
    const { items } = await ok(agent, 'conflicts.list', {});
    assert.equal(items.length, 1);
    const conflict = items[0]!;
    assert.equal(conflict.kind, 'fields');
    assert.deepEqual(events.at(-1), { open: 1, added: [conflict.id] });
    const registrar = conflict.fields.find((f) => f.field === 'registrar');
    assert.deepEqual(
      { base: registrar?.base, local: registrar?.local, national: registrar?.national, auto: registrar?.auto },
      { base: data['registrar'], local: 'Cán bộ xã', national: 'Cán bộ quốc gia', auto: null },
    );
    assert.equal(conflict.fields.find((f) => f.field === 'notes')?.auto, 'local', 'a local-wins field comes pre-filled by its policy');
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.state, 'conflict');
    const refused = await agent.call('records.put', { dataset: DATASET, id: put.id, data });
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'conflict_unresolved');

    const unchosen = await agent.call('conflicts.resolve', { id: conflict.id });
    assert.equal(unchosen.ok ? 'ok' : unchosen.error.code, 'invalid_input');
    const settled = await ok(agent, 'conflicts.resolve', { id: conflict.id, fields: { registrar: 'national' } });
    assert.equal(settled.recordState, 'waiting');
    await syncOk(agent);
    await syncOk(agent);
    const expected = { ...data, registrar: 'Cán bộ quốc gia', notes: 'ghi chú của xã' };
    assert.deepEqual((await platformLive(env.p, DATASET)).get(put.id)?.data, expected);
    assert.deepEqual((await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.data, expected);
    assert.equal((await ok(agent, 'conflicts.list', {})).total, 0);
    assert.equal((await ok(agent, 'conflicts.list', { status: 'resolved' })).total, 1);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('a local delete against a national edit goes to a person; keeping the national edit restores the record', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const data = samples(22).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    await ok(agent, 'records.delete', { dataset: DATASET, id: put.id });
    await env.p.platform.admin.putRecord(DATASET, { ...data, notes: 'sửa quốc gia' }, { id: put.id, baseRev: put.rev });
    await syncOk(agent);
    const [conflict] = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'delete-vs-edit');
    assert.equal(conflict?.localDeleted, true);
    assert.equal(conflict?.nationalDeleted, false);
    await ok(agent, 'conflicts.resolve', { id: conflict!.id, take: 'national' });
    await syncOk(agent);
    assert.deepEqual((await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.data, { ...data, notes: 'sửa quốc gia' });
    assert.ok((await platformLive(env.p, DATASET)).has(put.id));
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('a local edit against a national delete goes to a person; keeping the local edit brings the record back nationally', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const data = samples(23).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, notes: 'xã vẫn cần' } });
    await env.p.platform.admin.deleteRecord(DATASET, put.id);
    await syncOk(agent);
    const [conflict] = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'delete-vs-edit');
    assert.equal(conflict?.nationalDeleted, true);
    assert.equal(conflict?.localDeleted, false);
    await ok(agent, 'conflicts.resolve', { id: conflict!.id, take: 'local' });
    await syncOk(agent);
    await syncOk(agent);
    assert.deepEqual((await platformLive(env.p, DATASET)).get(put.id)?.data, { ...data, notes: 'xã vẫn cần' });
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('two offices creating a record under the same id meet as a create collision', async () => {
    const site = await addSite(env.p);
    const a = await enrolledAgent(temp, env.p, { site });
    const b = await enrolledAgent(temp, env.p, { site });
    const gen = samples(24);
    const id = uuidv7();
    const first = gen.sample(DATASET, '01');
    await ok(a.agent, 'records.put', { dataset: DATASET, id, data: first });
    await ok(b.agent, 'records.put', { dataset: DATASET, id, data: { ...first, registrar: 'Cán bộ máy B' } });
    await syncOk(a.agent);
    await syncOk(b.agent);
    const [conflict] = (await ok(b.agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'create-collision');
    assert.deepEqual(conflict?.fields.filter((f) => f.auto === null).map((f) => f.field), ['registrar']);
    await ok(b.agent, 'conflicts.resolve', { id: conflict!.id, take: 'local' });
    await syncOk(b.agent);
    await syncOk(a.agent);
    for (const agent of [a.agent, b.agent]) {
      assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id }))?.data?.['registrar'], 'Cán bộ máy B');
      assert.equal((await digests(agent))[DATASET], 'match');
    }
    await a.agent.close();
    await b.agent.close();
  });
});
