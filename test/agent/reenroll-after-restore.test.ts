import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { platformCli } from '../support/platform-cli.js';
import { addSite, enrolledAgent, ok, platformLive, restartPlatform, samples, startTestPlatform, syncOk, TempDirs, type TestPlatform } from './support/agent-fixture.js';

const DS = 'civil-status-births';

/**
 * An office whose agent was enrolled after the platform's last backup: the
 * platform is restored (docs/operations.md 1.11: the file put back, `epoch
 * new`), so it knows neither that agent nor what it sent, and the office is
 * enrolled again with a new token. Its new identity names the one it had;
 * the restored platform, which does not know that one, answers the time of the
 * newest change it held, and the office's records created after it are sent
 * again instead of swept by the first pull (docs/reliability.md).
 */
describe('an office enrolled after the platform’s backup, enrolled again after the restore', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  /** The platform's file copied aside while it is stopped; restore() puts it back and runs `epoch new`. */
  async function backUp(p: TestPlatform): Promise<{ p: TestPlatform; restore: (p: TestPlatform) => Promise<TestPlatform> }> {
    const backup = join(temp.make('backup-'), 'platform.sqlite');
    await p.close();
    copyFileSync(p.dbFile, backup);
    return {
      p: await restartPlatform(p),
      restore: async (running) => {
        await running.close();
        for (const suffix of ['-wal', '-shm']) rmSync(`${running.dbFile}${suffix}`, { force: true });
        copyFileSync(backup, running.dbFile);
        const epoch = await platformCli(running.dbFile, ['epoch', 'new']);
        assert.equal(epoch.code, 0, epoch.err);
        return restartPlatform(running);
      },
    };
  }

  test('creates again the records it had created, after the restored platform says it was restored without that enrollment', async () => {
    let p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const gen = samples(61);
      const national = await p.platform.admin.putRecord(DS, gen.sample(DS, '01'));
      const backup = await backUp(p);
      p = backup.p;

      const { agent } = await enrolledAgent(temp, p, { site });
      const mine = gen.sample(DS, '01');
      const created = await ok(agent, 'records.put', { dataset: DS, data: mine });
      assert.equal((await syncOk(agent)).pushed, 1);

      p = await backup.restore(p);
      assert.equal((await platformLive(p, DS)).has(created.id), false, 'the restore lost the record');
      const refused = await ok(agent, 'sync.now', {});
      assert.equal(refused.run?.error?.code, 'unknown_agent', JSON.stringify(refused.run?.error));

      await ok(agent, 'enrollment.enroll', { token: await p.platform.admin.createToken({ site }) });
      const run = await syncOk(agent);
      assert.deepEqual([run.resent, run.pushed, run.rejected], [1, 1, 0], JSON.stringify(run));
      const live = await platformLive(p, DS);
      assert.deepEqual(live.get(created.id)?.data, mine, 'the platform holds the office’s record again');
      assert.ok(live.has(national.id));
      const local = await ok(agent, 'records.get', { dataset: DS, id: created.id });
      assert.equal(local?.state, 'synced');
      const again = await syncOk(agent);
      assert.deepEqual([again.resent, again.pushed], [undefined, 0]);
    } finally {
      await p.close();
    }
  });
});
