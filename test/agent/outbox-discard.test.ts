import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { localUserName } from '../../sync-engine/src/service/local-user.js';
import { auditActors } from '../support/audit-actors.js';
import { addSite, digests, enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

// A change the platform refuses for good stays held back until a person gives it up (outbox.discard):
// the record goes back to the national version, or off this computer when the platform does not hold it.
describe('discarding a change the platform held back', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('an edit refused because the dataset became read-only goes back to the national version, logged with the person, and the next sync agrees', async () => {
    const site = await addSite(env.p);
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { site });
    const gen = samples(71);
    const national = gen.sample(DATASET, '01');
    const record = await env.p.platform.admin.putRecord(DATASET, national);
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: DATASET, id: record.id, data: { ...national, notes: 'xã sửa' } });
    await env.p.platform.admin.setSiteAccess(site, DATASET, 'read');
    assert.equal((await syncOk(agent)).rejected, 1);

    const [held] = (await ok(agent, 'outbox.list', { status: 'quarantined' })).items;
    assert.deepEqual([held?.recordId, held?.leftScope, held?.nationalVersion], [record.id, false, true]);
    const answer = await agent.call('outbox.discard', { seq: held!.seq }, { user: 'chị Lan' });
    assert.deepEqual(answer, { ok: true, value: { discarded: 1, dataset: DATASET, recordId: record.id, recordState: 'synced' } });

    const back = await ok(agent, 'records.get', { dataset: DATASET, id: record.id });
    assert.equal(back?.state, 'synced');
    assert.deepEqual(back?.data, national);
    const status = await ok(agent, 'status.get', {});
    assert.deepEqual([status.rejected, status.outbox.quarantined, status.outbox.depth], [0, 0, 0]);
    assert.deepEqual(
      (await auditActors(dataDir)).filter((e) => e.action === 'outbox.discard').map((e) => [e.actor, e.recordId]),
      [['chị Lan', record.id]],
    );
    await syncOk(agent);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('a create the platform never accepted leaves this computer; `outbox discard` logs the OS user and says so in both languages', async () => {
    const communes = bundledAdminUnits()
      .communesOf('01')
      .slice(0, 2)
      .map((c) => c.code);
    const [c1, c2] = communes as [string, string];
    const site = await addSite(env.p, { communeCodes: communes });
    const { agent, dataDir } = await enrolledAgent(temp, env.p, { site });
    const gen = samples(72);
    const refused = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01', [c2]) });
    const other = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01', [c2]) });
    await env.p.platform.admin.setSiteScope(site, { provinceCode: '01', communeCodes: [c1] });
    assert.equal((await syncOk(agent)).rejected, 2);
    const held = (await ok(agent, 'outbox.list', { status: 'quarantined' })).items;
    assert.deepEqual(held.map((e) => [e.recordId, e.nationalVersion]), [[refused.id, false], [other.id, false]]);
    await agent.close();

    const vi = await cli(dataDir, ['outbox', 'discard', String(held[0]!.seq)]);
    assert.equal(vi.code, 0, vi.stderr);
    assert.match(vi.stdout, new RegExp(`Đã bỏ 1 thay đổi bị giữ lại của bản ghi ${DATASET}/${refused.id}\\.\\nBản ghi không còn trên máy này\\.`));
    const en = await cli(dataDir, ['--lang', 'en', '--json', 'outbox', 'discard', String(held[1]!.seq)]);
    assert.equal(en.code, 0, en.stderr);
    assert.deepEqual(en.json, { discarded: 1, dataset: DATASET, recordId: other.id, recordState: null });
    assert.equal((await cli(dataDir, ['--json', 'records', 'get', DATASET, refused.id])).json?.error?.code, 'not_found', 'off this computer');
    assert.deepEqual(
      (await auditActors(dataDir)).filter((e) => e.action === 'outbox.discard').map((e) => [e.actor, e.recordId]),
      [
        [localUserName(), refused.id],
        [localUserName(), other.id],
      ],
    );
    const gone = await cli(dataDir, ['outbox', 'discard', String(held[0]!.seq)]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, new RegExp(`Không có thay đổi số ${held[0]!.seq} trong hàng đợi gửi`));
  });

  test('a held change of a record moved to another province nationally is discarded and the record leaves this computer', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(73);
    const record = await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'));
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: DATASET, id: record.id, data: { ...gen.sample(DATASET, '01'), notes: 'xã sửa' } });
    await env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '04'), { id: record.id, baseRev: record.rev });
    assert.equal((await syncOk(agent)).rejected, 1);
    const [held] = (await ok(agent, 'outbox.list', { status: 'quarantined' })).items;
    assert.deepEqual([held?.recordId, held?.leftScope, held?.nationalVersion], [record.id, true, true]);

    assert.deepEqual(await ok(agent, 'outbox.discard', { seq: held!.seq }), { discarded: 1, dataset: DATASET, recordId: record.id, recordState: null });
    assert.equal(await ok(agent, 'records.get', { dataset: DATASET, id: record.id }), null);
    await syncOk(agent);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('a change still waiting to go up is not discarded, through the API or the CLI, and says why in both languages', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const put = await ok(agent, 'records.put', { dataset: DATASET, data: samples(74).sample(DATASET, '01') });
    const [queued] = (await ok(agent, 'outbox.list', {})).items;
    const refused = await agent.call('outbox.discard', { seq: queued!.seq });
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.error.code, 'invalid_input');
    assert.match(refused.error.messages.vi, /đang chờ gửi lên nền tảng quốc gia, không bị giữ lại\. Chỉ bỏ được thay đổi mà nền tảng quốc gia đã giữ lại\./);
    assert.match(refused.error.messages.en, /is waiting to go up to the national platform; it is not held back\./);
    await agent.close();

    const en = await cli(dataDir, ['--lang', 'en', 'outbox', 'discard', String(queued!.seq)]);
    assert.equal(en.code, 1);
    assert.match(en.stderr, /Only a change the national platform held back can be discarded/);
    assert.equal((await cli(dataDir, ['--json', 'records', 'get', DATASET, put.id])).json?.state, 'waiting');
    assert.equal((await cli(dataDir, ['--json', 'outbox', 'list'])).json?.total, 1, 'the change still waits to go up');
  });
});
