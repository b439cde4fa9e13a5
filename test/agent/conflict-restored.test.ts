import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { dateTime } from '../../sync-engine/src/cli/output.js';
import { enrolledAgent, ok, samples, syncOk, TempDirs } from './support/agent-fixture.js';
import { RestorablePlatform } from './support/restorable-platform.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

/**
 * The platform restored from an older backup (then `epoch new`, docs/operations.md 1.11) lost an edit it had
 * accepted from this office, and the office has edited the same field again since: the conflict's national side is
 * the restored, OLDER value. `conflicts list`, `conflicts show` (both languages) and `--json` say it arose from the
 * restore, so a person does not take it for a newer national change (docs/reliability.md).
 */
describe('a conflict that arose from a platform restore says so in the CLI', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('`conflicts list` marks it, `conflicts show` says the platform went back and to when, and heads the national column as after the restore; --json carries `restored`', async () => {
    const r = await RestorablePlatform.start(temp);
    try {
      const { agent, dataDir } = await enrolledAgent(temp, r.p);
      const data = samples(8).sample(DATASET, '01');
      const { id } = await ok(agent, 'records.put', { dataset: DATASET, data });
      await syncOk(agent);
      await r.backUp();
      await ok(agent, 'records.put', { dataset: DATASET, id, data: { ...data, registrar: 'Lê Văn Bình' } });
      await syncOk(agent);
      // Edited here again, not yet sent, when the platform goes back to its backup.
      await ok(agent, 'records.put', { dataset: DATASET, id, data: { ...data, registrar: 'Phạm Văn Cường' } });
      await r.restore();
      const headAt = (await r.p.platform.admin.getRecord(DATASET, id))?.updatedAt;
      assert.ok(headAt);
      await syncOk(agent);
      await agent.close();

      const listed = await cli(dataDir, ['conflicts', 'list']);
      assert.equal(listed.code, 0, listed.stdout + listed.stderr);
      assert.match(listed.stdout, /sửa ở cả hai bên; nền tảng đã khôi phục/);
      assert.match(listed.stdout, /"Nền tảng đã khôi phục": nền tảng quốc gia đã được khôi phục từ bản sao lưu, nên bên quốc gia có thể cũ hơn bên đơn vị này/);
      const json = await cli(dataDir, ['conflicts', 'list', '--json']);
      const [conflict] = (JSON.parse(json.stdout) as { items: { id: string; restored: unknown }[] }).items;
      assert.deepEqual(conflict?.restored, { headAt });

      const vi = await cli(dataDir, ['conflicts', 'show', conflict!.id]);
      assert.equal(vi.code, 0, vi.stderr);
      assert.ok(
        vi.stdout.includes(
          `Nền tảng quốc gia đã được khôi phục từ bản sao lưu: dữ liệu trên nền tảng quay về như lúc ${dateTime(headAt)}, và thay đổi đơn vị này gửi sau lúc đó đã bị mất trên nền tảng. Vì vậy giá trị ở cột Quốc gia có thể cũ hơn giá trị của đơn vị này.`,
        ),
        vi.stdout,
      );
      assert.match(vi.stdout, /Quốc gia \(sau khôi phục\)/);
      const en = await cli(dataDir, ['--lang', 'en', 'conflicts', 'show', conflict!.id]);
      assert.ok(en.stdout.includes(`The national platform was restored from a backup: its data went back to how it was at ${dateTime(headAt)}`), en.stdout);
      assert.match(en.stdout, /National \(after the restore\)/);
      assert.match((await cli(dataDir, ['--lang', 'en', 'conflicts', 'list'])).stdout, /same field changed; platform restored/);
      const shown = JSON.parse((await cli(dataDir, ['conflicts', 'show', conflict!.id, '--json'])).stdout) as { restored: unknown };
      assert.deepEqual(shown.restored, { headAt });
    } finally {
      await r.close();
    }
  });
});
