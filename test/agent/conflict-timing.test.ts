import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/index.js';
import { enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

describe('settling a conflict while sync and other people move on', () => {
  const env = platformPerSuite();
  const { temp } = env;

  /** The registrar changed here and nationally: an open field conflict, as the conflict screen shows it. */
  async function registrarConflict(seed: number) {
    const t = await enrolledAgent(temp, env.p);
    const data = samples(seed).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(t.agent);
    await ok(t.agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Cán bộ xã' } });
    const national = await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia' }, { id: put.id, baseRev: put.rev });
    await syncOk(t.agent);
    const [seen] = (await ok(t.agent, 'conflicts.list', {})).items;
    assert.equal(seen?.kind, 'fields');
    return { ...t, data, id: put.id, nationalRev: national.rev, seen: seen! };
  }

  test('a choice made on a conflict that a newer national version refreshed since is refused, and the newer national edit survives', async () => {
    const { agent, data, id, nationalRev, seen } = await registrarConflict(41);
    // While the person looks at the screen, the platform changes another field and a sync brings it in.
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia', fatherName: 'Nguyễn Văn Mới' }, { id, baseRev: nationalRev });
    await syncOk(agent);

    const stale = await agent.call('conflicts.resolve', { id: seen.id, take: 'local', version: seen.version });
    assert.equal(stale.ok, false);
    if (!stale.ok) {
      assert.equal(stale.error.code, 'conflict_unresolved');
      assert.match(stale.error.messages.vi, /vừa thay đổi trong lúc bạn đang xem/);
      assert.match(stale.error.messages.en, /changed while you were looking/);
    }
    const now = await ok(agent, 'conflicts.get', { id: seen.id });
    assert.equal(now?.status, 'open', 'nothing was settled');
    assert.notEqual(now?.version, seen.version);
    assert.deepEqual(
      now?.fields.find((f) => f.field === 'fatherName'),
      { field: 'fatherName', title: now?.fields.find((f) => f.field === 'fatherName')?.title, base: data['fatherName'], local: data['fatherName'], national: 'Nguyễn Văn Mới', auto: 'national' },
      'the screen now shows the new national value',
    );
    assert.equal((await ok(agent, 'outbox.list', {})).total, 0, 'nothing was queued');

    await ok(agent, 'conflicts.resolve', { id: seen.id, fields: { registrar: 'local', fatherName: 'national' }, version: now!.version });
    await syncOk(agent);
    const platform = (await platformLive(env.p, DATASET)).get(id)?.data;
    assert.equal(platform?.['registrar'], 'Cán bộ xã');
    assert.equal(platform?.['fatherName'], 'Nguyễn Văn Mới');
    await agent.close();
  });

  test('two people settling one conflict at the same moment: one choice is applied whole, the other is told it was settled by the first', async () => {
    const { agent, id, seen } = await registrarConflict(42);
    const [window, cli] = await Promise.all([
      agent.call('conflicts.resolve', { id: seen.id, take: 'local', version: seen.version }, { user: 'Nguyễn Thị Lan' }),
      agent.call('conflicts.resolve', { id: seen.id, take: 'national', version: seen.version }, { user: 'Trần Văn Minh' }),
    ]);
    assert.equal([window, cli].filter((r) => r.ok).length, 1, 'exactly one wins');
    const [winner, loser] = window.ok ? ['Nguyễn Thị Lan', cli] : ['Trần Văn Minh', window];
    assert.equal(loser.ok, false);
    if (!loser.ok) {
      assert.equal(loser.error.code, 'not_found');
      assert.equal(loser.error.messages.vi.includes(`đã được xử lý bởi ${winner}`), true, loser.error.messages.vi);
      assert.equal(loser.error.messages.en.includes(`already settled by ${winner}`), true, loser.error.messages.en);
    }
    const settled = await ok(agent, 'conflicts.list', { status: 'resolved' });
    assert.equal(settled.total, 1);
    const outbox = (await ok(agent, 'outbox.list', {})).items;
    await syncOk(agent);
    const registrar = (await platformLive(env.p, DATASET)).get(id)?.data?.['registrar'];
    if (window.ok) {
      assert.equal(outbox.length, 1, "the winner's change alone is queued");
      assert.equal(registrar, 'Cán bộ xã');
    } else {
      assert.equal(outbox.length, 0, 'taking the national version sends nothing');
      assert.equal(registrar, 'Cán bộ quốc gia');
    }
    await agent.close();
  });

  test('a conflict a sync settles by itself while the person looks is refused with that reason', async () => {
    const { agent, data, id, nationalRev, seen } = await registrarConflict(43);
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ xã' }, { id, baseRev: nationalRev });
    await syncOk(agent);
    const answer = await agent.call('conflicts.resolve', { id: seen.id, take: 'national', version: seen.version });
    assert.equal(answer.ok, false);
    if (!answer.ok) assert.match(answer.error.messages.vi, /đã được xử lý tự động khi đồng bộ/);
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id }))?.data?.['registrar'], 'Cán bộ xã');
    await agent.close();
  });

  test('a settled choice not yet sent meets a newer national version: the two are merged, neither is lost', async () => {
    const { agent, data, id, nationalRev, seen } = await registrarConflict(44);
    await ok(agent, 'conflicts.resolve', { id: seen.id, take: 'local', version: seen.version });
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia', fatherName: 'Nguyễn Văn Mới' }, { id, baseRev: nationalRev });
    await syncOk(agent);
    await syncOk(agent);
    const platform = (await platformLive(env.p, DATASET)).get(id)?.data;
    assert.equal(platform?.['registrar'], 'Cán bộ xã');
    assert.equal(platform?.['fatherName'], 'Nguyễn Văn Mới');
    assert.equal((await ok(agent, 'conflicts.list', {})).total, 0);
    await agent.close();
  });

  test('a choice settled before the agent stops is sent after it starts again', async () => {
    const { agent, dataDir, id, seen } = await registrarConflict(45);
    await ok(agent, 'conflicts.resolve', { id: seen.id, take: 'local' });
    await agent.close();
    const again = await createAgentService({ dataDir, onError: () => undefined });
    assert.equal((await ok(again, 'outbox.list', {})).total, 1);
    await syncOk(again);
    assert.equal((await platformLive(env.p, DATASET)).get(id)?.data?.['registrar'], 'Cán bộ xã');
    assert.equal((await ok(again, 'records.get', { dataset: DATASET, id }))?.state, 'synced');
    await again.close();
  });
});
