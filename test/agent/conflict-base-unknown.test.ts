import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ConflictView } from '../../sync-engine/src/api/views.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { addSite, enrolledAgent, ok, samples, startTestPlatform, syncOk, TempDirs } from './support/agent-fixture.js';
import { RestorablePlatform } from './support/restorable-platform.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

/** The base column's cells of `conflicts show`'s table, one per field row, as printed. */
function baseCells(stdout: string, fields: readonly string[]): string[] {
  return fields.map((field) => {
    const row = stdout.split('\n').find((line) => line.includes(`(${field})`));
    assert.ok(row, `a row for ${field} in:\n${stdout}`);
    return row.slice(row.indexOf(`(${field})`) + field.length + 2).trim().split(/\s{2,}/)[0]!;
  });
}

/**
 * A conflict whose common base is not known: the version both sides started from was lost when the national platform
 * was restored (conflicts.details.baseUnknown), or both sides created the record. `conflicts show` prints the base in
 * words ("không rõ" / "unknown"; "—" is a field that was blank) and says why in one sentence; --json carries
 * `baseKnown` (false) and `baseUnknown` (why), as the window's conflict screen reads them.
 */
describe('`conflicts show` says when the original value is unknown, and why', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('lost in a platform restore: the base reads "không rõ" / "unknown", one sentence says the version both sides started from was lost; --json: baseKnown false, baseUnknown restore', async () => {
    const r = await RestorablePlatform.start(temp);
    try {
      const { agent, dataDir } = await enrolledAgent(temp, r.p);
      const data = samples(31).sample(DATASET, '01');
      const put = await r.p.platform.admin.putRecord(DATASET, data);
      await syncOk(agent);
      await r.backUp();
      // Sent and accepted after the backup: the restore loses it.
      await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Lê Văn Bình' } });
      await syncOk(agent);
      await r.restore();
      // Back in service, the national side changes the restored version before the office syncs.
      await r.p.platform.admin.putRecord(DATASET, { ...data, notes: 'sửa sau khi khôi phục' }, { id: put.id, baseRev: put.rev });
      await syncOk(agent);
      await agent.close();

      const listed = await cli(dataDir, ['conflicts', 'list', '--json']);
      const [conflict] = (listed.json as { items: ConflictView[] }).items;
      assert.ok(conflict);
      const vi = await cli(dataDir, ['conflicts', 'show', conflict.id]);
      assert.equal(vi.code, 0, vi.stderr);
      assert.ok(
        vi.stdout.includes(
          'Không rõ giá trị ban đầu: phiên bản mà hai bên cùng bắt đầu sửa đã bị mất khi nền tảng quốc gia được khôi phục, nên không biết bên nào đã thay đổi gì. Vì vậy mọi chỗ khác nhau đều phải do một người chọn.',
        ),
        vi.stdout,
      );
      assert.deepEqual(baseCells(vi.stdout, ['notes', 'registrar']), ['không rõ', 'không rõ']);
      const en = await cli(dataDir, ['--lang', 'en', 'conflicts', 'show', conflict.id]);
      assert.ok(en.stdout.includes('The original value is unknown: the version both sides started from was lost when the national platform was restored'), en.stdout);
      assert.deepEqual(baseCells(en.stdout, ['notes', 'registrar']), ['unknown', 'unknown']);
      const shown = (await cli(dataDir, ['conflicts', 'show', conflict.id, '--json'])).json as ConflictView;
      assert.deepEqual([shown.baseKnown, shown.baseUnknown, shown.restored === null], [false, 'restore', false]);
    } finally {
      await r.close();
    }
  });

  test('created on both sides: the base reads "không rõ", the sentence says there never was an earlier version; --json: baseUnknown created. A known base: baseKnown true, its blank values "—"', async () => {
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const a = await enrolledAgent(temp, p, { site });
      const b = await enrolledAgent(temp, p, { site });
      const gen = samples(32);
      const id = uuidv7();
      const first = gen.sample(DATASET, '01');
      await ok(a.agent, 'records.put', { dataset: DATASET, id, data: first });
      await ok(b.agent, 'records.put', { dataset: DATASET, id, data: { ...first, registrar: 'Cán bộ máy B' } });
      await syncOk(a.agent);
      await syncOk(b.agent);
      // A field conflict on another record, its base known: the father's name was blank in it.
      const { fatherName: _blank, ...otherData } = gen.sample(DATASET, '01');
      const put = await p.platform.admin.putRecord(DATASET, otherData);
      await syncOk(b.agent);
      await ok(b.agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...otherData, fatherName: 'Trần Văn Xã' } });
      await p.platform.admin.putRecord(DATASET, { ...otherData, fatherName: 'Trần Văn Quốc' }, { id: put.id, baseRev: put.rev });
      await syncOk(b.agent);
      await a.agent.close();
      await b.agent.close();

      const { items } = (await cli(b.dataDir, ['conflicts', 'list', '--json'])).json as { items: ConflictView[] };
      const collision = items.find((c) => c.recordId === id);
      const known = items.find((c) => c.recordId === put.id);
      assert.deepEqual([collision?.kind, known?.kind], ['create-collision', 'fields']);
      const vi = await cli(b.dataDir, ['conflicts', 'show', collision!.id]);
      assert.ok(vi.stdout.includes('Không rõ giá trị ban đầu vì chưa từng có phiên bản nào trước đó: đơn vị này và cấp quốc gia đã tạo bản ghi này riêng rẽ.'), vi.stdout);
      assert.deepEqual(baseCells(vi.stdout, ['registrar']), ['không rõ']);
      const en = await cli(b.dataDir, ['--lang', 'en', 'conflicts', 'show', collision!.id]);
      assert.ok(en.stdout.includes('The original value is unknown because there never was an earlier version'), en.stdout);
      const shown = (await cli(b.dataDir, ['conflicts', 'show', collision!.id, '--json'])).json as ConflictView;
      assert.deepEqual([shown.baseKnown, shown.baseUnknown], [false, 'created']);

      const plain = await cli(b.dataDir, ['conflicts', 'show', known!.id]);
      assert.deepEqual(baseCells(plain.stdout, ['fatherName']), ['—'], 'a blank known base is a dash, as a blank value on either side');
      assert.ok(!plain.stdout.includes('Không rõ giá trị ban đầu'), plain.stdout);
      assert.deepEqual([known?.baseKnown, known?.baseUnknown], [true, null]);
    } finally {
      await p.close();
    }
  });
});
