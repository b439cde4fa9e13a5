import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { enrolledAgent, ok, samples, syncOk, TempDirs } from './support/agent-fixture.js';
import { RestorablePlatform } from './support/restorable-platform.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

/**
 * The platform restored from an older backup (then `epoch new`, as docs/operations.md 1.11 says) lost an edit
 * it had accepted from this office: the office's `sync` sends it again and says so, and the Sync history keeps it.
 */
describe('a change the restored platform lost is sent again, and `sync` says so', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('`edge-agent sync` prints how many changes of this office were sent again (the count read from the run’s history row); a later run has nothing to send again', async () => {
    const r = await RestorablePlatform.start(temp);
    try {
      const { agent, dataDir } = await enrolledAgent(temp, r.p);
      const data = samples(7).sample(DATASET, '01');
      const { id } = await ok(agent, 'records.put', { dataset: DATASET, data });
      await syncOk(agent);
      await r.backUp();
      await ok(agent, 'records.put', { dataset: DATASET, id, data: { ...data, registrar: 'Lê Văn Bình' } });
      await syncOk(agent);
      await agent.close();

      await r.restore();
      assert.notEqual((await r.p.platform.admin.getRecord(DATASET, id))?.data?.['registrar'], 'Lê Văn Bình');

      const vi = await cli(dataDir, ['sync']);
      assert.equal(vi.code, 0, vi.stdout + vi.stderr);
      assert.ok(vi.stdout.includes('  1 thay đổi của đơn vị này mà nền tảng quốc gia đã mất (nền tảng được khôi phục từ bản sao lưu cũ hơn) đã được gửi lại.\n'), vi.stdout);
      assert.equal((await r.p.platform.admin.getRecord(DATASET, id))?.data?.['registrar'], 'Lê Văn Bình', 'the platform holds the change again');
      const again = await cli(dataDir, ['--lang', 'en', 'sync', '--json']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal((JSON.parse(again.stdout) as { run: { resent?: number } }).run.resent, undefined, 'nothing to send again in a later run');
    } finally {
      await r.close();
    }
  });
});
