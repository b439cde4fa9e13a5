import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApiResult, CommandInput, CommandOutput } from '../../sync-engine/src/api/contract.js';
import { addSite, digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

/**
 * A conflict in a dataset the catalog now gives this office to read only (the
 * platform lowered its access to `read`): the platform accepts no change of it
 * from this office (`access`), so a choice that would send one is refused here,
 * in vi/en, nothing written, and taking the national version ends it.
 */
describe('a conflict in a dataset that became read-only', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test("keeping this office's side is refused, saying why and to take the national version, which then settles it whole", async () => {
    const site = await addSite(env.p);
    const { agent } = await enrolledAgent(temp, env.p, { site });
    const data = samples(91).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    // The registrar changed on both sides, the mother's name only here.
    await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Cán bộ xã', motherName: 'Lê Thị Xã' } });
    const national = { ...data, registrar: 'Cán bộ quốc gia' };
    await env.p.platform.admin.putRecord(DATASET, national, { id: put.id, baseRev: put.rev });
    await syncOk(agent);
    await env.p.platform.admin.setSiteAccess(site, DATASET, 'read');
    await syncOk(agent);
    const [conflict] = (await ok(agent, 'conflicts.list', {})).items;
    assert.ok(conflict);
    const before = await ok(agent, 'records.get', { dataset: DATASET, id: put.id });

    const choices: Array<Omit<CommandInput<'conflicts.resolve'>, 'id'>> = [
      { take: 'local' },
      { fields: { registrar: 'local' } },
      { take: 'national', values: { motherName: 'Lê Thị Xã' } },
    ];
    for (const choice of choices) {
      const answer: ApiResult<CommandOutput<'conflicts.resolve'>> = await agent.call('conflicts.resolve', { id: conflict.id, version: conflict.version, ...choice });
      assert.ok(!answer.ok, `refused: ${JSON.stringify(choice)}`);
      assert.equal(answer.error.code, 'read_only');
      assert.match(answer.error.messages.vi, /Bộ dữ liệu "Hộ tịch: đăng ký khai sinh" nay chỉ được xem, không được sửa tại đơn vị này/);
      assert.match(answer.error.messages.vi, /Chưa có gì thay đổi; xung đột vẫn chờ giải quyết\. Hãy giữ bản quốc gia/);
      assert.match(answer.error.messages.en, /The dataset "Civil status: birth registrations" is now read-only for this office/);
      assert.match(answer.error.messages.en, /Nothing was changed; the conflict still waits\. Keep the national version/);
    }
    assert.equal((await ok(agent, 'conflicts.list', {})).items.length, 1, 'the conflict still waits');
    assert.deepEqual(await ok(agent, 'records.get', { dataset: DATASET, id: put.id }), before);
    assert.equal((await ok(agent, 'status.get', {})).outbox.depth, 0, 'nothing queued');

    // The national version whole: the mother's name changed only here is not sent either (the platform would refuse it).
    const settled = await ok(agent, 'conflicts.resolve', { id: conflict.id, take: 'national', version: conflict.version });
    assert.equal(settled.recordState, 'synced');
    const run = await syncOk(agent);
    assert.deepEqual([run.pushed, run.rejected], [0, 0]);
    assert.deepEqual((await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.data, national);
    assert.deepEqual((await platformLive(env.p, DATASET)).get(put.id)?.data, national);
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });
});
