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
      assert.equal(loser.error.messages.vi.includes(`Xung đột này đã được ${winner} giải quyết trước khi bạn chọn`), true, loser.error.messages.vi);
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
    if (!answer.ok) assert.match(answer.error.messages.vi, /Xung đột này đã tự giải quyết khi đồng bộ, trước khi bạn chọn/);
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

  test('a bulk "take local" leaves open a conflict a newer national version refreshed after the list was shown, and settles the others', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(51);
    const puts = [];
    for (let i = 0; i < 3; i++) puts.push(await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01')));
    await syncOk(agent);
    // The registrar of each changed here and nationally: three alike conflicts.
    const nationalRevs = new Map<string, number>();
    for (const put of puts) {
      const here = (await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))!.data!;
      await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...here, registrar: 'Cán bộ xã' } });
      nationalRevs.set(put.id, (await env.p.platform.admin.putRecord(DATASET, { ...here, registrar: 'Cán bộ quốc gia' }, { id: put.id, baseRev: put.rev })).rev);
    }
    await syncOk(agent);
    const shown = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(shown.length, 3);

    // While the person looks at the list, the platform edits one of them again and a sync brings it in.
    const stale = shown[1]!;
    const before = (await platformLive(env.p, DATASET)).get(stale.recordId)!.data!;
    await env.p.platform.admin.putRecord(DATASET, { ...before, fatherName: 'Nguyễn Văn Mới' }, { id: stale.recordId, baseRev: nationalRevs.get(stale.recordId)! });
    await syncOk(agent);

    const answer = await ok(agent, 'conflicts.resolveMany', {
      ids: shown.map((c) => c.id),
      take: 'local',
      versions: Object.fromEntries(shown.map((c) => [c.id, c.version])),
    });
    assert.equal(answer.resolved, 2);
    assert.deepEqual(answer.failed, []);
    assert.deepEqual(answer.changed.map((c) => c.id), [stale.id], 'the refreshed one is reported back');
    assert.match(answer.changed[0]!.messages.vi, /vừa thay đổi trong lúc bạn đang xem/);
    assert.match(answer.changed[0]!.messages.en, /changed while you were looking/);

    const left = (await ok(agent, 'conflicts.list', {})).items;
    assert.deepEqual(left.map((c) => c.id), [stale.id], 'it stays open');
    assert.notEqual(left[0]!.version, stale.version);
    assert.equal(left[0]!.fields.find((f) => f.field === 'fatherName')?.national, 'Nguyễn Văn Mới', 'with the new national value to see');

    await syncOk(agent);
    const platform = await platformLive(env.p, DATASET);
    for (const c of shown.filter((x) => x.id !== stale.id)) assert.equal(platform.get(c.recordId)?.data?.['registrar'], 'Cán bộ xã');
    assert.equal(platform.get(stale.recordId)?.data?.['registrar'], 'Cán bộ quốc gia', 'the newer national edit was not overwritten');
    assert.equal(platform.get(stale.recordId)?.data?.['fatherName'], 'Nguyễn Văn Mới');
    await agent.close();
  });

  test('a bulk take from a client that sends no versions settles every conflict as before', async () => {
    const { agent, seen } = await registrarConflict(52);
    const answer = await ok(agent, 'conflicts.resolveMany', { ids: [seen.id], take: 'national' });
    assert.deepEqual(answer, { resolved: 1, gone: 0, changed: [], outOfScope: [], busy: [], failed: [] });
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
