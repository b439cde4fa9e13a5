import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { addSite, digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

/**
 * "Take local" / "take national" on a field conflict chooses that side for the
 * conflicting fields only: a field only one side changed keeps that change, as
 * the conflict screen's "auto" column shows it (SYNC-PROTOCOL.md, guarantee 5).
 */
describe('taking one side of a field conflict keeps the changes only the other side made', () => {
  const env = platformPerSuite();
  const { temp } = env;

  /** The registrar changed on both sides; the father's name only nationally, the mother's name only here. */
  async function conflictWithOneSidedChanges(seed: number) {
    const t = await enrolledAgent(temp, env.p);
    const data = samples(seed).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(t.agent);
    await ok(t.agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Cán bộ xã', motherName: 'Lê Thị Xã' } });
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia', fatherName: 'Nguyễn Văn Quốc' }, { id: put.id, baseRev: put.rev });
    await syncOk(t.agent);
    const [conflict] = (await ok(t.agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'fields');
    const auto = Object.fromEntries(conflict!.fields.map((f) => [f.field, f.auto]));
    assert.deepEqual(auto, { registrar: null, fatherName: 'national', motherName: 'local' }, 'the screen shows the one-sided changes in its auto column');
    return { ...t, data, id: put.id, conflict: conflict! };
  }

  async function bothSides(agent: Awaited<ReturnType<typeof enrolledAgent>>['agent'], id: string) {
    await syncOk(agent);
    await syncOk(agent);
    const national = (await platformLive(env.p, DATASET)).get(id)?.data;
    const local = (await ok(agent, 'records.get', { dataset: DATASET, id }))?.data;
    assert.deepEqual(local, national, 'the office and the platform agree');
    assert.equal((await digests(agent))[DATASET], 'match');
    return national;
  }

  test('take local: the registrar is this office\'s, the national change to the father\'s name survives', async () => {
    const { agent, data, id, conflict } = await conflictWithOneSidedChanges(61);
    const settled = await ok(agent, 'conflicts.resolve', { id: conflict.id, take: 'local', version: conflict.version });
    assert.equal(settled.recordState, 'waiting');
    const after = await bothSides(agent, id);
    assert.deepEqual(after, { ...data, registrar: 'Cán bộ xã', fatherName: 'Nguyễn Văn Quốc', motherName: 'Lê Thị Xã' });
    await agent.close();
  });

  test('conflicts.list filters by kind and dataset over all the conflicts, its total counting the filter', async () => {
    const { agent } = await conflictWithOneSidedChanges(71);
    assert.equal((await ok(agent, 'conflicts.list', { kind: 'fields', dataset: DATASET })).total, 1);
    const otherKind = await ok(agent, 'conflicts.list', { kind: 'delete-vs-edit' });
    assert.deepEqual([otherKind.items.length, otherKind.total], [0, 0]);
    const otherDataset = await ok(agent, 'conflicts.list', { dataset: 'procedure-dossiers' });
    assert.deepEqual([otherDataset.items.length, otherDataset.total], [0, 0]);
    await agent.close();
  });

  test('a per-field choice naming a field the conflict does not show (a typo) is refused, naming it and the fields to choose from; nothing is settled', async () => {
    const { agent, id, conflict } = await conflictWithOneSidedChanges(67);
    const typo = await agent.call('conflicts.resolve', { id: conflict.id, take: 'local', fields: { registar: 'national' }, version: conflict.version });
    assert.ok(!typo.ok);
    assert.equal(typo.error.code, 'invalid_input');
    const en = /^This conflict has no field "registar": nothing was settled\. The fields to choose from: (.+)\.$/.exec(typo.error.messages.en);
    assert.deepEqual(en?.[1]?.split(', ').sort(), ['fatherName', 'motherName', 'registrar'], typo.error.messages.en);
    assert.match(typo.error.messages.vi, /^Xung đột này không có trường "registar": chưa giải quyết gì\. Các trường có thể chọn: /);
    assert.equal((await ok(agent, 'conflicts.get', { id: conflict.id }))?.status, 'open');
    assert.equal((await ok(agent, 'outbox.list', {})).total, 0, 'nothing queued');
    // A field the merge resolved by itself may still be chosen.
    const settled = await ok(agent, 'conflicts.resolve', { id: conflict.id, take: 'local', fields: { registrar: 'national', fatherName: 'local' }, version: conflict.version });
    assert.equal(settled.recordState, 'waiting');
    assert.equal((await ok(agent, 'records.get', { dataset: DATASET, id }))?.data?.['registrar'], 'Cán bộ quốc gia');
    await agent.close();
  });

  test('take national: the registrar is the national one, the change to the mother\'s name made here is still sent', async () => {
    const { agent, data, id, conflict } = await conflictWithOneSidedChanges(62);
    const settled = await ok(agent, 'conflicts.resolve', { id: conflict.id, take: 'national', version: conflict.version });
    assert.equal(settled.recordState, 'waiting', "this office's own change still has to go up");
    const after = await bothSides(agent, id);
    assert.deepEqual(after, { ...data, registrar: 'Cán bộ quốc gia', fatherName: 'Nguyễn Văn Quốc', motherName: 'Lê Thị Xã' });
    await agent.close();
  });

  test('the bulk take local keeps each record\'s national-only change', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(64);
    const puts = [];
    for (let i = 0; i < 2; i++) puts.push(await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01')));
    await syncOk(agent);
    for (const put of puts) {
      const here = (await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))!.data!;
      await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...here, registrar: 'Cán bộ xã' } });
      await env.p.platform.admin.putRecord(DATASET, { ...here, registrar: 'Cán bộ quốc gia', fatherName: 'Nguyễn Văn Quốc' }, { id: put.id, baseRev: put.rev });
    }
    await syncOk(agent);
    const shown = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(shown.length, 2);
    const answer = await ok(agent, 'conflicts.resolveMany', { ids: shown.map((c) => c.id), take: 'local' });
    assert.equal(answer.resolved, 2);
    await syncOk(agent);
    await syncOk(agent);
    const platform = await platformLive(env.p, DATASET);
    for (const put of puts) {
      assert.equal(platform.get(put.id)?.data?.['registrar'], 'Cán bộ xã');
      assert.equal(platform.get(put.id)?.data?.['fatherName'], 'Nguyễn Văn Quốc', 'the national-only change was not reverted');
    }
    await agent.close();
  });

  test('a create collision: take local keeps this office\'s values where both differ and a value only the national record has', async () => {
    const site = await addSite(env.p);
    const a = await enrolledAgent(temp, env.p, { site });
    const b = await enrolledAgent(temp, env.p, { site });
    const id = uuidv7();
    const { notes: _notes, ...first } = samples(65).sample(DATASET, '01');
    await ok(a.agent, 'records.put', { dataset: DATASET, id, data: { ...first, notes: 'ghi chú máy A' } });
    await ok(b.agent, 'records.put', { dataset: DATASET, id, data: { ...first, registrar: 'Cán bộ máy B' } });
    await syncOk(a.agent);
    await syncOk(b.agent);
    const [conflict] = (await ok(b.agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'create-collision');
    assert.equal(conflict?.fields.find((f) => f.field === 'notes')?.auto, 'national');
    await ok(b.agent, 'conflicts.resolve', { id: conflict!.id, take: 'local' });
    await syncOk(b.agent);
    await syncOk(a.agent);
    for (const agent of [a.agent, b.agent]) {
      const now = (await ok(agent, 'records.get', { dataset: DATASET, id }))?.data;
      assert.equal(now?.['registrar'], 'Cán bộ máy B');
      assert.equal(now?.['notes'], 'ghi chú máy A');
    }
    await a.agent.close();
    await b.agent.close();
  });

  test('delete against edit keeps its whole-record meaning: take local keeps this office\'s delete', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const data = samples(66).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    await ok(agent, 'records.delete', { dataset: DATASET, id: put.id });
    await env.p.platform.admin.putRecord(DATASET, { ...data, fatherName: 'Nguyễn Văn Quốc' }, { id: put.id, baseRev: put.rev });
    await syncOk(agent);
    const [conflict] = (await ok(agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'delete-vs-edit');
    await ok(agent, 'conflicts.resolve', { id: conflict!.id, take: 'local' });
    await syncOk(agent);
    await syncOk(agent);
    assert.equal((await platformLive(env.p, DATASET)).has(put.id), false);
    assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id: put.id }), null);
    await agent.close();
  });
});
