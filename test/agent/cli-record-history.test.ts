import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateTime } from '../../sync-engine/src/cli/output.js';
import { enrolledAgent, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

/** `edge-agent records history`: the inspector's question answered at the command line, in Vietnamese first. */
describe('edge-agent records history', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('says who created and edited the record and when, the ID number before and after, with the field\'s title; vi, en, --json, pages; writes nothing', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const data = samples(82).sample(DATASET, '01');
    const oldId = String(data['personalId']);
    const newId = `${oldId.slice(0, 9)}999`;
    const created = await agent.call('records.put', { dataset: DATASET, data }, { user: 'Nguyễn Thị Hoa' });
    assert.ok(created.ok);
    const id = created.value.id;
    await syncOk(agent);
    assert.ok((await agent.call('records.put', { dataset: DATASET, id, data: { ...data, personalId: newId } }, { user: 'Trần Văn Bình' })).ok);
    await agent.close();

    const json = await cli(dataDir, ['--json', 'records', 'history', DATASET, id]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      json.json.items.map((e: { kind: string; actor: string }) => [e.kind, e.actor]),
      [
        ['edited', 'Trần Văn Bình'],
        ['accepted', 'sync'],
        ['created', 'Nguyễn Thị Hoa'],
      ],
    );
    assert.equal(json.json.next, null);
    assert.deepEqual(json.json.current?.by, { kind: 'this-office', user: 'Trần Văn Bình' }, 'the version held: this office’s edit, not yet sent');
    const [editedAt, acceptedAt, createdAt] = json.json.items.map((e: { at: string }) => dateTime(e.at));
    const heldAt = dateTime(json.json.current.at);

    const vi = await cli(dataDir, ['records', 'history', DATASET, id]);
    assert.equal(vi.code, 0, vi.stderr);
    const viLines = vi.stdout.split('\n');
    assert.equal(viLines[0], `Phiên bản hiện có trên máy này: do đơn vị này (Trần Văn Bình) ghi lúc ${heldAt}.`);
    assert.equal(viLines[1], `Lịch sử thay đổi của bản ghi ${DATASET}/${id}, mới nhất trước:`);
    assert.equal(viLines[2], `${editedAt}  Trần Văn Bình  Sửa bản ghi`);
    assert.equal(viLines[3], `    Số định danh cá nhân (personalId): ${oldId} → ${newId}`);
    assert.equal(viLines[4], `${acceptedAt}  tác tử (khi đồng bộ)  Nền tảng quốc gia đã nhận thay đổi`);
    assert.equal(viLines[5], `${createdAt}  Nguyễn Thị Hoa  Tạo bản ghi`);
    assert.ok(viLines.includes(`    Số định danh cá nhân (personalId): — → ${oldId}`), 'the new record\'s values');
    assert.equal(viLines.at(-2), '3 sự kiện.');

    const en = await cli(dataDir, ['--lang', 'en', 'records', 'history', DATASET, id, '--limit', '1']);
    assert.equal(en.code, 0, en.stderr);
    assert.deepEqual(en.stdout.split('\n'), [
      `The version on this computer: written by this office (Trần Văn Bình) at ${heldAt}.`,
      `Change history of record ${DATASET}/${id}, newest first:`,
      `${editedAt}  Trần Văn Bình  Edited the record`,
      `    Personal ID number (personalId): ${oldId} → ${newId}`,
      `The 1 newest event(s); older ones: edge-agent --home ${dataDir} records history ${DATASET} ${id} --before ${json.json.items[0].seq}`,
      '',
    ]);
    const older = await cli(dataDir, ['--json', 'records', 'history', DATASET, id, '--before', String(json.json.items[0].seq)]);
    assert.deepEqual(older.json.items.map((e: { kind: string }) => e.kind), ['accepted', 'created']);
    assert.equal(older.json.current, undefined, 'the version held is said on the first page only');

    const none = await cli(dataDir, ['records', 'history', DATASET, '0190a0a0-0000-7000-8000-00000000abcd']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, `Nhật ký kiểm toán không có thay đổi nào của bản ghi ${DATASET}/0190a0a0-0000-7000-8000-00000000abcd.\n`);

    // Reading the history wrote nothing to the audit log (nor anything else it would audit).
    const verify = await cli(dataDir, ['--json', 'audit', 'verify']);
    assert.equal(verify.json.events, (await cli(dataDir, ['--json', 'audit', 'verify'])).json.events);
    const before = verify.json.events;
    await cli(dataDir, ['records', 'history', DATASET, id]);
    assert.equal((await cli(dataDir, ['--json', 'audit', 'verify'])).json.events, before);
  });

  test('a record last changed nationally says the version on this computer is the national platform’s, which the audit log of this office does not hold', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const data = samples(83).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await env.p.platform.admin.putRecord(DATASET, { ...data, notes: 'sửa ở cấp quốc gia' }, { id: put.id, baseRev: put.rev });
    await syncOk(agent);
    const held = await agent.call('records.get', { dataset: DATASET, id: put.id });
    assert.ok(held.ok && held.value);
    await agent.close();

    const vi = await cli(dataDir, ['records', 'history', DATASET, put.id]);
    assert.equal(vi.code, 0, vi.stderr);
    assert.equal(
      vi.stdout,
      `Phiên bản hiện có trên máy này: do nền tảng quốc gia ghi lúc ${dateTime(held.value.updatedAt)}.\n` +
        `Nhật ký kiểm toán không có thay đổi nào của bản ghi ${DATASET}/${put.id}.\n`,
    );
    const json = await cli(dataDir, ['--json', 'records', 'history', DATASET, put.id]);
    assert.deepEqual(json.json.current, { at: held.value.updatedAt, by: { kind: 'national' } });
  });
});
