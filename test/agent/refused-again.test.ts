import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { pullsMayFail } from './support/faulty-client.js';
import { fieldConflicts, moveOutOfScope, pulledRecords, purgeNationally } from './support/national-changes.js';

const DATASET = 'civil-status-births';

// A change the platform is certain to refuse is not queued again through any door of the AgentApi
// (the window, the web console) or the CLI: this office's side of a conflict whose record moved out of
// the office's scope, a retry of a held-back change of such a record, and a retry or an edit of a record
// the platform answered it no longer holds. Each says in vi/en why and what is left to do; nothing
// pending is lost.
describe('changes the platform is certain to refuse again', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('out of scope: keeping this office\'s side and retrying are refused (out_of_scope, exit 1), the bulk take says how many it left, and the national version or a discard settle them', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(97);
    const [disputed, held] = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    const [national] = await fieldConflicts(agent, env.p, DATASET, [disputed]);
    await ok(agent, 'records.put', { dataset: DATASET, id: held.id, data: { ...gen.sample(DATASET, '01'), notes: 'xã sửa' } });
    // Both records move to another province nationally.
    await moveOutOfScope(env.p, gen, DATASET, national);
    await moveOutOfScope(env.p, gen, DATASET, held);
    assert.equal((await syncOk(agent)).rejected, 1);
    const [conflict] = (await ok(agent, 'conflicts.list', {})).items;
    const [entry] = (await ok(agent, 'outbox.list', { status: 'quarantined' })).items;
    assert.deepEqual([conflict?.leftScope, entry?.recordId, entry?.leftScope], [true, held.id, true]);
    const before = { conflicts: await ok(agent, 'conflicts.list', {}), outbox: await ok(agent, 'outbox.list', {}) };

    const keepWords = [/không còn thuộc phạm vi của đơn vị này.*không giữ được bên đơn vị này.*Chưa có gì thay đổi.*Hãy giữ bản quốc gia/s, /no longer in this office's scope.*this office's side cannot be kept.*Nothing was changed.*Keep the national version/s] as const;
    for (const input of [{ take: 'local' as const }, { fields: { registrar: 'local' as const } }, { values: { registrar: 'Cán bộ khác' } }]) {
      const answer = await agent.call('conflicts.resolve', { id: conflict!.id, version: conflict!.version, ...input }, { user: 'chị Lan' });
      assert.equal(answer.ok, false, JSON.stringify(input));
      if (answer.ok) return;
      assert.equal(answer.error.code, 'out_of_scope');
      assert.match(answer.error.messages.vi, keepWords[0]);
      assert.match(answer.error.messages.en, keepWords[1]);
    }
    const bulk = await ok(agent, 'conflicts.resolveMany', { ids: [conflict!.id], take: 'local', versions: { [conflict!.id]: conflict!.version } });
    assert.deepEqual([bulk.resolved, bulk.changed, bulk.failed, bulk.outOfScope.map((c) => c.id)], [0, [], [], [conflict!.id]]);
    assert.match(bulk.outOfScope[0]!.messages.vi, keepWords[0]);

    const retry = await agent.call('outbox.retry', { seq: entry!.seq }, { user: 'chị Lan' });
    assert.equal(retry.ok, false);
    if (retry.ok) return;
    assert.equal(retry.error.code, 'out_of_scope');
    assert.match(retry.error.messages.vi, /không còn thuộc phạm vi của đơn vị này.*gửi lại cũng không được nhận.*Hãy bỏ thay đổi này/s);
    assert.match(retry.error.messages.en, /no longer in this office's scope.*would be refused again.*Discard it/s);
    const all = await ok(agent, 'outbox.retry', {});
    assert.deepEqual(
      { retried: all.retried, kept: all.kept.map((k) => [k.seq, k.recordId, k.code]) },
      { retried: 0, kept: [[entry!.seq, held.id, 'out_of_scope']] },
    );
    assert.deepEqual({ conflicts: await ok(agent, 'conflicts.list', {}), outbox: await ok(agent, 'outbox.list', {}) }, before, 'nothing written');
    await agent.close();

    // The CLI: the same refusals (exit 1), and only the choices that can work are offered.
    const local = await cli(dataDir, ['conflicts', 'resolve', conflict!.id, '--take', 'local']);
    assert.equal(local.code, 1, local.stdout);
    assert.match(local.stderr, new RegExp(`Bản ghi ${disputed.id} không còn thuộc phạm vi của đơn vị này.*Hãy giữ bản quốc gia`, 's'));
    const file = join(temp.make('merged-'), 'merged.json');
    writeFileSync(file, JSON.stringify({ registrar: 'Cán bộ khác' }));
    const typed = await cli(dataDir, ['--lang', 'en', 'conflicts', 'resolve', conflict!.id, '--file', file]);
    assert.equal(typed.code, 1, typed.stdout);
    assert.match(typed.stderr, new RegExp(`Record ${disputed.id} is no longer in this office's scope.*Keep the national version`, 's'));
    assert.equal((await cli(dataDir, ['--json', 'conflicts', 'resolve', conflict!.id, '--field', 'registrar=local'])).json?.error?.code, 'out_of_scope');
    const show = await cli(dataDir, ['conflicts', 'show', conflict!.id]);
    assert.match(show.stdout, new RegExp(`Cách giải quyết: edge-agent --home \\S+ conflicts resolve ${conflict!.id} --take national\n`));
    assert.doesNotMatch(show.stdout, /--take local\|national/);

    const one = await cli(dataDir, ['outbox', 'retry', String(entry!.seq)]);
    assert.equal(one.code, 1, one.stdout);
    assert.match(one.stderr, new RegExp(`Bản ghi ${held.id} không còn thuộc phạm vi của đơn vị này.*Hãy bỏ thay đổi này`, 's'));
    // Retrying all: the change left held back is listed, and the exit code says one was refused again.
    const every = await cli(dataDir, ['--lang', 'en', 'outbox', 'retry']);
    assert.equal(every.code, 1, every.stderr);
    assert.match(every.stdout, /0 change\(s\) queued again/);
    assert.match(every.stdout, new RegExp(`#${entry!.seq}: Record ${held.id} is no longer in this office's scope.*Discard it.* edge-agent --home \\S+ outbox discard ${entry!.seq}`));
    assert.doesNotMatch((await cli(dataDir, ['outbox', 'list'])).stdout, /outbox retry/, 'retrying is not offered');

    // What the person can do settles both: the records leave this computer.
    assert.equal((await cli(dataDir, ['conflicts', 'resolve', conflict!.id, '--take', 'national'])).code, 0);
    assert.equal((await cli(dataDir, ['--json', 'outbox', 'discard', String(entry!.seq)])).json?.recordState, null);
    assert.equal((await cli(dataDir, ['--json', 'records', 'get', DATASET, disputed.id])).json?.error?.code, 'not_found');
    // Nothing left to retry: done.
    const none = await cli(dataDir, ['--json', 'outbox', 'retry']);
    assert.deepEqual([none.code, none.json], [0, { retried: 0, kept: [] }]);
  });

  test('not on the platform: a retry or an edit of a record whose change the platform answered not_found is refused (not_found, exit 1), and a discard settles it', async () => {
    const offline = { pulls: false };
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { service: { platformClientFactory: pullsMayFail(offline) } });
    const gen = samples(98);
    const [record] = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01')]);
    const { data } = record;
    await ok(agent, 'records.put', { dataset: DATASET, id: record.id, data: { ...data, notes: 'xã sửa' } });
    await purgeNationally(env.p, DATASET, [record.id]);
    // The push is answered (not_found); the pull after it is not.
    offline.pulls = true;
    assert.equal((await ok(agent, 'sync.now', {})).run?.rejected, 1);
    const [entry] = (await ok(agent, 'outbox.list', { status: 'quarantined' })).items;
    assert.deepEqual([entry?.recordId, entry?.notOnPlatform, entry?.leftScope], [record.id, true, false]);
    const before = { record: await ok(agent, 'records.get', { dataset: DATASET, id: record.id }), outbox: await ok(agent, 'outbox.list', {}) };
    // The record views say it too, so the window's form opens read-only before anything is typed.
    assert.equal(before.record?.notOnPlatform, true);
    const listed = (await ok(agent, 'records.list', { dataset: DATASET, limit: 50, offset: 0 })).items;
    assert.deepEqual(listed.filter((r) => r.notOnPlatform).map((r) => r.id), [record.id]);

    const answers = [
      await agent.call('outbox.retry', { seq: entry!.seq }, { user: 'chị Lan' }),
      await agent.call('records.put', { dataset: DATASET, id: record.id, data: { ...data, notes: 'xã sửa lần 2' } }, { user: 'chị Lan' }),
      await agent.call('records.delete', { dataset: DATASET, id: record.id }, { user: 'chị Lan' }),
    ];
    for (const answer of answers) {
      assert.equal(answer.ok, false);
      if (answer.ok) return;
      assert.equal(answer.error.code, 'not_found');
      assert.match(answer.error.messages.vi, new RegExp(`Nền tảng quốc gia không còn giữ bản ghi ${record.id}.*Chưa có gì thay đổi.*bỏ thay đổi.*nhập lại thành bản ghi mới`, 's'));
      assert.match(answer.error.messages.en, new RegExp(`The national platform no longer holds record ${record.id}.*Nothing was changed.*Discard.*enter it again as a new record`, 's'));
    }
    assert.deepEqual((await ok(agent, 'outbox.retry', {})).kept.map((k) => [k.seq, k.code]), [[entry!.seq, 'not_found']]);
    assert.deepEqual({ record: await ok(agent, 'records.get', { dataset: DATASET, id: record.id }), outbox: await ok(agent, 'outbox.list', {}) }, before, 'nothing written');
    await agent.close();

    const one = await cli(dataDir, ['--lang', 'en', 'outbox', 'retry', String(entry!.seq)]);
    assert.equal(one.code, 1, one.stdout);
    assert.match(one.stderr, new RegExp(`The national platform no longer holds record ${record.id}`));
    const every = await cli(dataDir, ['--json', 'outbox', 'retry']);
    assert.equal(every.code, 1, every.stderr);
    assert.deepEqual([every.json?.retried, every.json?.kept.map((k: { seq: number; code: string }) => [k.seq, k.code])], [0, [[entry!.seq, 'not_found']]]);
    const file = join(temp.make('edit-'), 'record.json');
    writeFileSync(file, JSON.stringify({ ...data, notes: 'xã sửa lần 3' }));
    const put = await cli(dataDir, ['records', 'put', DATASET, file, '--id', record.id]);
    assert.equal(put.code, 1, put.stdout);
    assert.match(put.stderr, new RegExp(`Nền tảng quốc gia không còn giữ bản ghi ${record.id}`));
    const list = (await cli(dataDir, ['outbox', 'list'])).stdout;
    assert.match(list, new RegExp(`#${entry!.seq}: nền tảng quốc gia không còn giữ bản ghi này`));
    assert.doesNotMatch(list, /outbox retry/, 'retrying is not offered');

    assert.equal((await cli(dataDir, ['--json', 'outbox', 'discard', String(entry!.seq)])).json?.recordState, null);
  });
});
